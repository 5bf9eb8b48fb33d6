"""Soak run of watch mode (not in CI): files created at a steady rate while `pdscan watch` runs.

Checks that every file is read exactly once and none is missed (read count from the watcher's
exit status line, one violation alert per file with personal data, one store row per file), that
deletions are marked gone, and that memory (RSS of the watcher and its workers) stays flat.

    .venv/bin/python benchmarks/soak_watch.py --files 10000 --rate 40
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from recognizers.snils import snils_check  # noqa: E402


def snils(rng: random.Random) -> str:
    first = f"{rng.randint(2_000_000, 999_999_999):09d}"
    v = first + snils_check(first)
    return f"{v[:3]}-{v[3:6]}-{v[6:9]} {v[9:]}"


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--rate", type=float, default=40.0, help="files per second")
    ap.add_argument("--pd-share", type=float, default=0.5, help="share of files with personal data")
    ap.add_argument("--delete", type=int, default=1000, help="files deleted at the end")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--ner", default="fast")
    ap.add_argument("--polling", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()

    base = Path(tempfile.mkdtemp(prefix="pdscan-soak-"))
    share = base / "share"
    (share / "Кадры").mkdir(parents=True)
    (base / "policy.yaml").write_text('version: 1\nauthorized_locations:\n  - "Кадры/**"\n', encoding="utf-8")
    db = base / "watch.db"
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe), "watch", str(share), "--policy", str(base / "policy.yaml"), "--db", str(db)]
    cmd += ["--ner", args.ner, "--no-ocr", "-j", str(args.jobs), "--log-file", str(base / "watch.log")]
    if args.polling:
        cmd += ["--polling"]
    env = {**os.environ, "PDSCAN_FINGERPRINT_KEY": "soak-test-key"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    ps = psutil.Process(proc.pid)

    violations: dict[str, int] = {}
    junk: list[str] = []
    lock = threading.Lock()

    def read_alerts():
        for line in proc.stdout:
            try:
                rec = json.loads(line)
            except ValueError:
                junk.append(line[:200])  # stdout must hold JSON lines only
                continue
            if rec["type"] == "violation":
                with lock:
                    violations[rec["path"]] = violations.get(rec["path"], 0) + 1

    threading.Thread(target=read_alerts, daemon=True).start()
    log = base / "watch.log"
    while not (log.exists() and "готово" in log.read_text(encoding="utf-8")):
        time.sleep(0.2)
        if proc.poll() is not None:
            print("watcher died at start", file=sys.stderr)
            return 2

    rss: list[tuple[float, int]] = []
    stop_sampling = threading.Event()

    def sample():
        t0 = time.monotonic()
        while not stop_sampling.wait(5.0):
            rss.append((time.monotonic() - t0, tree_rss(ps)))

    threading.Thread(target=sample, daemon=True).start()

    rng = random.Random(7)
    pd_paths: set[str] = set()
    all_paths: list[str] = []
    started = time.monotonic()
    for i in range(args.files):
        folder = share / f"Отдел{i % 100:02d}"  # folders appear during the run, as on a real share
        folder.mkdir(exist_ok=True)
        path = folder / f"док{i:05d}.txt"
        if rng.random() < args.pd_share:
            text = f"Заявление жильца кв. {i}\nСНИЛС {snils(rng)}\n"
            pd_paths.add(str(path))
        else:
            text = f"Протокол собрания № {i}\nПовестка: ремонт кровли.\n"
        with open(path, "w", encoding="utf-8") as f:  # two writes: a file seen half-written must wait
            f.write(text[: len(text) // 2])
            f.flush()
            f.write(text[len(text) // 2 :])
        all_paths.append(str(path))
        delay = started + (i + 1) / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    created_s = time.monotonic() - started

    def stored() -> tuple[int, int]:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
            return c.execute("SELECT sum(gone=0), sum(gone=1) FROM files").fetchone()

    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        with lock:
            got = sum(1 for p in pd_paths if p in violations)
        present, _ = stored()
        if got == len(pd_paths) and (present or 0) >= args.files:
            break
        if os.environ.get("SOAK_DEBUG"):
            print(f"alerted {got}/{len(pd_paths)}, stored {present}", file=sys.stderr)
        time.sleep(1)
    caught_up_s = time.monotonic() - started

    deleted = all_paths[: args.delete]
    for p in deleted:
        os.unlink(p)
    while time.monotonic() < deadline:
        present, gone = stored()
        if (gone or 0) >= len(deleted):
            break
        time.sleep(0.5)
    time.sleep(2)
    stop_sampling.set()
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(60)

    status = [x for x in log.read_text(encoding="utf-8").splitlines() if "наблюдение: прочитано" in x][-1]
    reads = int(status.split("прочитано ", 1)[1].split(",", 1)[0])
    present, gone = stored()
    with lock:
        missed = sorted(p for p in pd_paths if p not in violations)
        repeated = sorted(p for p, n in violations.items() if n > 1)
    steady = [r for t, r in rss if t >= 30] or [r for _, r in rss]
    third = max(1, len(steady) // 3)
    first_mb = statistics.mean(steady[:third]) / 1e6
    last_mb = statistics.mean(steady[-third:]) / 1e6
    report = {
        "files": args.files,
        "rate_per_s": args.rate,
        "mode": "polling" if args.polling else "inotify",
        "ner": args.ner,
        "jobs": args.jobs,
        "create_seconds": round(created_s, 1),
        "all_alerted_after_s": round(caught_up_s, 1),
        "reads": reads,
        "files_with_pd": len(pd_paths),
        "missed_pd_files": len(missed),
        "alerted_twice": len(repeated),
        "store_present": present,
        "store_gone": gone,
        "deleted": len(deleted),
        "rss_mb_first_third": round(first_mb, 1),
        "rss_mb_last_third": round(last_mb, 1),
        "rss_mb_max": round(max(r for _, r in rss) / 1e6, 1) if rss else None,
        "rss_samples": len(rss),
        "exit_code": rc,
        "non_json_stdout_lines": len(junk),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    ok = (
        reads == args.files
        and not missed
        and not repeated
        and present == args.files - len(deleted)
        and gone == len(deleted)
        and rc == 0
        and not junk
    )
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    else:
        print(f"kept: {base}", file=sys.stderr)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
