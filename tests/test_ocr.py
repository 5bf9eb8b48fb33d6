"""OCR of scans with the real Tesseract: pages rendered with a Cyrillic font, rotated and noisy,
in every image format and as an image-only PDF; the cache, the time limits and OCR off."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from pdscan.extract import ExtractContext, LimitExceeded, Limits, NoText, extract
from pdscan.extract import image as ocr
from tests.formats_legacy import render_page, write_image, write_image_pdf, write_odt

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own OCR cache, so a result is never served from an earlier test."""
    d = tmp_path / "cache"
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(d))
    ocr.reset_budget()
    return d


def run(path: Path, limits: Limits | None = None):
    ctx = ExtractContext(limits=limits or Limits(), name=path.name)
    ct, chunks = extract(path.read_bytes(), ctx)
    return ct, list(chunks), ctx.errors


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(
    ("suffix", "angle", "noise", "ct"),
    [
        ("png", 0.0, 0.0, "image/png"),
        ("jpg", 3.0, 0.02, "image/jpeg"),
        ("tiff", -2.5, 0.02, "image/tiff"),
        ("bmp", 1.5, 0.01, "image/bmp"),
    ],
)
def test_passport_scan_formats(tmp_path: Path, suffix: str, angle: float, noise: float, ct: str):
    p = write_image(tmp_path / f"скан.{suffix}", render_page(angle=angle, noise=noise, seed=7))
    got_ct, chunks, errors = run(p)
    assert got_ct == ct
    text = "\n".join(c.text for c in chunks)
    assert "4506123456" in digits(text)  # series and number
    assert "Иванов" in text
    assert chunks[0].location == "page 1" and errors == []


def test_image_only_pdf(tmp_path: Path):
    pages = [render_page(angle=2, noise=0.02), render_page(["Страница два", "СНИЛС 112-233-445 95"], seed=3)]
    p = write_image_pdf(tmp_path / "скан.pdf", pages)
    ct, chunks, errors = run(p)
    assert ct == "application/pdf"
    by_page = {c.location: c.text for c in chunks}
    assert "4506123456" in digits(by_page["page 1"])
    assert "11223344595" in digits(by_page["page 2"])
    assert errors == []


def test_multipage_tiff(tmp_path: Path):
    a = render_page(["Первая страница", "Паспорт серия 45 06 № 123456"])
    b = render_page(["Вторая страница", "Телефон 8 916 555 12 34"], seed=2)
    p = tmp_path / "пачка.tiff"
    a.save(p, save_all=True, append_images=[b])
    _, chunks, _ = run(p)
    assert [c.location for c in chunks] == ["page 1", "page 2"]
    assert "89165551234" in digits(chunks[1].text)


