"""Small files per second over SMB against the same tree read locally, side by side.

Starts a real Samba server (tests/samba.py; needs root and the samba package) on 127.0.0.1, writes
N small files into its share, then times:
  walk  — listing + stat (+ for SMB one security-descriptor query per file) with 1 and K SD threads
  read  — reading every file's content with 1 and P parallel processes (P connections for SMB)

    sudo .venv/bin/python benchmarks/bench_smb.py --files 2000 --procs 4 [--pipeline]

Loopback has no network latency, so SMB figures here are an upper bound; on a LAN every round trip
adds ~0.2–1 ms, which is why reads and ACL queries run in parallel.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdscan.sources import smb  # noqa: E402
from pdscan.sources.local import read_local, walk_local  # noqa: E402
from tests.samba import skip_reason, start_samba  # noqa: E402


def make_tree(root: Path, n: int, size: int) -> None:
    per_dir = 100
    body = ("Анкета сотрудника, отдел кадров. " * (size // 60 + 1)).encode()[:size]
    for i in range(n):
        d = root / f"отдел-{i // per_dir:03d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"файл-{i:05d}.txt").write_bytes(body)


def _read_local_chunk(paths: list[str]) -> int:
    return sum(len(read_local(p, 1 << 20)) for p in paths)


def _read_smb_chunk(args) -> int:
    refs, env = args
    os.environ.update(env)
    total = 0
    for ref in refs:
        total += len(smb.read_bytes(ref, 1 << 20))
    return total


def _split(items: list, n: int) -> list[list]:
    return [items[i::n] for i in range(n)]


def timed(fn):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    CPU.append(time.process_time() - c)
    return time.perf_counter() - t, out


CPU: list[float] = []
LOAD: list[float] = []  # this process's CPU seconds per row (helper processes not counted)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--size", type=int, default=2048, help="bytes per file")
    ap.add_argument("--procs", type=int, default=4, help="parallel readers (connections) to compare with 1")
    ap.add_argument("--sd-threads", type=int, default=smb.SD_THREADS)
    ap.add_argument("--pipeline", action="store_true", help="also time the whole scan (ner off, no OCR)")
    args = ap.parse_args()
    if skip_reason():
        sys.exit(f"bench_smb: {skip_reason()}")

    LOAD.append(os.getloadavg()[0])
    base = Path(tempfile.mkdtemp(prefix="pdscan-bench-smb-"))
    base.chmod(0o755)
    srv = start_samba(base)
    env = {"PDSCAN_SMB_USER": srv.user, "PDSCAN_SMB_PASSWORD": srv.password, "PDSCAN_SMB_CONFIG": ""}
    os.environ.update(env)
    cfg = base / "empty.ini"
    cfg.write_text("")
    cfg.chmod(0o600)
    env["PDSCAN_SMB_CONFIG"] = os.environ["PDSCAN_SMB_CONFIG"] = str(cfg)
    ctx = mp.get_context("spawn")
    try:
        make_tree(srv.share_dir, args.files, args.size)
        n = args.files
        rows = []

        t, local_refs = timed(lambda: list(walk_local([str(srv.share_dir)])))
        rows.append(("walk", "local", "1", t))

        def listing_only() -> int:
            u = smb.SmbUrl.parse(srv.url)
            smb._session(u.host, u.port)
            stack, count = [""], 0
            while stack:
                files, dirs = smb._list_dir(u, stack.pop())
                count += len(files)
                stack.extend(d for d, _ in dirs)
            return count

        t, _ = timed(listing_only)
        rows.append(("walk, no ACL", "smb", "1 connection", t))
        t, _ = timed(lambda: list(smb.walk(srv.url, acl=False)))
        rows.append(("walk, no ACL", "smb", "smb.walk(acl=False)", t))
        t, smb_refs = timed(lambda: list(smb.walk(srv.url, threads=1)))
        rows.append(("walk + ACL", "smb", "1 connection", t))
        t, smb_refs = timed(lambda: list(smb.walk(srv.url, threads=args.sd_threads)))
        rows.append(("walk + ACL", "smb", f"{args.sd_threads} threads+conns", t))
        assert len(smb_refs) == len(local_refs) == n, (len(smb_refs), len(local_refs))

        paths = [r.path for r in local_refs]
        t, _ = timed(lambda: _read_local_chunk(paths))
        rows.append(("read", "local", "1 process", t))
        with ctx.Pool(args.procs) as pool:
            pool.map(_read_local_chunk, [[paths[0]]] * args.procs)  # start the processes first
            t, _ = timed(lambda: sum(pool.map(_read_local_chunk, _split(paths, args.procs))))
        rows.append(("read", "local", f"{args.procs} processes", t))

        t, _ = timed(lambda: _read_smb_chunk((smb_refs, env)))
        rows.append(("read", "smb", "1 connection", t))
        with ctx.Pool(args.procs) as pool:
            pool.map(_read_smb_chunk, [([smb_refs[0]], env)] * args.procs)  # connect each process first
            t, _ = timed(
                lambda: sum(pool.map(_read_smb_chunk, [(c, env) for c in _split(smb_refs, args.procs)]))
            )
        rows.append(("read", "smb", f"{args.procs} connections", t))

        if args.pipeline:
            from pdscan.extract import Limits
            from pdscan.scan import ScanOptions, run_scan

            for src, root in (("local", str(srv.share_dir)), ("smb", srv.url)):
                opts = ScanOptions(jobs=args.procs, ner="off", limits=Limits(ocr=False))
                t, summary = timed(lambda root=root, opts=opts: run_scan([root], opts, lambda r: None))
                assert summary.files_seen == n, summary.to_dict()
                rows.append(("pdscan scan", src, f"{args.procs} workers", t))

        print(f"{n} files of {args.size} B, Samba {srv.host}:{srv.port} (loopback), {os.cpu_count()} CPUs")
        print(f"load average before: {LOAD[0]:.1f}, after: {os.getloadavg()[0]:.1f}")
        print(f"{'stage':<14}{'source':<8}{'parallel':<20}{'seconds':>9}{'files/s':>10}{'ms CPU/file':>13}")
        for (stage, src, par, secs), cpu in zip(rows, CPU, strict=True):
            print(f"{stage:<14}{src:<8}{par:<20}{secs:>9.2f}{n / secs:>10.0f}{cpu / n * 1000:>13.2f}")
    finally:
        smb.reset_sessions()
        srv.stop()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
