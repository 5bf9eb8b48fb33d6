"""Where files are: local disk (and SMB shares, in smb.py). Sources know paths, stat, owner and ACL only."""

from __future__ import annotations

from pdscan.sources.local import WalkError, walk_local

__all__ = ["WalkError", "walk_local", "read_bytes"]


def read_bytes(ref, limit: int) -> bytes:
    """Read a file's content read-only, at most `limit` + 1 bytes (so the caller sees it is over)."""
    if ref.source == "smb":
        from pdscan.sources import smb

        return smb.read_bytes(ref, limit)
    from pdscan.sources.local import read_local

    return read_local(ref.path, limit)
