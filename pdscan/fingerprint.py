"""Keyed fingerprints: the only form in which a found value leaves the detector."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

import platformdirs

KEY_ENV = "PDSCAN_FINGERPRINT_KEY"


def key_file_path() -> Path:
    return Path(platformdirs.user_config_dir("pdscan")) / "fingerprint.key"


def _create_key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    # O_EXCL: two processes racing on first use end with one key, created 0600 from the start.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


@lru_cache(maxsize=1)
def fingerprint_key() -> bytes:
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode()
    path = key_file_path()
    if path.exists():
        return path.read_bytes().strip()
    return _create_key_file(path)


def fingerprint(entity: str, normalized: str, key: bytes | None = None) -> str:
    """F = HMAC-SHA256(key, f"{E}:{normalized}").hexdigest()"""
    h = _keyed(key if key is not None else fingerprint_key()).copy()
    h.update(f"{entity}:{normalized}".encode())
    return h.hexdigest()


@lru_cache(maxsize=8)
def _keyed(key: bytes) -> hmac.HMAC:
    # The key schedule done once: copying a keyed HMAC costs a third less than a new one per value.
    return hmac.new(key, digestmod=hashlib.sha256)
