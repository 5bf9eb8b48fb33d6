"""Identifier detection speed: pdscan's fast Detector against a stock Presidio AnalyzerEngine.

Builds a synthetic, realistic Russian text corpus (a management company's letters, notices,
invoices and person records with checksum-valid identifiers; nothing real), then measures on
one core:

- ``Detector`` (pdscan/detect.py) over the whole corpus;
- a stock Presidio ``AnalyzerEngine`` for "ru" holding the same recognizers (blank spaCy "ru"
  with a pymorphy3 lemmatizer) over a slice of it, scaled to MB/s (it is far too slow to run
  on megabytes).

    .venv/bin/python benchmarks/bench_detect.py [--mb 4] [--baseline-kb 64] [--seed 1]

Prints a markdown table. Targets per core: ≥ 30 MB/s and ≥ 100× the baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PDSCAN_FINGERPRINT_KEY", "bench-key")

from pdscan.detect import Detector  # noqa: E402
from pdscan.model import Chunk  # noqa: E402
from tests.synth_pd import document_text, filler, requisites_document  # noqa: E402


def build_corpus(mb: float, seed: int, numbers: float = 0.1) -> list[str]:
    """Documents of 1-40 KB: letters and notices (prose with dates, sums, invoice and account
    numbers: ``numbers`` is the share of number-laden sentences), person records, letterheads
    and requisites-only accounting pages."""
    rng = random.Random(seed)
    docs, size = [], 0
    while size < mb * 1e6:
        kind = rng.random()
        if kind < 0.5:
            text, _ = document_text(rng)
            text = filler(rng, rng.randint(1000, 20000), numbers) + "\n\n" + text
        elif kind < 0.6:
            text = requisites_document(rng)
        else:
            text = filler(rng, rng.randint(2000, 40000), numbers)
        docs.append(text)
        size += len(text.encode())
    return docs


def cpu_seconds(fn) -> float:
    """CPU time of this process: the per-core cost, robust to other processes on the machine."""
    t = time.process_time()
    fn()
    return time.process_time() - t


def time_detector(docs: list[str], repeat: int = 9) -> tuple[float, int]:
    det = Detector(ner="off")  # built once, like a worker
    chunks = [Chunk(text=text, location="", line=1) for text in docs]
    findings = []
    best = min(
        cpu_seconds(lambda: findings.append(sum(len(det.scan([c]).findings) for c in chunks)))
        for _ in range(repeat)
    )
    return best, findings[-1]


def time_presidio(docs: list[str], budget_bytes: int) -> tuple[float, int, int]:
    from recognizers import build_analyzer

    analyzer = build_analyzer()
    analyzer.analyze("паспорт 0506 123456", language="ru")  # warm-up: spaCy pipeline, regex compile
    texts, used = [], 0
    for text in docs:
        if used >= budget_bytes:
            break
        text = text.encode()[: budget_bytes - used].decode(errors="ignore")
        texts.append(text)
        used += len(text.encode())
    n = []
    seconds = cpu_seconds(
        lambda: n.append(sum(1 for t in texts for r in analyzer.analyze(t, language="ru") if r.score >= 0.5))
    )
    return seconds, used, n[0]


def digit_share(docs: list[str]) -> float:
    chars = sum(len(d) for d in docs)
    return sum(sum(c.isdigit() for c in d) for d in docs) / chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=4.0, help="corpus size for the fast path, MB (UTF-8)")
    ap.add_argument("--baseline-kb", type=int, default=256, help="sample of the corpus for Presidio, KB")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    docs = build_corpus(args.mb, args.seed)
    dense = build_corpus(args.mb / 2, args.seed + 1, numbers=0.4)
    total, dense_total = (sum(len(d.encode()) for d in x) for x in (docs, dense))
    fast_s, fast_n = time_detector(docs)
    dense_s, dense_n = time_detector(dense)
    fast_mbs, dense_mbs = total / 1e6 / fast_s, dense_total / 1e6 / dense_s

    # The baseline takes documents spread over the whole corpus, so it sees the same mix.
    step = max(1, len(docs) * 25_000 // max(1, args.baseline_kb * 1024))
    sample = docs[::step] + [d for i, d in enumerate(docs) if i % step]
    base_s, base_bytes, base_n = time_presidio(sample, args.baseline_kb * 1024)
    base_mbs = base_bytes / 1e6 / base_s

    print(
        f"Corpus: {len(docs)} synthetic Russian documents, {total / 1e6:.2f} MB UTF-8, "
        f"{digit_share(docs):.1%} digits (seed {args.seed}); number-dense variant: "
        f"{dense_total / 1e6:.2f} MB, {digit_share(dense):.1%} digits."
    )
    print(
        f"CPU seconds of one process (= one core). The Presidio baseline ran on a {base_bytes / 1e3:.0f} KB "
        f"sample of the corpus (documents spread over it; too slow for all of it) and is scaled to MB/s.\n"
    )
    print("| path | bytes scanned | CPU s | MB/s per core | findings | vs Presidio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| pdscan Detector, office text | {total:,} | {fast_s:.2f} | **{fast_mbs:.1f}** | {fast_n} "
        f"| **{fast_mbs / base_mbs:.0f}×** |"
    )
    print(
        f"| pdscan Detector, number-dense text | {dense_total:,} | {dense_s:.2f} | {dense_mbs:.1f} | {dense_n} "
        f"| {dense_mbs / base_mbs:.0f}× |"
    )
    print(
        f"| stock Presidio AnalyzerEngine, same recognizers | {base_bytes:,} | {base_s:.2f} | {base_mbs:.3f} "
        f"| {base_n} | 1× |"
    )
    ok = fast_mbs >= 30 and fast_mbs / base_mbs >= 100
    print(f"\nTargets on office text (≥ 30 MB/s per core, ≥ 100× baseline): {'met' if ok else 'NOT met'}.")


if __name__ == "__main__":
    main()
