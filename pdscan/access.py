"""Who can read a local file: POSIX owner/group/other bits and POSIX ACL entries."""

from __future__ import annotations

import grp
import pwd
import stat
from functools import lru_cache

from pdscan.model import Reader


@lru_cache(maxsize=4096)
def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)  # a bare numeric id: never in an allowed list


@lru_cache(maxsize=4096)
def group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _rwx(bits: int) -> str:
    return ("r" if bits & 4 else "-") + ("w" if bits & 2 else "-") + ("x" if bits & 1 else "-")


def posix_readers(st) -> tuple[Reader, ...]:
    """Readers from the mode bits alone (ACL entries are added by acl_readers)."""
    mode = st.st_mode
    out = []
    if mode & stat.S_IRUSR:
        out.append(Reader("owner", user_name(st.st_uid), _rwx(mode >> 6 & 7)))
    if mode & stat.S_IRGRP:
        out.append(Reader("group", group_name(st.st_gid), _rwx(mode >> 3 & 7)))
    if mode & stat.S_IROTH:
        out.append(Reader("other", "*", _rwx(mode & 7)))
    return tuple(out)
