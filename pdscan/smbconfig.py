"""SMB credentials: a 0600 INI file or environment variables, never the command line.

File (default `platformdirs.user_config_dir("pdscan")/smb.ini`, or `--smb-config`, or env
PDSCAN_SMB_CONFIG):

    [default]
    user = scanner
    password = secret
    domain = CORP

    [pc-buh-01]          ; a host's own section wins over [default] and the environment
    user = admin2
    password = other

    [sids]               ; names for SIDs the report should show (and the policy may list)
    S-1-5-21-1-2-3-1104 = ivanova
    S-1-22-1-1000 = ivanova

Order for a host: its own section in the file, then PDSCAN_SMB_USER / PDSCAN_SMB_PASSWORD /
PDSCAN_SMB_DOMAIN, then [default]. A file readable by group or others is refused.
"""

from __future__ import annotations

import configparser
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pdscan.i18n import t

ENV_CONFIG = "PDSCAN_SMB_CONFIG"


class SmbConfigError(Exception):
    """A clear, Russian message about the credentials file."""


@dataclass(frozen=True, slots=True)
class SmbCredentials:
    user: str
    password: str = field(repr=False)
    domain: str = ""

    @property
    def username(self) -> str:
        """The form smbprotocol takes: DOMAIN\\user when a domain is set."""
        return f"{self.domain}\\{self.user}" if self.domain else self.user


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("pdscan")) / "smb.ini"


def config_path() -> Path:
    return Path(os.environ[ENV_CONFIG]) if os.environ.get(ENV_CONFIG) else default_path()


def check_mode(path: Path) -> None:
    """Refuse a credentials file others can read or that belongs to someone else."""
    st = path.stat()
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SmbConfigError(t("smbcfg_mode", path=path, mode=f"{stat.S_IMODE(st.st_mode):04o}"))
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise SmbConfigError(t("smbcfg_owner", path=path, uid=st.st_uid))


@lru_cache(maxsize=8)
def _load(path_str: str) -> configparser.ConfigParser | None:
    path = Path(path_str)
    if not path.exists():
        if os.environ.get(ENV_CONFIG):
            raise SmbConfigError(t("smbcfg_missing", path=path))
        return None
    check_mode(path)
    cp = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    cp.optionxform = str  # keep SIDs and names as written
    try:
        cp.read(path, encoding="utf-8")
    except configparser.Error as e:
        raise SmbConfigError(t("smbcfg_syntax", path=path, error=e)) from None
    return cp


def load_config() -> configparser.ConfigParser | None:
    return _load(str(config_path()))


def _from_section(sec) -> SmbCredentials | None:
    if sec is None or not sec.get("user"):
        return None
    return SmbCredentials(sec.get("user", ""), sec.get("password", ""), sec.get("domain", ""))


def credentials_for(host: str) -> SmbCredentials | None:
    """Credentials for a host, or None (then the scan reports that none are configured)."""
    cp = load_config()
    if cp is not None:
        for name in cp.sections():
            if name.lower() == host.lower():
                found = _from_section(cp[name])
                if found:
                    return found
    user = os.environ.get("PDSCAN_SMB_USER")
    if user:
        return SmbCredentials(
            user, os.environ.get("PDSCAN_SMB_PASSWORD", ""), os.environ.get("PDSCAN_SMB_DOMAIN", "")
        )
    if cp is not None and cp.has_section("default"):
        return _from_section(cp["default"])
    return None


def sid_names() -> dict[str, str]:
    """The [sids] section: SID → name, so reports and the policy can speak names."""
    try:
        cp = load_config()
    except SmbConfigError:
        return {}
    if cp is None or not cp.has_section("sids"):
        return {}
    return {k.strip().upper(): v.strip() for k, v in cp["sids"].items()}
