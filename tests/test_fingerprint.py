"""The fingerprint contract of issue 2: F = HMAC-SHA256(key, f"{E}:{normalized}").hexdigest()."""

from __future__ import annotations

import hashlib
import hmac

from pdscan.fingerprint import fingerprint


def reference(key: bytes, entity: str, normalized: str) -> str:
    return hmac.new(key, f"{entity}:{normalized}".encode(), hashlib.sha256).hexdigest()


def test_fingerprint_is_hmac_sha256_of_entity_and_value_for_each_key():
    for key in (b"first-key", b"second-key", b"first-key"):  # a cached key schedule per key
        for entity, value in (("RU_SNILS", "28460393090"), ("PERSON", "иванов иван иванович")):
            assert fingerprint(entity, value, key) == reference(key, entity, value)
    assert fingerprint("RU_SNILS", "28460393090", b"first-key") != fingerprint(
        "RU_SNILS", "28460393090", b"second-key"
    )


def test_fingerprint_takes_the_key_from_the_environment(monkeypatch):
    from pdscan import fingerprint as fp_module

    monkeypatch.setenv(fp_module.KEY_ENV, "env-key-for-test")
    fp_module.fingerprint_key.cache_clear()
    try:
        assert fingerprint("RU_INN", "500100732259") == reference(
            b"env-key-for-test", "RU_INN", "500100732259"
        )
    finally:
        fp_module.fingerprint_key.cache_clear()