def test_cache_is_private_and_reused(tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch):
    p = write_image(tmp_path / "a.png", render_page())
    _, first, _ = run(p)
    files = list(private_cache.rglob("*.txt"))
    assert len(files) == 1
    assert stat.S_IMODE(private_cache.joinpath("ocr").stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert "123456" in files[0].read_text("utf-8")
    # With no tesseract on PATH the page can only come from the cache.
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _, again, _ = run(p)
    assert [c.text for c in again] == [c.text for c in first]


def test_unusable_cache_only_costs_a_second_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("PDSCAN_CACHE_DIR", str(blocker))
    p = write_image(tmp_path / "a.png", render_page())
    _, chunks, errors = run(p)
    assert "123456" in digits(chunks[0].text) and errors == []


def test_tesseract_gets_one_omp_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A stand-in tesseract that prints the variable it was started with.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "tesseract"
    # TSV as Tesseract writes it: a header, then one row per word (level 5), text in column 12.
    fake.write_text(
        "#!/bin/sh\ncat >/dev/null\n"
        "printf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n'\n"
        'printf "5\\t1\\t1\\t1\\t1\\t1\\t0\\t0\\t9\\t9\\t96\\tOMP_THREAD_LIMIT=$OMP_THREAD_LIMIT\\n"\n'
        'printf "5\\t1\\t1\\t1\\t1\\t2\\t0\\t0\\t9\\t9\\t96\\targs=%s\\n" "$*"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    text = ocr.ocr_image(
        write_image(tmp_path / "a.png", render_page()).read_bytes(), ExtractContext(Limits())
    )
    assert "OMP_THREAD_LIMIT=1" in text
    assert "-l rus+eng --psm 3 tsv" in text


@pytest.mark.parametrize("turn", [90, 180])
def test_page_turned_sideways_or_upside_down(tmp_path: Path, turn: int):
    p = write_image(
        tmp_path / f"повёрнут{turn}.png", render_page(angle=1.0, noise=0.01).rotate(turn, expand=True)
    )
    _, chunks, _ = run(p)
    text = "\n".join(c.text for c in chunks)
    assert "4506123456" in digits(text) and "Иванов" in text


def test_tsv_text_rebuilds_lines_and_blocks():
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    rows = [
        ("1", "1", "1", "Паспорт", "90"),
        ("1", "1", "1", "выдан", "80"),
        ("1", "1", "2", "ОВД", "70"),
        ("2", "1", "1", "45", "-1"),
    ]
    tsv = head + "4\t1\t1\t1\t1\t0\t0\t0\t0\t0\t-1\t\n"
    tsv += "".join(f"5\t1\t{b}\t{p}\t{ln}\t1\t0\t0\t9\t9\t{c}\t{w}\n" for b, p, ln, w, c in rows)
    r = ocr.parse_tsv(tsv)
    assert r.text == "Паспорт выдан\nОВД\n\n45\n"
    assert r.words == 3 and r.confidence == 80.0


def test_ocr_off_means_no_text(tmp_path: Path):
    p = write_image(tmp_path / "a.png", render_page())
    with pytest.raises(NoText):
        ctx = ExtractContext(limits=Limits(ocr=False), name=p.name)
        _, chunks = extract(p.read_bytes(), ctx)
        list(chunks)


def test_page_timeout_and_scan_budget(tmp_path: Path):
    p = write_image(tmp_path / "a.png", render_page(noise=0.01))
    with pytest.raises(LimitExceeded, match="распознавание страницы"):
        run(p, Limits(ocr_page_seconds=0.05))
    ocr._BUDGET.spent = 10.0
    with pytest.raises(LimitExceeded, match="бюджет"):
        run(p, Limits(ocr_scan_seconds=5.0))


def test_pdf_page_timeout_is_a_page_error_others_go_on(tmp_path: Path):
    p = write_image_pdf(tmp_path / "скан.pdf", [render_page()])
    _, chunks, errors = run(p, Limits(ocr_page_seconds=0.05))
    assert chunks == []
    assert len(errors) == 1 and "страница 1 не распознана" in errors[0]


def test_page_sizes_tesseract_reads_well():
    from PIL import Image

    assert ocr._prepare(Image.new("RGB", (7016, 4960), "white")).size == (3508, 2480)  # 600 DPI → 300
    assert ocr._prepare(Image.new("L", (600, 400), 255)).size == (1200, 800)  # small: scaled up 2×
    assert ocr._prepare(Image.new("L", (2480, 3508), 255)).size == (2480, 3508)  # 300 DPI A4: as is


def test_tiny_images_are_not_read(tmp_path: Path):
    from PIL import Image

    p = tmp_path / "icon.png"
    Image.new("L", (16, 16), 0).save(p)
    _, chunks, errors = run(p)
    assert chunks == [] and errors == []


def _ocr_in_child(png: bytes) -> None:
    ocr.ocr_image(png, ExtractContext(Limits(ocr_page_seconds=60)))


def test_tesseract_dies_with_a_killed_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import multiprocessing
    import signal
    import time

    bindir = tmp_path / "bin"
    bindir.mkdir()
    pidfile = tmp_path / "tess.pid"
    (bindir / "tesseract").write_text(f"#!/bin/sh\necho $$ > {pidfile}\nexec sleep 60\n")
    (bindir / "tesseract").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    png = write_image(tmp_path / "a.png", render_page()).read_bytes()
    worker = multiprocessing.get_context("fork").Process(target=_ocr_in_child, args=(png,))
    worker.start()
    for _ in range(100):
        if pidfile.exists() and pidfile.read_text().strip():
            break
        time.sleep(0.05)
    pid = int(pidfile.read_text())
    os.kill(worker.pid, signal.SIGKILL)  # what the pool does to a worker past the file timeout
    worker.join()
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        # a zombie re-parented to init is reaped soon; a live "sleep 60" would stay
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("tesseract outlived its worker")


# --- passport scans through the real pipeline (issue 8: number and ФИО on ≥ 90% of pages) -------

# Holders: common and rare surnames (one pymorphy3 does not know), men and women.
HOLDERS = [
    ("Иванов", "Иван", "Иванович"),
    ("Кузнецова", "Мария", "Петровна"),
    ("Смирнов", "Алексей", "Сергеевич"),
    ("Кхвостиков", "Дмитрий", "Олегович"),
    ("Соколова", "Анна", "Андреевна"),
    ("Морозов", "Андрей", "Николаевич"),
    ("Шевченко", "Ольга", "Викторовна"),
    ("Попов", "Николай", "Дмитриевич"),
    ("Васильева", "Елена", "Михайловна"),
    ("Петров-Водкин", "Сергей", "Алексеевич"),
]


def passport_scans(tmp_path: Path, n: int, seed: int = 8):
    """JPEG passport spreads as a phone or flatbed gives them: turned ±5°, noisy, sometimes
    blurred, at 0.75–1.1 of 150 DPI. Yields (path, series+number, nominative ФИО)."""
    import random

    from tests.formats_legacy import write_passport_scan

    rng = random.Random(seed)
    for i in range(n):
        s, nm, p = HOLDERS[i % len(HOLDERS)]
        path = tmp_path / f"паспорт{i}.jpg"
        yield path, write_passport_scan(path, s, nm, p, rng, seed=i), f"{s} {nm} {p}".lower()


def test_passport_scans_number_and_fio_found_through_the_scanner(tmp_path: Path):
    from pdscan.fingerprint import fingerprint
    from pdscan.model import FileRef
    from pdscan.worker import FileScanner, WorkerConfig

    scanner = FileScanner(WorkerConfig(limits=Limits(), ner="fast"))
    pages = list(passport_scans(tmp_path, 10))
    got_num = got_fio = 0
    for path, num, fio in pages:
        st = path.stat()
        res = scanner.scan(FileRef(str(path), str(tmp_path), path.name, st.st_size, st.st_mtime))
        assert res.errors == [] and res.content_type == "image/jpeg"
        found = {(f.entity, f.fingerprint) for f in res.findings}
        got_num += ("RU_PASSPORT", fingerprint("RU_PASSPORT", num)) in found
        got_fio += ("PERSON", fingerprint("PERSON", fio)) in found
        # The issuing authority "ОТДЕЛОМ УФМС РОССИИ ПО ГОР. МОСКВЕ" is nobody.
        assert sum(e == "PERSON" for e, _ in found) <= 1
    assert got_num >= 9 and got_fio >= 9, (got_num, got_fio)


def _scan_file(path: Path, limits: Limits):
    from pdscan.model import FileRef
    from pdscan.worker import FileScanner, WorkerConfig

    st = path.stat()
    ref = FileRef(str(path), str(path.parent), path.name, st.st_size, st.st_mtime)
    return FileScanner(WorkerConfig(limits=limits, ner="off")).scan(ref)


def _office_with_pictures(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A Word file, a workbook and an OpenDocument text, each with a passport scan and a small logo."""
    import docx
    import xlsxwriter
    from PIL import Image

    scan = write_image(tmp_path / "скан.png", render_page(noise=0.01))
    logo = tmp_path / "logo.png"
    Image.new("L", (240, 90), 60).save(logo)
    doc = docx.Document()
    doc.add_paragraph("Копия паспорта сотрудника прилагается.")
    doc.add_picture(str(logo))
    doc.add_picture(str(scan))
    word = tmp_path / "копия паспорта.docx"
    doc.save(word)
    book = tmp_path / "личные дела.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("Лист1")
    ws.write_string(0, 0, "Скан паспорта")
    ws.insert_image("A2", str(logo))
    ws.insert_image("D2", str(scan))
    wb.close()
    odt = write_odt(tmp_path / "копия паспорта.odt", ["Копия паспорта"], pictures=[logo, scan])
    return word, book, odt


def test_pictures_pasted_into_office_files_are_read(tmp_path: Path, private_cache: Path):
    from pdscan.fingerprint import fingerprint

    word, book, odt = _office_with_pictures(tmp_path)
    for path, media in ((word, "word/media/"), (book, "xl/media/"), (odt, "Pictures/")):
        res = _scan_file(path, Limits())
        assert res.errors == []
        passports = [f for f in res.findings if f.entity == "RU_PASSPORT"]
        assert [f.fingerprint for f in passports] == [fingerprint("RU_PASSPORT", "4506123456")]
        assert passports[0].member is not None and passports[0].member.startswith(media)
    # The logo is too small to hold a document: only the scan went to Tesseract (one cached text),
    # and the other files' copies of the same scan were served from the cache.
    assert len([p for p in private_cache.rglob("*") if p.is_file()]) == 1


def test_pictures_in_office_files_are_skipped_without_ocr(tmp_path: Path, private_cache: Path):
    for path in _office_with_pictures(tmp_path):
        res = _scan_file(path, Limits(ocr=False))
        assert res.errors == [] and res.findings == []
    assert not private_cache.exists() or not any(p.is_file() for p in private_cache.rglob("*"))
