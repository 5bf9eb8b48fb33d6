"""SMB credentials file, smb:// addresses and the security-descriptor parser's edges (no server needed)."""

from __future__ import annotations

import pytest

from pdscan import smbconfig
from pdscan.smbconfig import SmbConfigError, credentials_for, sid_names
from pdscan.sources.ntsd import (
    SecurityDescriptorError,
    is_broad_sid,
    parse_security_descriptor,
    sid_name,
)
from pdscan.sources.smb import SmbError, SmbUrl


@pytest.fixture
def ini(tmp_path, monkeypatch):
    path = tmp_path / "smb.ini"
    monkeypatch.setenv("PDSCAN_SMB_CONFIG", str(path))
    for k in ("PDSCAN_SMB_USER", "PDSCAN_SMB_PASSWORD", "PDSCAN_SMB_DOMAIN"):
        monkeypatch.delenv(k, raising=False)
    smbconfig._load.cache_clear()
    yield path
    smbconfig._load.cache_clear()


def _write(path, text: str, mode: int = 0o600) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def test_host_section_then_environment_then_default(ini, monkeypatch):
    _write(
        ini, "[default]\nuser = scan\npassword = p1\ndomain = CORP\n[PC-BUH-01]\nuser = adm2\npassword = p2\n"
    )
    own = credentials_for("pc-buh-01")
    assert (own.user, own.password, own.domain) == ("adm2", "p2", "")
    default = credentials_for("pc-buh-02")
    assert (default.username, default.password) == ("CORP\\scan", "p1")
    monkeypatch.setenv("PDSCAN_SMB_USER", "envuser")
    monkeypatch.setenv("PDSCAN_SMB_PASSWORD", "envpass")
    assert credentials_for("pc-buh-02").user == "envuser"
    assert credentials_for("pc-buh-01").user == "adm2"
    assert "p1" not in repr(default) and "p2" not in repr(own)  # passwords never printed


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_group_or_world_readable_file_is_refused(ini, mode):
    _write(ini, "[default]\nuser = scan\npassword = secret\n", mode)
    with pytest.raises(SmbConfigError, match="chmod 600"):
        credentials_for("host")


def test_missing_explicit_file_is_an_error(ini):
    with pytest.raises(SmbConfigError, match="не найден"):
        credentials_for("host")


def test_sid_names_section(ini):
    _write(ini, "[sids]\nS-1-5-21-1-2-3-1105 = Бухгалтерия\n")
    names = sid_names()
    assert names == {"S-1-5-21-1-2-3-1105": "Бухгалтерия"}
    assert sid_name("S-1-5-21-1-2-3-1105", names) == "Бухгалтерия"


def test_smb_urls():
    u = SmbUrl.parse("smb://fs01:4450/share/Отдел кадров/2024")
    assert (u.host, u.port, u.share, u.path) == ("fs01", 4450, "share", "Отдел кадров/2024")
    assert u.unc("a.txt") == "\\\\fs01\\share\\Отдел кадров\\2024\\a.txt"
    assert u.url("a.txt") == "smb://fs01:4450/share/Отдел кадров/2024/a.txt"
    assert SmbUrl.parse("smb://pc/C$").url() == "smb://pc/C$"
    with pytest.raises(SmbError, match="не принимаются") as e:
        SmbUrl.parse("smb://admin:secret@pc-buh-01/C$")
    assert "secret" not in str(e.value)
    for bad in ("smb://", "smb://host", "smb://host:x/share", "/local/path"):
        with pytest.raises(SmbError):
            SmbUrl.parse(bad)


def test_broad_sids():
    for sid in ("S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-21-11-22-33-513"):
        assert is_broad_sid(sid)
    for sid in ("S-1-5-21-11-22-33-1105", "S-1-22-1-0", "S-1-5-32-544"):
        assert not is_broad_sid(sid)
    assert sid_name("S-1-5-21-11-22-33-513") == "Domain Users"


def test_damaged_descriptors_are_errors_not_crashes():
    with pytest.raises(SecurityDescriptorError):
        parse_security_descriptor(b"\x01\x00")
    not_self_relative = bytes([1, 0, 0x04, 0x00]) + bytes(16)
    with pytest.raises(SecurityDescriptorError):
        parse_security_descriptor(not_self_relative)
    # self-relative, DACL present at offset 20 claiming 3 ACEs in 8 bytes
    sd = bytes([1, 0, 0x04, 0x80]) + (0).to_bytes(4, "little") * 2 + (0).to_bytes(4, "little")
    sd += (20).to_bytes(4, "little") + bytes([2, 0, 8, 0, 3, 0, 0, 0])
    with pytest.raises(SecurityDescriptorError):
        parse_security_descriptor(sd)
