"""Legacy Office, ODF, mail, archives and OCR: documents per second, OCR seconds per page, and
how often OCR + detection find the passport number and the ФИО on passport scans.

Every file is generated here (tests/formats_legacy.py). Extraction runs in this process on one
core, content sniffing included; OCR runs with an empty cache (a fresh directory per run) and
OMP_THREAD_LIMIT=1, as in a worker.

    .venv/bin/python benchmarks/bench_formats.py            # full run (~2 min)
    .venv/bin/python benchmarks/bench_formats.py --quick    # fewer files and pages
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdscan.extract import ExtractContext, Limits, extract  # noqa: E402
from tests.formats import write_docx  # noqa: E402
from tests.formats_legacy import (  # noqa: E402
    write_doc,
    write_eml,
    write_msg,
    write_odp,
    write_ods,
    write_odt,
    write_ppt,
    write_rtf,
    write_xls,
)

SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов", "Морозов"]
NAMES = ["Пётр", "Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Николай", "Михаил", "Олег"]
PATRONYMICS = ["Петрович", "Иванович", "Сергеевич", "Алексеевич", "Дмитриевич", "Андреевич", "Олегович"]
WORDS = (
    "управляющая компания уведомляет собственников помещений о проведении общего собрания "
    "по вопросам капитального ремонта кровли и замены лифтового оборудования в подъезде"
).split()


def paragraphs(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        out.append(" ".join(rng.choice(WORDS) for _ in range(16)).capitalize() + ".")
    out.append(
        f"{rng.choice(SURNAMES)} {rng.choice(NAMES)} {rng.choice(PATRONYMICS)}, паспорт "
        f"{rng.randint(10, 99)} {rng.randint(10, 99):02d} {rng.randint(100000, 999999)}"
    )
    return out


def rows(rng: random.Random, n: int) -> list[list[object]]:
    out: list[list[object]] = [["ФИО", "Паспорт", "Телефон", "Площадь"]]
    for _ in range(n):
        out.append(
            [
                f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}",
                f"{rng.randint(10, 99)} {rng.randint(10, 99):02d} {rng.randint(100000, 999999)}",
                f"+7 9{rng.randint(10, 99)} {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                round(rng.uniform(20, 120), 1),
            ]
        )
    return out


def make_corpus(d: Path, n: int) -> dict[str, list[Path]]:
    rng = random.Random(8)
    c: dict[str, list[Path]] = {
        k: [] for k in ("doc", "xls", "ppt", "rtf", "odt", "ods", "odp", "eml", "msg")
    }
    c |= {k: [] for k in ("zip", "7z", "tar.gz")}
    for i in range(n):
        c["doc"].append(write_doc(d / f"{i}.doc", paragraphs(rng, 30)))
        c["xls"].append(write_xls(d / f"{i}.xls", {"Реестр": rows(rng, 200)}))
        c["ppt"].append(write_ppt(d / f"{i}.ppt", [paragraphs(rng, 3) for _ in range(8)]))
        c["rtf"].append(write_rtf(d / f"{i}.rtf", paragraphs(rng, 30)))
        c["odt"].append(
            write_odt(d / f"{i}.odt", paragraphs(rng, 30), table=[[str(v) for v in r] for r in rows(rng, 20)])
        )
        c["ods"].append(write_ods(d / f"{i}.ods", {"Реестр": rows(rng, 200)}))
        c["odp"].append(write_odp(d / f"{i}.odp", [paragraphs(rng, 3) for _ in range(8)]))
        docx = write_docx(d / f"{i}.docx", paragraphs(rng, 30)).read_bytes()
        c["eml"].append(
            write_eml(
                d / f"{i}.eml",
                "Документы",
                "\n".join(paragraphs(rng, 5)),
                attachments=[
                    (
                        "Заявление.docx",
                        docx,
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    )
                ],
            )
        )
        c["msg"].append(
            write_msg(
                d / f"{i}.msg",
                "Документы",
                "\n".join(paragraphs(rng, 5)),
                "Пётр",
                "УК",
                [("a.txt", b"x" * 100)],
            )
        )
        members = {f"dir/{j}.txt": "\n".join(paragraphs(rng, 10)).encode() for j in range(10)}
        members["dir/a.docx"] = docx
        zb = io.BytesIO()
        with zipfile.ZipFile(zb, "w", zipfile.ZIP_DEFLATED) as z:
            for k, v in members.items():
                z.writestr(k, v)
        (d / f"{i}.zip").write_bytes(zb.getvalue())
        c["zip"].append(d / f"{i}.zip")
        import py7zr

        with py7zr.SevenZipFile(d / f"{i}.7z", "w") as z:
            for k, v in members.items():
                z.writestr(v, k)
        c["7z"].append(d / f"{i}.7z")
        with tarfile.open(d / f"{i}.tar.gz", "w:gz") as t:
            for k, v in members.items():
                info = tarfile.TarInfo(k)
                info.size = len(v)
                t.addfile(info, io.BytesIO(v))
        c["tar.gz"].append(d / f"{i}.tar.gz")
    return c


def bench_extract(corpus: dict[str, list[Path]], repeat: int) -> None:
    # docs/s by wall clock, and by CPU time (this process + helper programs), which other load
    # on the machine does not change.
    print(f"{'format':8} {'docs/s':>9} {'docs/CPU-s':>10} {'MB/s':>7} {'chunks/doc':>10}")
    for kind, paths in corpus.items():
        blobs = [(p.name, p.read_bytes()) for p in paths]
        best = best_cpu = float("inf")
        chunks = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            c0 = _cpu()
            chunks = 0
            for name, data in blobs:
                ctx = ExtractContext(limits=Limits(), name=name)
                _, it = extract(data, ctx)
                chunks += sum(1 for _ in it)
                assert not ctx.errors, ctx.errors
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, _cpu() - c0)
        size = sum(len(b) for _, b in blobs) / 1e6
        n = len(blobs)
        print(f"{kind:8} {n / best:9.1f} {n / best_cpu:10.1f} {size / best:7.1f} {chunks / n:10.1f}")


def _cpu() -> float:
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_ocr(pages: int, tmp: Path) -> None:
    """Passport scans through the real pipeline (FileScanner: extract, OCR, detect, fingerprint)."""
    from pdscan.extract import image
    from pdscan.fingerprint import fingerprint
    from pdscan.model import FileRef
    from pdscan.worker import FileScanner, WorkerConfig
    from tests.formats_legacy import render_page, write_passport_scan

    rng = random.Random(42)
    scanner = FileScanner(WorkerConfig(limits=Limits(), ner="fast"))
    root = tmp / "scans"
    root.mkdir()
    cases = []
    for i in range(pages):
        s, n, p = rng.choice(SURNAMES), rng.choice(NAMES).replace("ё", "е"), rng.choice(PATRONYMICS)
        path = root / f"scan{i}.jpg"
        digits = write_passport_scan(path, s, n, p, rng, seed=i)
        cases.append((path, digits, f"{s} {n} {p}".lower().replace("ё", "е")))
    times, cpu, got_num, got_fio, got_both = [], [], 0, 0, 0
    for path, num, fio in cases:
        st = path.stat()
        ref = FileRef(str(path), str(root), path.name, st.st_size, st.st_mtime)
        t0 = time.perf_counter()
        c0 = _cpu()
        res = scanner.scan(ref)
        times.append(time.perf_counter() - t0)
        cpu.append(_cpu() - c0)
        found = {(f.entity, f.fingerprint) for f in res.findings}
        # The whole nominative ФИО, as its fingerprint is made (issue 8: ≥ 90% of pages).
        has_num = ("RU_PASSPORT", fingerprint("RU_PASSPORT", num)) in found
        has_fio = ("PERSON", fingerprint("PERSON", fio)) in found
        got_num += has_num
        got_fio += has_fio
        got_both += has_num and has_fio
    print(f"\nOCR, {pages} generated passport scans (JPEG, ±5°, noise, blur, 0.75–1.1 scale):")
    print(
        f"  wall s/page: median {statistics.median(times):.2f}, max {max(times):.2f}, total {sum(times):.1f}"
    )
    # CPU time of this process and its tesseract children does not grow with other load.
    print(f"  CPU s/page:  median {statistics.median(cpu):.2f}, max {max(cpu):.2f}")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run)")
    print(f"  passport number found: {got_num}/{pages} ({100 * got_num / pages:.0f}%)")
    print(f"  ФИО found:             {got_fio}/{pages} ({100 * got_fio / pages:.0f}%)")
    print(f"  both on one page:      {got_both}/{pages} ({100 * got_both / pages:.0f}%)")
    # a plain text page, and the cache
    data = io.BytesIO()
    render_page().save(data, "PNG")
    ctx = ExtractContext(limits=Limits(), name="page.png")
    t0 = time.perf_counter()
    list(extract(data.getvalue(), ctx)[1])
    t1 = time.perf_counter()
    list(extract(data.getvalue(), ExtractContext(limits=Limits(), name="page.png"))[1])
    t2 = time.perf_counter()
    print(
        f"  text page (1700×1100 PNG): {t1 - t0:.2f} s; same page again from the cache: {1000 * (t2 - t1):.1f} ms"
    )
    print(f"  OCR budget used by this worker: {image.budget_spent():.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n, pages, repeat = (10, 6, 1) if args.quick else (40, 30, 3)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PDSCAN_CACHE_DIR"] = str(Path(tmp) / "cache")
        os.environ.setdefault("PDSCAN_FINGERPRINT_KEY", "bench-key")  # no key file in the user's home
        corpus_dir = Path(tmp) / "corpus"
        corpus_dir.mkdir()
        corpus = make_corpus(corpus_dir, n)
        print(f"Extraction, {n} files per format, best of {repeat}, one core:")
        bench_extract(corpus, repeat)
        bench_ocr(pages, Path(tmp))


if __name__ == "__main__":
    main()
