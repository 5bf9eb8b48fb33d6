"""Names, addresses, birth dates: speed and quality of ``--ner fast`` against natasha (``--ner deep``).

One run measures, on one core (CPU time of this process):

- PERSON detection of the default fast finder (pymorphy3 grammemes) in MB/s, and natasha/slovnet
  alone (PER spans of two or more words) on a slice, scaled to MB/s;
- LOCATION and DATE_OF_BIRTH detection in MB/s;
- the whole detector with names on (``Detector(ner="fast")``) against the identifier-only scan
  (``Detector(ner="off")``) on the same text, and the ratio;
- file-level PERSON precision / recall on synthetic documents (tests/synth_ru.py) for the fast
  finder, natasha alone and the deep mode (fast ∪ natasha).

The corpus: synthetic documents with people (registers, applications, letters, invoices, HR
orders, street news) mixed with the identifier benchmark's prose (tests/synth_pd.py).

    .venv/bin/python benchmarks/bench_names.py [--mb 2] [--deep-kb 200] [--docs 160] [--seed 1]

Targets: fast PERSON ≥ 3 MB/s per core; names-on scan ≥ 50% of the identifier-only scan.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("PDSCAN_FINGERPRINT_KEY", "bench-key")

from pdscan.detect import Detector  # noqa: E402
from pdscan.model import Chunk, Detection  # noqa: E402
from recognizers import address, birthdate, names  # noqa: E402
from tests.synth_pd import filler  # noqa: E402
from tests.synth_ru import Gen  # noqa: E402


def build_corpus(mb: float, seed: int) -> list[list[Chunk]]:
    """Files as chunk lists: half documents with people, half long prose with few or none."""
    rng = random.Random(seed)
    gen = Gen(seed)
    files, size = [], 0
    while size < mb * 1e6:
        if rng.random() < 0.5:
            doc = gen.documents(1 + rng.randint(0, 7))[-1]
            chunks = doc.chunks
        else:
            chunks = [Chunk(text=filler(rng, rng.randint(2000, 40000)), location="line 1", line=1)]
        files.append(chunks)
        size += sum(len(c.text.encode()) for c in chunks)
    return files


def nbytes(files: list[list[Chunk]]) -> int:
    return sum(len(c.text.encode()) for f in files for c in f)


def rate(fn, files: list[list[Chunk]]) -> float:
    """MB/s of fn over every chunk, CPU time of this process (other load does not count)."""
    fn(files[0][0])  # warm-up: dictionaries, compiled patterns
    t = time.process_time()
    for f in files:
        for c in f:
            fn(c)
    return nbytes(files) / max(time.process_time() - t, 1e-9) / 1e6


def scan_rate(det: Detector, files: list[list[Chunk]]) -> float:
    det.scan(files[0])
    t = time.process_time()
    for f in files:
        det.scan(f)
    return nbytes(files) / max(time.process_time() - t, 1e-9) / 1e6


def natasha_only(chunk: Chunk) -> list[Detection]:
    """natasha/slovnet PER spans of two or more words, nothing else."""
    from natasha import Doc

    segmenter, tagger = names._natasha()
    doc = Doc(chunk.text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [
        Detection("PERSON", s.start, s.stop, s.text.lower(), names.SCORE_DEEP)
        for s in doc.spans
        if s.type == "PER" and len(s.text.split()) >= 2
    ]


def write_files(files: list[list[Chunk]], root: Path) -> int:
    """The corpus as real files (txt, csv, docx, xlsx, pdf in turn); returns their total size."""
    import formats

    total = 0
    for i, chunks in enumerate(files):
        text = "\n".join(c.text for c in chunks)
        rows = [c.text.split("\t") for c in chunks]
        fmt = ("txt", "csv", "docx", "xlsx", "pdf")[i % 5]
        path = root / f"f{i:04d}.{fmt}"
        if fmt == "txt" or (fmt == "csv" and len(rows) < 3):
            path = path.with_suffix(".txt")
            path.write_text(text, encoding="utf-8")
        elif fmt == "csv":
            path.write_text("\n".join(";".join(r) for r in rows), encoding="utf-8")
        elif fmt == "docx":
            formats.write_docx(path, paragraphs=text.split("\n"))
        elif fmt == "xlsx":
            formats.write_xlsx(path, {"Лист1": rows if len(rows) > 2 else [[ln] for ln in text.split("\n")]})
        else:
            lines = [w for ln in text.split("\n") for w in (textwrap.wrap(ln, 90) or [""])]
            formats.write_pdf(path, [lines[k : k + 50] for k in range(0, len(lines), 50)])
        total += path.stat().st_size
    return total


def whole_scan(root: Path, ner: str) -> float:
    """CPU seconds of the per-file work of a scan (read, extract, detect) with one FileScanner."""
    from pdscan.model import FileRef
    from pdscan.worker import FileScanner, WorkerConfig

    scanner = FileScanner(WorkerConfig(ner=ner))
    refs = []
    for p in sorted(root.iterdir()):
        st = p.stat()
        refs.append(FileRef(path=str(p), root=str(root), rel=p.name, size=st.st_size, mtime=st.st_mtime))
    scanner.scan(refs[0])  # warm-up: models, dictionaries
    t = time.process_time()
    for ref in refs:
        scanner.scan(ref)
    return time.process_time() - t


def quality(fn, docs) -> tuple[float, float]:
    tp = fp = fn_ = 0
    for doc in docs:
        pred = any(d.score >= 0.5 for c in doc.chunks for d in fn(c) if d.entity == "PERSON")
        tp += pred and doc.person
        fp += pred and not doc.person
        fn_ += doc.person and not pred
    return tp / max(1, tp + fp), tp / max(1, tp + fn_)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0, help="corpus size for the fast paths")
    ap.add_argument("--deep-kb", type=float, default=200.0, help="slice of it for natasha")
    ap.add_argument("--docs", type=int, default=160, help="synthetic documents for precision/recall")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files-mb", type=float, default=3.0, help="text for the whole-scan run (0: skip)")
    args = ap.parse_args()

    files = build_corpus(args.mb, args.seed)
    deep_files, size = [], 0
    for f in files:
        if size >= args.deep_kb * 1e3:
            break
        deep_files.append(f)
        size += sum(len(c.text.encode()) for c in f)

    rows = [
        ("PERSON, --ner fast (pymorphy3)", rate(names.detect_chunk, files)),
        ("PERSON, natasha/slovnet alone", rate(natasha_only, deep_files)),
        ("PERSON, --ner deep (fast + natasha)", rate(names.detect_chunk_deep, deep_files)),
        ("LOCATION (address patterns)", rate(address.detect_chunk, files)),
        ("DATE_OF_BIRTH (context)", rate(birthdate.detect_chunk, files)),
    ]
    off = scan_rate(Detector(ner="off"), files)
    fast = scan_rate(Detector(ner="fast"), files)
    rows += [("Detector, identifiers only (--ner off)", off), ("Detector, names on (--ner fast)", fast)]

    scans = []
    if args.files_mb > 0:
        with tempfile.TemporaryDirectory(prefix="bench-names-") as tmp:
            files_size = write_files(build_corpus(args.files_mb, args.seed + 7), Path(tmp))
            for ner in ("off", "fast"):
                scans.append((ner, files_size / whole_scan(Path(tmp), ner) / 1e6))

    docs = Gen(args.seed + 100).documents(args.docs)
    deep_docs = docs[: max(8, args.docs // 4)]
    qual = [
        ("--ner fast", quality(names.detect_chunk, docs), len(docs)),
        ("natasha alone", quality(natasha_only, deep_docs), len(deep_docs)),
        ("--ner deep", quality(names.detect_chunk_deep, deep_docs), len(deep_docs)),
    ]

    print(
        f"Corpus: {nbytes(files) / 1e6:.2f} MB ({len(files)} files); natasha slice {size / 1e3:.0f} KB; one core, CPU time.\n"
    )
    print("| what | MB/s per core |")
    print("| --- | ---: |")
    for name, v in rows:
        print(f"| {name} | {v:.2f} |")
    print(f"| names-on scan / identifier-only scan | {fast / off:.0%} |")
    if scans:
        print(
            f"\nWhole scan (read, extract, detect: pdscan.worker.FileScanner), {files_size / 1e6:.1f} MB of files:\n"
        )
        print("| --ner | MB/s per core (file bytes) |")
        print("| --- | ---: |")
        for ner, cpu_rate in scans:
            print(f"| {ner} | {cpu_rate:.2f} |")
        print(f"| fast / off | {scans[1][1] / scans[0][1]:.0%} |")
    print("\n| PERSON, file level | precision | recall | documents |")
    print("| --- | ---: | ---: | ---: |")
    for name, (p, r), n in qual:
        print(f"| {name} | {p:.3f} | {r:.3f} | {n} |")


if __name__ == "__main__":
    main()
