"""Who can read a local file: POSIX owner/group/other bits and POSIX ACL entries."""

from __future__ import annotations

import grp
import os
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


def _perm(entry) -> int:
    ps = entry.permset
    return (4 if ps.read else 0) | (2 if ps.write else 0) | (1 if ps.execute else 0)


def acl_readers(path: str) -> tuple[Reader, ...] | None:
    """Readers from the file's POSIX ACL, effective rights (masked), or None when it has no extended ACL.

    With an extended ACL the group bits of st_mode hold the mask, not the owning group's rights,
    so the whole reader set is rebuilt from the ACL: owner, owning group & mask, named users and
    groups & mask, other. Only entries that grant read are returned.
    """
    try:
        import posix1e
    except ImportError:  # pylibacl missing: mode bits only
        return None
    try:
        if not posix1e.has_extended(path):
            return None
        acl = posix1e.ACL(file=path)
    except OSError:  # no ACL support on this filesystem, or the file vanished
        return None
    entries = list(acl)
    mask = next((_perm(e) for e in entries if e.tag_type == posix1e.ACL_MASK), 7)
    try:
        st = os.stat(path)
        owner, group = user_name(st.st_uid), group_name(st.st_gid)
    except OSError:
        return None
    out: list[Reader] = []
    for e in entries:
        tag = e.tag_type
        if tag == posix1e.ACL_USER_OBJ:
            r = Reader("owner", owner, _rwx(_perm(e)))
        elif tag == posix1e.ACL_GROUP_OBJ:
            r = Reader("group", group, _rwx(_perm(e) & mask))
        elif tag == posix1e.ACL_USER:
            r = Reader("acl_user", user_name(e.qualifier), _rwx(_perm(e) & mask))
        elif tag == posix1e.ACL_GROUP:
            r = Reader("acl_group", group_name(e.qualifier), _rwx(_perm(e) & mask))
        elif tag == posix1e.ACL_OTHER:
            r = Reader("other", "*", _rwx(_perm(e)))
        else:
            continue
        if r.detail.startswith("r"):
            out.append(r)
    return tuple(out)


def file_readers(ref) -> tuple[Reader, ...]:
    """Everyone who can read a file: the source's readers, refined by the POSIX ACL for local files.

    Looked up lazily, only for files with personal data: one ACL syscall per such file, not per
    file walked (most files on a share hold no personal data).
    """
    if getattr(ref, "source", "local") != "local":
        return ref.readers  # SMB: the source filled NT ACEs already
    acl = acl_readers(ref.path)
    return ref.readers if acl is None else acl
