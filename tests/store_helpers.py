"""Helpers for the store's end-to-end tests: checksum-valid values, a kernel-level open() probe, a CLI runner."""

from __future__ import annotations

import ctypes
import json
import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


def snils(n9: str) -> str:
    """A checksum-valid СНИЛС "XXX-XXX-XXX YY" from nine digits (weights 9..1, mod 101)."""
    s = sum(int(d) * (9 - i) for i, d in enumerate(n9))
    c = s % 101
    c = 0 if c == 100 else c
    return f"{n9[:3]}-{n9[3:6]}-{n9[6:]} {c:02d}"


def snils_digits(i: int) -> str:
    """Nine digits for person i: distinct, no digit three times in a row (real numbers never have it)."""
    n = 146_295_370 + i * 137
    while True:
        d = f"{n:09d}"
        if not any(d[k] == d[k + 1] == d[k + 2] for k in range(7)):
            return d
        n += 1


def snils_text(i: int) -> str:
    """A short personnel note with person i's СНИЛС."""
    return f"Работник, табельный номер {i}\nСНИЛС {snils(snils_digits(i))}\n"


class OpenProbe:
    """Records every open() of a regular file in the watched directories, by any process (inotify).

    The kernel reports IN_OPEN for each open of a watched directory's entries, whoever opens them
    and whatever the open flags (O_NOATIME included), so "no event" proves "no read".
    stat(), getxattr() (ACLs) and listing the directory do not open the files.
    """

    IN_ACCESS, IN_OPEN, IN_ISDIR = 0x1, 0x20, 0x40000000
    _HDR = struct.Struct("iIII")

    def __init__(self, root: Path):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            pytest.skip("inotify недоступен")
        self.dirs: dict[int, str] = {}
        for d, _, _ in os.walk(root):
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(d), self.IN_OPEN | self.IN_ACCESS)
            assert wd >= 0, f"inotify_add_watch failed: errno {ctypes.get_errno()}"
            self.dirs[wd] = d

    def opened(self) -> set[str]:
        """Files opened since the last call."""
        out: set[str] = set()
        while True:
            try:
                buf = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return out
            pos = 0
            while pos < len(buf):
                wd, mask, _cookie, length = self._HDR.unpack_from(buf, pos)
                name = buf[pos + self._HDR.size : pos + self._HDR.size + length].rstrip(b"\0")
                pos += self._HDR.size + length
                if name and not mask & self.IN_ISDIR:
                    out.add(os.path.join(self.dirs[wd], os.fsdecode(name)))

    def close(self) -> None:
        os.close(self.fd)


@dataclass
class Run:
    rc: int
    records: list[dict]
    stderr: str

    @property
    def summary(self) -> dict:
        return self.records[-1]

    def of(self, kind: str) -> list[dict]:
        return [r for r in self.records if r.get("type") == kind]


def run_pdscan(cmd: list[str], *args: str, env: dict | None = None, timeout: float = 240) -> Run:
    p = subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        errors="surrogateescape",  # non-UTF-8 file names, whichever way the writer emits them
        timeout=timeout,
        env={k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None},  # None: unset
    )
    records = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    return Run(p.returncode, records, p.stderr)
