"""Extraction speed, ours against the usual Python libraries, side by side on one core.

Builds small realistic corpora (HR documents as docx, multi-page PDFs with a text layer, an
owners' register as xlsx) and reports docs/s, pages/s and rows/s for pdscan's extractors
(content sniffing included) and for python-docx, pdfplumber and openpyxl (read-only) reading
the same files. Extraction only: detection is measured by the main benchmark.

    .venv/bin/python benchmarks/bench_extract.py            # full run (~2 min)
    .venv/bin/python benchmarks/bench_extract.py --quick    # smaller corpora
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdscan.extract import ExtractContext, Limits, extract  # noqa: E402
from tests.formats import write_docx, write_pdf, write_xlsx  # noqa: E402

SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов"]
NAMES = ["Пётр", "Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Николай", "Михаил"]
WORDS = (
    "в соответствии с трудовым договором работник обязуется выполнять обязанности по должности "
    "управляющей компании а работодатель обеспечить условия труда выплачивать заработную плату"
).split()


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _person(rng: random.Random) -> list[str]:
    return [
        f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}",
        f"{rng.randint(1000, 9999)}",
        f"{rng.randint(100000, 999999)}",
        f"+7 914 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
    ]


def _copies(paths: list[Path], n: int) -> list[Path]:
    """n files cycling through the distinct ones: writing is slow, reading a copy costs the same."""
    out = list(paths)
    for i in range(len(paths), n):
        src = paths[i % len(paths)]
        dst = src.with_name(f"copy{i}{src.suffix}")
        dst.write_bytes(src.read_bytes())
        out.append(dst)
    return out[:n]


def build_docx(d: Path, n: int, rng: random.Random) -> list[Path]:
    paths = []
    for i in range(min(n, 40)):
        paras = [_sentence(rng) for _ in range(40)]  # about two pages
        table = [["ФИО", "Серия", "Номер", "Телефон"]] + [_person(rng) for _ in range(15)]
        paths.append(write_docx(d / f"doc{i}.docx", paras, [table], header="ООО «УК Дом»", footer="стр."))
    return _copies(paths, n)


def build_pdf(d: Path, n: int, pages: int, rng: random.Random) -> list[Path]:
    paths = [
        write_pdf(d / f"doc{i}.pdf", [[_sentence(rng, 10) for _ in range(45)] for _ in range(pages)])
        for i in range(min(n, 2))
    ]
    return _copies(paths, n)


def build_xlsx(d: Path, n: int, rows: int, rng: random.Random) -> list[Path]:
    data = [["ФИО", "Серия", "Номер", "Телефон", "Кв.", "Площадь", "Доля", "Примечание"]]
    data += [[*_person(rng), rng.randint(1, 300), round(rng.uniform(20, 120), 1), 1, ""] for _ in range(rows)]
    path = write_xlsx(d / "reg0.xlsx", {"Собственники": data, "Копия": data[: rows // 4]})
    return _copies([path], n)


# ---- readers ------------------------------------------------------------------------------------


def ours(path: Path) -> int:
    """Run pdscan's extraction (sniffing included); return the number of chunks."""
    ctx = ExtractContext(limits=Limits(), name=path.name)
    _, chunks = extract(path.read_bytes(), ctx)
    return sum(1 for _ in chunks)


def python_docx(path: Path) -> int:
    import docx

    doc = docx.Document(str(path))
    n = sum(len(p.text) > 0 for p in doc.paragraphs)
    for t in doc.tables:
        for row in t.rows:
            n += len("\t".join(c.text for c in row.cells)) > 0
    for s in doc.sections:
        n += len(s.header.paragraphs) + len(s.footer.paragraphs)
    return n


def pdfplumber_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return sum(len(p.extract_text() or "") > 0 for p in pdf.pages)


def openpyxl_rows(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    wb.close()
    return n


def timed(fn: Callable[[Path], int], paths: list[Path], budget: float) -> tuple[int, float]:
    """Files read and CPU seconds, stopping early once `budget` seconds are spent (slow baselines).

    CPU time of this process, not wall time: the figure is per core and does not drift with
    whatever else the machine runs.
    """
    t0 = time.process_time()
    done = 0
    for p in paths:
        fn(p)
        done += 1
        if time.process_time() - t0 > budget:
            break
    return done, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller corpora")
    ap.add_argument("--dir", type=Path, help="build corpora here (default: a temporary directory)")
    args = ap.parse_args()
    q = args.quick
    n_docx, n_pdf, pdf_pages, n_xlsx, xlsx_rows = (100, 3, 40, 2, 20_000) if q else (300, 6, 60, 3, 40_000)
    budget = 5.0 if q else 15.0
    rng = random.Random(152)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        d = Path(tmp)
        t0 = time.perf_counter()
        docx_paths = build_docx(d, n_docx, rng)
        pdf_paths = build_pdf(d, n_pdf, pdf_pages, rng)
        xlsx_paths = build_xlsx(d, n_xlsx, xlsx_rows, rng)
        print(f"corpus built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        rows_per_book = xlsx_rows + 1 + (xlsx_rows // 4 + 1)
        ours(docx_paths[0])  # import and warm up every module once

        results = []
        for label, unit, per_file, ours_paths, base_name, base_fn in (
            ("docx", "docs/s", 1, docx_paths, "python-docx", python_docx),
            ("pdf", "pages/s", pdf_pages, pdf_paths, "pdfplumber", pdfplumber_pages),
            ("xlsx", "rows/s", rows_per_book, xlsx_paths, "openpyxl (read-only)", openpyxl_rows),
        ):
            n, s = timed(ours, ours_paths, float("inf"))
            mine = n * per_file / s
            n, s = timed(base_fn, ours_paths, budget)
            base = n * per_file / s
            results.append((label, unit, mine, base_name, base))

    print(
        f"per core (CPU time of one process); corpus: {n_docx} docx, {n_pdf}×{pdf_pages}-page pdf, {n_xlsx} xlsx"
    )
    print(f"{'format':6} {'pdscan':>14} {'baseline':>14}  {'':22} {'speed-up':>8}")
    for label, unit, mine, base_name, base in results:
        print(
            f"{label:6} {mine:>10,.0f} {unit:<7} {base:>7,.0f} {unit:<7} {base_name:22} {mine / base:>7.0f}×"
        )


if __name__ == "__main__":
    main()
