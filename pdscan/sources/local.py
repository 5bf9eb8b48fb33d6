"""Walk local roots: fast os.scandir walk, no symlinks unless asked, loop-safe, each file once."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from pdscan.access import group_name, posix_readers, user_name
from pdscan.i18n import t
from pdscan.model import FileRef

_NOATIME = getattr(os, "O_NOATIME", 0)


@dataclass(frozen=True, slots=True)
class WalkError:
    """A place the walk could not enter or stat (permission denied, vanished)."""

    path: str
    error: str


def _ref(path: str, root: str, rel: str, st: os.stat_result) -> FileRef:
    return FileRef(
        path=path,
        root=root,
        rel=rel,
        size=st.st_size,
        mtime=st.st_mtime,
        inode=st.st_ino,
        dev=st.st_dev,
        uid=st.st_uid,
        gid=st.st_gid,
        mode=st.st_mode,
        owner=user_name(st.st_uid),
        group=group_name(st.st_gid),
        readers=posix_readers(st),
    )


def _os_error(e: OSError) -> str:
    if isinstance(e, PermissionError):
        return t("access_denied")
    if isinstance(e, FileNotFoundError):
        return t("file_vanished")
    return t("read_error", error=e.strerror or type(e).__name__)


def walk_local(
    roots: list[str], follow_symlinks: bool = False, seen_dirs: set | None = None
) -> Iterator[FileRef | WalkError]:
    """Yield every regular file under the roots, in a stable (sorted) order.

    A directory reached twice (nested or repeated roots, a symlink loop) is walked once,
    so a file is reported under the first root that contains it.
    """
    seen_dirs = set() if seen_dirs is None else seen_dirs
    seen_files: set[tuple[int, int]] = set()  # only for symlinked files when following
    for root in roots:
        root_disp = os.fsdecode(root)
        try:
            st = os.stat(root) if follow_symlinks else os.lstat(root)
        except OSError as e:
            yield WalkError(root_disp, _os_error(e))
            continue
        if stat.S_ISREG(st.st_mode):
            yield _ref(root_disp, os.path.dirname(root_disp), os.path.basename(root_disp), st)
            continue
        if not stat.S_ISDIR(st.st_mode):
            continue
        yield from _walk_dir(root_disp, follow_symlinks, seen_dirs, seen_files, st)


def _walk_dir(root, follow, seen_dirs, seen_files, root_st) -> Iterator[FileRef | WalkError]:
    key = (root_st.st_dev, root_st.st_ino)
    if key in seen_dirs:
        return
    seen_dirs.add(key)
    stack: list[tuple[str, str]] = [(root, "")]
    while stack:
        dir_path, dir_rel = stack.pop()
        try:
            with os.scandir(dir_path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            yield WalkError(dir_path, _os_error(e))
            continue
        subdirs = []
        for entry in entries:
            rel = f"{dir_rel}/{entry.name}" if dir_rel else entry.name
            try:
                is_link = entry.is_symlink()
                if is_link and not follow:
                    continue
                st = entry.stat(follow_symlinks=follow)
            except FileNotFoundError:
                continue  # dangling symlink or vanished: skipped, not an error
            except OSError as e:
                yield WalkError(entry.path, _os_error(e))
                continue
            if stat.S_ISDIR(st.st_mode):
                k = (st.st_dev, st.st_ino)
                if k in seen_dirs:
                    continue  # loop or already walked under an earlier root
                seen_dirs.add(k)
                subdirs.append((entry.path, rel))
            elif stat.S_ISREG(st.st_mode):
                if is_link:
                    k = (st.st_dev, st.st_ino)
                    if k in seen_files:
                        continue
                    seen_files.add(k)
                yield _ref(entry.path, root, rel, st)
        stack.extend(reversed(subdirs))


def read_local(path: str, limit: int) -> bytes:
    """Read-only, without touching atime where the kernel allows, at most limit + 1 bytes."""
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | _NOATIME)
    except PermissionError:
        fd = os.open(path, flags)  # O_NOATIME needs ownership; plain read-only then
    try:
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            b = os.read(fd, min(remaining, 8 * 1024 * 1024))
            if not b:
                break
            chunks.append(b)
            remaining -= len(b)
        return b"".join(chunks)
    finally:
        os.close(fd)
