"""Shared test set-up: a fixed fingerprint key, so fingerprints are reproducible and no key file is written."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_KEY = "pdscan-test-key-not-secret"

os.environ.setdefault("PDSCAN_FINGERPRINT_KEY", TEST_KEY)
os.environ.setdefault("PDSCAN_LANG", "ru")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def pdscan_cmd() -> list[str]:
    """The installed console script (the same one users run)."""
    exe = Path(sys.executable).parent / "pdscan"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]


@pytest.fixture(autouse=True)
def _private_store(tmp_path_factory, monkeypatch):
    """Each test gets its own findings store (PDSCAN_DB) unless it passes --db.

    `pdscan scan` keeps a store by default; one shared by tests (or by test runs going on at the
    same time) would turn findings into "nothing new" (exit 0) or a lock conflict (exit 2)."""
    monkeypatch.setenv("PDSCAN_DB", str(tmp_path_factory.mktemp("store") / "pdscan.db"))
