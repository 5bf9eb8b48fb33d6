"""Rescan of an unchanged tree: pdscan with its store vs `find ROOT -type f -newer X`.

    .venv/bin/python benchmarks/bench_rescan.py [--files 100000] [--dir /tmp/pdscan-bench] [--jobs 2]

Builds a tree of tiny text files (one in 20 holds a СНИЛС), runs a first full scan into a fresh
store, then times (warm cache, best of --repeat):
  * `pdscan scan ROOT --db DB` again — the whole command, interpreter start-up included;
  * `find ROOT -type f -newer MARKER` — the cheapest "what changed" a shell script can do.
The target is ≥ 5,000 files/s for the rescan. The tree and store are kept for re-runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def pdscan_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "pdscan"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]


def build_tree(root: Path, n: int) -> None:
    from store_helpers import snils, snils_digits

    per_dir = 1000
    for i in range(n):
        d = root / f"d{i // per_dir:03d}"
        if i % per_dir == 0:
            d.mkdir(parents=True, exist_ok=True)
        text = (
            f"Записка {i}: СНИЛС {snils(snils_digits(i))}\n"
            if i % 20 == 0
            else f"Записка {i}: всё в порядке.\n"
        )
        (d / f"f{i:06d}.txt").write_text(text, encoding="utf-8")


def timed(cmd: list[str], env: dict) -> tuple[float, subprocess.CompletedProcess, float]:
    """Wall time, the result, and the CPU time (user + sys) the command and its children used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, p, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/pdscan-bench")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--fresh", action="store_true", help="rebuild the tree and the store")
    args = ap.parse_args()

    base = Path(args.dir)
    root, db, marker = base / f"tree{args.files}", base / f"store{args.files}.db", base / "marker"
    env = {**os.environ, "PDSCAN_FINGERPRINT_KEY": os.environ.get("PDSCAN_FINGERPRINT_KEY", "bench-key")}
    if args.fresh and base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True, exist_ok=True)
    # --ner off only makes the first (reading) scan quicker; a rescan reads nothing either way.
    scan = [*pdscan_cmd(), "scan", str(root), "--db", str(db), "-q", "--format", "jsonl", "-o", os.devnull]
    scan += ["--ner", "off"]
    if not root.exists():
        t = time.perf_counter()
        build_tree(root, args.files)
        print(f"tree: {args.files} files built in {time.perf_counter() - t:.1f} s")
    marker.touch()
    if not db.exists():
        t, p, _ = timed([*scan, "-j", str(args.jobs)], env)
        assert p.returncode in (0, 1), p.stderr
        print(f"first scan (reads every file, -j {args.jobs}): {t:.1f} s, {args.files / t:,.0f} files/s")

    subprocess.run(["find", str(root), "-type", "f"], capture_output=True)  # warm the dentry cache
    rescans, finds, cpus = [], [], []
    for _ in range(args.repeat):
        t, p, cpu = timed([*scan, "-j", str(args.jobs)], env)
        assert p.returncode == 0, (p.returncode, p.stderr)  # nothing new
        rescans.append(t)
        cpus.append(cpu)
        t, p, _ = timed(["find", str(root), "-type", "f", "-newer", str(marker)], env)
        assert p.returncode == 0 and p.stdout == "", p.stderr
        finds.append(t)
    import sqlite3

    last = json.loads(
        sqlite3.connect(db).execute("SELECT summary FROM scans ORDER BY id DESC LIMIT 1").fetchone()[0]
    )
    assert last["files_reused"] == args.files and last["bytes"] == 0, last
    r, f, cpu = min(rescans), min(finds), min(cpus)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"CPU time of the rescan (user+sys): {cpu:.2f} s = {args.files / cpu:,.0f} files/s of CPU")
    print(
        f"rescan, unchanged tree: {r:.2f} s = {args.files / r:,.0f} files/s (best of {args.repeat}; whole command)"
    )
    print(f"find -type f -newer:    {f:.2f} s = {args.files / f:,.0f} files/s")
    print(
        f"ratio pdscan/find: {r / f:.1f}x; target ≥ 5,000 files/s: {'met' if args.files / r >= 5000 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
