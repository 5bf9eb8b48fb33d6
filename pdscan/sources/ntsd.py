"""Parse a self-relative NT SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6) into owner, group and who may read.

smbprotocol has SMB2CreateSDBuffer/AclPacket, but they are builders for create contexts: unknown ACE
types (object, callback, mandatory-label ACEs) come back as raw bytes and NULL vs empty DACL is not told
apart, so this small struct-based parser reads exactly what the access check needs.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from pdscan.i18n import t

# SECURITY_DESCRIPTOR control bits
SE_DACL_PRESENT = 0x0004
SE_SELF_RELATIVE = 0x8000

# ACE types
ACCESS_ALLOWED = 0x00
ACCESS_DENIED = 0x01
ACCESS_ALLOWED_OBJECT = 0x05
ACCESS_DENIED_OBJECT = 0x06
ACCESS_ALLOWED_CALLBACK = 0x09
ACCESS_DENIED_CALLBACK = 0x0A

# ACE flags
INHERIT_ONLY_ACE = 0x08
INHERITED_ACE = 0x10

# Access mask bits that let someone read a file's content
FILE_READ_DATA = 0x00000001
GENERIC_ALL = 0x10000000
GENERIC_READ = 0x80000000
READ_MASK = FILE_READ_DATA | GENERIC_ALL | GENERIC_READ

# Additional-information flags for SMB2 QUERY_INFO (SMB2_0_INFO_SECURITY)
OWNER_SECURITY_INFORMATION = 0x1
GROUP_SECURITY_INFORMATION = 0x2
DACL_SECURITY_INFORMATION = 0x4


class SecurityDescriptorError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Ace:
    type: int  # ACCESS_ALLOWED, ACCESS_DENIED, ...
    flags: int
    mask: int
    sid: str  # "S-1-..." string; "" for ACE types this parser does not read

    @property
    def allows(self) -> bool:
        return self.type in (ACCESS_ALLOWED, ACCESS_ALLOWED_OBJECT, ACCESS_ALLOWED_CALLBACK)

    @property
    def denies(self) -> bool:
        return self.type in (ACCESS_DENIED, ACCESS_DENIED_OBJECT, ACCESS_DENIED_CALLBACK)

    @property
    def reads(self) -> bool:
        return bool(self.mask & READ_MASK)

    @property
    def applies_here(self) -> bool:
        """An inherit-only ACE is for children, not for this object."""
        return not self.flags & INHERIT_ONLY_ACE


@dataclass(frozen=True, slots=True)
class SecurityDescriptor:
    owner: str | None
    group: str | None
    dacl: tuple[Ace, ...] | None  # None = no DACL (NULL DACL: everyone has full access)


def parse_sid(data: bytes, offset: int = 0) -> tuple[str, int]:
    """Return the SID string at offset and its length in bytes."""
    if offset + 8 > len(data):
        raise SecurityDescriptorError(t("sd_sid_cut"))
    revision, count = data[offset], data[offset + 1]
    authority = int.from_bytes(data[offset + 2 : offset + 8], "big")
    end = offset + 8 + 4 * count
    if end > len(data):
        raise SecurityDescriptorError(t("sd_sid_cut"))
    subs = struct.unpack_from(f"<{count}I", data, offset + 8)
    return "-".join(["S", str(revision), str(authority), *map(str, subs)]), end - offset


def _parse_acl(data: bytes, offset: int) -> tuple[Ace, ...]:
    if offset + 8 > len(data):
        raise SecurityDescriptorError(t("sd_acl_cut"))
    _rev, _sbz1, acl_size, ace_count, _sbz2 = struct.unpack_from("<BBHHH", data, offset)
    end = min(offset + acl_size, len(data))
    pos = offset + 8
    aces = []
    for _ in range(ace_count):
        if pos + 4 > end:
            raise SecurityDescriptorError(t("sd_ace_cut"))
        ace_type, ace_flags, ace_size = struct.unpack_from("<BBH", data, pos)
        if ace_size < 4 or pos + ace_size > end:
            raise SecurityDescriptorError(t("sd_ace_size"))
        mask, sid = 0, ""
        if ace_type in (ACCESS_ALLOWED, ACCESS_DENIED, ACCESS_ALLOWED_CALLBACK, ACCESS_DENIED_CALLBACK):
            (mask,) = struct.unpack_from("<I", data, pos + 4)
            sid, _ = parse_sid(data[: pos + ace_size], pos + 8)
        elif ace_type in (ACCESS_ALLOWED_OBJECT, ACCESS_DENIED_OBJECT):
            mask, obj_flags = struct.unpack_from("<II", data, pos + 4)
            sid_at = pos + 12 + (16 if obj_flags & 1 else 0) + (16 if obj_flags & 2 else 0)
            sid, _ = parse_sid(data[: pos + ace_size], sid_at)
        aces.append(Ace(ace_type, ace_flags, mask, sid))
        pos += ace_size
    return tuple(aces)


def parse_security_descriptor(data: bytes) -> SecurityDescriptor:
    """Parse a self-relative SECURITY_DESCRIPTOR as returned by SMB2 QUERY_INFO."""
    if len(data) < 20:
        raise SecurityDescriptorError(t("sd_cut"))
    _rev, _sbz1, control, off_owner, off_group, _off_sacl, off_dacl = struct.unpack_from("<BBHIIII", data)
    if not control & SE_SELF_RELATIVE:
        raise SecurityDescriptorError(t("sd_not_self_relative"))
    owner = parse_sid(data, off_owner)[0] if off_owner else None
    group = parse_sid(data, off_group)[0] if off_group else None
    dacl: tuple[Ace, ...] | None = None
    if control & SE_DACL_PRESENT and off_dacl:
        dacl = _parse_acl(data, off_dacl)
    return SecurityDescriptor(owner, group, dacl)


# Well-known SIDs ([MS-DTYP] 2.4.2.4) an administrator will recognise.
WELL_KNOWN = {
    "S-1-1-0": "Everyone",
    "S-1-2-0": "LOCAL",
    "S-1-3-0": "CREATOR OWNER",
    "S-1-3-1": "CREATOR GROUP",
    "S-1-5-1": "NT AUTHORITY\\DIALUP",
    "S-1-5-2": "NT AUTHORITY\\NETWORK",
    "S-1-5-4": "NT AUTHORITY\\INTERACTIVE",
    "S-1-5-6": "NT AUTHORITY\\SERVICE",
    "S-1-5-7": "NT AUTHORITY\\ANONYMOUS LOGON",
    "S-1-5-11": "NT AUTHORITY\\Authenticated Users",
    "S-1-5-18": "NT AUTHORITY\\SYSTEM",
    "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE",
    "S-1-5-20": "NT AUTHORITY\\NETWORK SERVICE",
    "S-1-5-32-544": "BUILTIN\\Administrators",
    "S-1-5-32-545": "BUILTIN\\Users",
    "S-1-5-32-546": "BUILTIN\\Guests",
    "S-1-5-32-547": "BUILTIN\\Power Users",
    "S-1-5-32-551": "BUILTIN\\Backup Operators",
    "S-1-5-32-555": "BUILTIN\\Remote Desktop Users",
}
# Relative ids inside any domain (S-1-5-21-a-b-c-RID).
DOMAIN_RIDS = {
    500: "Administrator",
    501: "Guest",
    512: "Domain Admins",
    513: "Domain Users",
    514: "Domain Guests",
    515: "Domain Computers",
    516: "Domain Controllers",
}
_DOMAIN_SID = re.compile(r"^S-1-5-21-\d+-\d+-\d+-(\d+)$")

# Readers that make a personal-data file readable by (nearly) everyone: always excessive.
BROAD_SIDS = frozenset(
    {"S-1-1-0", "S-1-5-7", "S-1-5-11", "S-1-5-32-545", "S-1-5-32-546", "S-1-5-2", "S-1-5-4"}
)
BROAD_NAMES = frozenset({WELL_KNOWN[s] for s in BROAD_SIDS} | {"Domain Users", "Domain Guests", "Guest"})


def is_broad_sid(sid: str) -> bool:
    """Everyone, Authenticated Users, BUILTIN\\Users, guests, Domain Users/Guests of any domain."""
    if sid in BROAD_SIDS:
        return True
    m = _DOMAIN_SID.match(sid)
    return bool(m) and int(m.group(1)) in (501, 513, 514)


def sid_name(sid: str, names: dict[str, str] | None = None) -> str:
    """A readable name for a SID: the configured map, a well-known name, or the SID itself.

    Samba gives unix accounts without a Windows mapping S-1-22-1-<uid> (users) and
    S-1-22-2-<gid> (groups); those stay as SIDs unless mapped in the config's [sids] section.
    """
    if names and sid in names:
        return names[sid]
    if sid in WELL_KNOWN:
        return WELL_KNOWN[sid]
    m = _DOMAIN_SID.match(sid)
    if m and int(m.group(1)) in DOMAIN_RIDS:
        return DOMAIN_RIDS[int(m.group(1))]
    return sid


def readers_of(sd: SecurityDescriptor) -> list[tuple[str, str]]:
    """(SID, detail) for everyone the DACL lets read the file's data, in ACE order.

    Canonical DACL order puts deny ACEs first, so a SID explicitly denied read before any allow
    is dropped. Group membership is not known here, so a deny for a group does not remove its
    members' own allow ACEs (the report may overstate, never understate, who can read).
    """
    if sd.dacl is None:
        return [("S-1-1-0", "ALLOW READ")]  # NULL DACL: full access for everyone
    denied: set[str] = set()
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for ace in sd.dacl:
        if not ace.sid or not ace.applies_here or not ace.reads:
            continue
        if ace.denies:
            denied.add(ace.sid)
        elif ace.allows and ace.sid not in denied and ace.sid not in seen:
            seen.add(ace.sid)
            out.append((ace.sid, "ALLOW READ"))
    return out
