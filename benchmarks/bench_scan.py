"""Whole-scan throughput (extraction + detection) per format, names on vs off, and peak memory.

Side by side in one run, on one core (in-process FileScanner, the code a worker runs; CPU time of
the process, best of three rounds with the two modes alternating):
  - docx docs/s, pdf pages/s, xlsx rows/s, plain text MB/s with `--ner off` (identifiers only)
    and `--ner fast` (names, addresses, birth dates too), and the ratio between them;
  - peak memory (RSS of pdscan and all its workers, sampled) of `pdscan scan --jobs 2` on a corpus
    of --memory-mb megabytes (default 1024), which this script builds from the same documents.

    .venv/bin/python benchmarks/bench_scan.py --quick          # small corpora, no memory run
    .venv/bin/python benchmarks/bench_scan.py                   # full run, 1 GB memory corpus
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PDSCAN_FINGERPRINT_KEY", "bench-key")

import psutil  # noqa: E402

from pdscan.extract import Limits  # noqa: E402
from pdscan.sources.local import walk_local  # noqa: E402
from pdscan.worker import FileScanner, WorkerConfig  # noqa: E402
from tests.formats import write_docx, write_pdf, write_xlsx  # noqa: E402
from tests.synth_pd import TABLE_HEADER, document, filler, table_rows  # noqa: E402


def build(
    out: Path, docs: int, pdf_pages: int, xlsx_rows: int, text_mb: int, seed: int = 7
) -> dict[str, int]:
    rng = random.Random(seed)
    for kind in ("docx", "pdf", "xlsx", "txt"):
        (out / kind).mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        chunks, _ = document(rng)
        paras = [c.text for c in chunks if not c.context]
        rows = [c.text.split("\t") for c in chunks if c.context]
        write_docx(
            out / "docx" / f"d{i}.docx", paras, tables=[[TABLE_HEADER.split("\t"), *rows]] if rows else []
        )
    pages = []
    while len(pages) < pdf_pages:
        chunks, _ = document(rng, tables=False)
        lines = []
        for c in chunks:
            for line in c.text.split("\n"):
                lines.extend(line[i : i + 100] for i in range(0, max(len(line), 1), 100))
        pages.append(lines[:45])
    for i in range(0, pdf_pages, 10):
        write_pdf(out / "pdf" / f"p{i}.pdf", pages[i : i + 10])
    labels: set = set()
    rows = [TABLE_HEADER.split("\t")]
    while len(rows) < xlsx_rows + 1:
        rows.extend(r.split("\t") for r in table_rows(rng, labels))
    for i in range(0, xlsx_rows, 5000):
        write_xlsx(out / "xlsx" / f"x{i}.xlsx", {"Реестр": [rows[0], *rows[1 + i : 1 + i + 5000]]})
    text = []
    size = 0
    while size < text_mb * 1_000_000:
        part = filler(rng, 20_000) + "\n" + document(rng, tables=False)[0][1].text + "\n"
        text.append(part)
        size += len(part.encode())
    (out / "txt" / "big.txt").write_text("".join(text), encoding="utf-8")
    return {"docx": docs, "pdf": pdf_pages, "xlsx": xlsx_rows, "txt": size}


def time_scans(folder: Path, rounds: int = 3) -> dict[str, float]:
    """CPU seconds of this process (= one core; steady when other jobs share the machine) for one
    pass over the folder with --ner off and --ner fast, best of `rounds`, the two modes alternating
    so that a slow spell of the machine hits both."""
    scanners = {ner: FileScanner(WorkerConfig(limits=Limits(ocr=False), ner=ner)) for ner in ("off", "fast")}
    refs = [r for r in walk_local([str(folder)])]
    best = {ner: float("inf") for ner in scanners}
    for scanner in scanners.values():
        scanner.scan(refs[0])  # warm caches the way a long-running worker has them
    for _ in range(rounds):
        for ner, scanner in scanners.items():
            t = time.process_time()
            for ref in refs:
                res = scanner.scan(ref)
                assert not res.errors, res.errors
            best[ner] = min(best[ner], time.process_time() - t)
    return best


def peak_memory_mb(corpus: Path, jobs: int) -> tuple[float, float, int]:
    cmd = [
        str(ROOT / ".venv/bin/pdscan"),
        "scan",
        str(corpus),
        "--jobs",
        str(jobs),
        "--format",
        "jsonl",
        "--no-store",
        "--no-ocr",
        "-o",
        os.devnull,
        "-q",
    ]
    t = time.perf_counter()
    proc = psutil.Popen(cmd)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    return peak / 1e6, time.perf_counter() - t, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--memory-mb", type=int, default=1024)
    args = ap.parse_args()
    sizes = (60, 60, 20_000, 4) if args.quick else (300, 300, 60_000, 20)
    work = Path(tempfile.mkdtemp(prefix="pdscan-bench-"))
    try:
        counts = build(work, *sizes)
        print(
            f"corpus: {counts['docx']} docx, {counts['pdf']} pdf pages, {counts['xlsx']} xlsx rows, "
            f"{counts['txt'] / 1e6:.1f} MB text\n"
        )
        print("| format | unit | ner=off (identifiers) | ner=fast (+names) | fast/off |")
        print("| --- | --- | ---: | ---: | ---: |")
        for kind, unit, n in (
            ("docx", "docs/s", counts["docx"]),
            ("pdf", "pages/s", counts["pdf"]),
            ("xlsx", "rows/s", counts["xlsx"]),
            ("txt", "MB/s", counts["txt"] / 1e6),
        ):
            cpu = time_scans(work / kind)
            off, fast = n / cpu["off"], n / cpu["fast"]
            print(f"| {kind} | {unit} per core | {off:,.1f} | {fast:,.1f} | {fast / off:.2f} |", flush=True)
        if not args.quick:
            mem = work / "memory"
            mem.mkdir()
            per_copy = sum(
                f.stat().st_size for f in work.rglob("*") if f.is_file() and "memory" not in f.parts
            )
            copies = max(1, int(args.memory_mb * 1e6 / per_copy) + 1)
            for i in range(copies):
                for kind in ("docx", "pdf", "xlsx", "txt"):
                    shutil.copytree(work / kind, mem / f"{i}" / kind)
            total = sum(f.stat().st_size for f in mem.rglob("*") if f.is_file())
            peak, secs, code = peak_memory_mb(mem, 2)
            print(
                f"\npeak memory of `pdscan scan --jobs 2` on {total / 1e6:,.0f} MB: {peak:,.0f} MB RSS "
                f"(all processes), {secs:,.1f} s, {total / 1e6 / secs:,.1f} MB/s, exit {code}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
