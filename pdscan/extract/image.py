"""OCR of scans (png, jpg, tiff, bmp, and image-only PDF pages) with Tesseract, Russian + English.

Tesseract runs as a subprocess with OMP_THREAD_LIMIT=1 in its own environment (measured:
two OpenMP threads per process on a loaded machine turned 0.6 s pages into 19 s ones).
The image goes in on stdin and the text comes back on stdout, so no scan ever lands in
/tmp; pytesseract cannot set the child's environment and works through temporary files,
hence the direct call.

A page that reads with low confidence is checked with Tesseract's orientation detection
and, when it lies sideways or upside down, read again turned upright.

Each page has a time limit (Limits.ocr_page_seconds) and each worker process an OCR
budget for the whole scan (Limits.ocr_scan_seconds). Results are cached by the SHA-256 of
the image so a page is read once; the cache holds OCR text, which is raw personal data,
so its directory is 0700 and its files 0600.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from pdscan.extract import register
from pdscan.extract.base import ExtractContext, ExtractError, LimitExceeded, NoText
from pdscan.extract.subproc import die_with_parent
from pdscan.i18n import t
from pdscan.model import Chunk

LANG = "rus+eng"
PSM = "3"  # fully automatic page segmentation: scans are whole pages with blocks of text
CACHE_VERSION = "4"  # bump when preprocessing changes, so old texts are not reused
MIN_SIDE = 48  # icons and spacer gifs carry no text worth a Tesseract run
# Bigger images are scaled down first: Tesseract time grows with area, and it reads best at
# about 300 DPI — an A4 page at 300 DPI is 2480×3508, a 600 DPI scan or a phone photo is more.
MAX_LONG_SIDE = 3508
MIN_SHORT_SIDE = 800  # a smaller image is scaled up (at most 2×): Tesseract misreads small print
MAX_FRAMES = 200  # pages of a multi-page TIFF
# A page read with mean word confidence under this (and at least this many words) is checked
# for being turned: measured on rendered pages, upright 62–74, turned 90°/180° 23–37.
ROTATION_BELOW_CONFIDENCE = 45.0
ROTATION_MIN_WORDS = 8
OSD_MIN_CONFIDENCE = 1.5

# Pillow's bomb guard: an A3 page at 600 DPI is 70 Mpx; past twice this Pillow refuses to decode.
Image.MAX_IMAGE_PIXELS = 100_000_000


@dataclass(slots=True)
class _Budget:
    spent: float = 0.0


# One budget per worker process (each worker imports this module once).
_BUDGET = _Budget()


def budget_spent() -> float:
    return _BUDGET.spent


def reset_budget() -> None:
    _BUDGET.spent = 0.0


# ---------------------------------------------------------------- cache


def cache_dir() -> Path:
    """<user cache dir>/pdscan/ocr, created 0700 (it holds OCR text: raw personal data)."""
    base = os.environ.get("PDSCAN_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        from platformdirs import user_cache_dir

        root = Path(user_cache_dir("pdscan"))
    d = root / "ocr"
    if not d.is_dir():
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
    if d.stat().st_mode & 0o077:
        os.chmod(d, 0o700)  # mkdir's mode obeys umask only downwards; be explicit
    return d


def _cache_path(key: str) -> Path:
    return cache_dir() / key[:2] / f"{key}.txt"


def cache_get(key: str) -> str | None:
    try:
        return _cache_path(key).read_text("utf-8")
    except (OSError, UnicodeDecodeError):  # absent, or a cache we cannot create: OCR again
        return None


def cache_put(key: str, text: str) -> None:
    try:
        path = _cache_path(key)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache only costs a second OCR run


def _key(digest: str) -> str:
    return hashlib.sha256(f"{CACHE_VERSION}:{LANG}:{PSM}:{digest}".encode()).hexdigest()


# ---------------------------------------------------------------- OCR


def _prepare(img: Image.Image) -> Image.Image:
    """Grayscale, upright (EXIF), and a size Tesseract reads well."""
    img = ImageOps.exif_transpose(img) or img
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, img)
    img = img.convert("L")
    w, h = img.size
    if max(w, h) > MAX_LONG_SIDE:
        k = MAX_LONG_SIDE / max(w, h)
        img = img.resize((max(1, round(w * k)), max(1, round(h * k))), Image.LANCZOS)
    elif min(w, h) < MIN_SHORT_SIDE:
        k = min(2.0, MIN_SHORT_SIDE / min(w, h))
        img = img.resize((int(w * k), int(h * k)), Image.LANCZOS)
    # Scans carry speckle; a 3×3 median removes it without eating strokes (measured on
    # noisy rotated pages: 6/6 passports read instead of 5/6, and 15% faster).
    return img.filter(ImageFilter.MedianFilter(3))


@dataclass(slots=True)
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0–100
    words: int


def _run_tesseract(png: bytes, args: list[str], timeout: float) -> subprocess.CompletedProcess:
    exe = shutil.which("tesseract")
    if exe is None:
        raise ExtractError(t("no_tesseract"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        return subprocess.run(
            die_with_parent([exe, "stdin", "stdout", *args]),
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired as e:
        raise LimitExceeded(t("ocr_page_timeout", s=timeout)) from e


def _tesseract(png: bytes, timeout: float) -> OcrResult:
    """Text and mean word confidence, from Tesseract's TSV output (one run gives both)."""
    p = _run_tesseract(png, ["-l", LANG, "--psm", PSM, "tsv"], timeout)
    if p.returncode != 0:
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractError(t("ocr_failed", error=err[-1][:200] if err else p.returncode))
    return parse_tsv(p.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> OcrResult:
    """Rebuild the text from TSV rows: words joined by spaces, lines by newlines, blocks by blank lines."""
    out: list[str] = []
    confs: list[float] = []
    line_key = None
    block = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t", 11)
        if len(cols) < 12 or cols[0] != "5":  # level 5 = word
            continue
        word = cols[11]
        if not word.strip():
            continue
        key = (cols[2], cols[3], cols[4])  # block, paragraph, line
        if line_key is not None:
            out.append(" " if key == line_key else "\n" if cols[2] == block else "\n\n")
        out.append(word)
        line_key, block = key, cols[2]
        try:
            c = float(cols[10])
        except ValueError:
            c = -1
        if c >= 0:
            confs.append(c)
    text = "".join(out) + ("\n" if out else "")
    return OcrResult(text, sum(confs) / len(confs) if confs else 0.0, len(confs))


def _orientation(png: bytes, timeout: float) -> int:
    """Degrees to turn the page clockwise, by Tesseract's orientation detection (0 if unsure)."""
    try:
        p = _run_tesseract(png, ["--psm", "0"], timeout)
    except LimitExceeded:
        return 0
    out = p.stdout.decode("utf-8", "replace")
    rotate, conf = 0, 0.0
    for line in out.splitlines():
        k, _, v = line.partition(":")
        try:
            if k.strip() == "Rotate":
                rotate = int(v)
            elif k.strip() == "Orientation confidence":
                conf = float(v)
        except ValueError:
            return 0
    return rotate if rotate in (90, 180, 270) and conf >= OSD_MIN_CONFIDENCE else 0


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _recognise(img: Image.Image, timeout: float) -> str:
    """OCR a prepared page; a page that reads badly is checked for being turned sideways or upside
    down (Tesseract's page-layout mode does not turn pages) and read again the right way up."""
    start = time.monotonic()
    png = _png(img)
    first = _tesseract(png, timeout)
    if first.words < ROTATION_MIN_WORDS or first.confidence >= ROTATION_BELOW_CONFIDENCE:
        return first.text
    left = timeout - (time.monotonic() - start)
    if left < 1.0:
        return first.text
    turn = _orientation(png, left)
    left = timeout - (time.monotonic() - start)
    if not turn or left < 1.0:
        return first.text
    try:
        second = _tesseract(_png(img.rotate(-turn, expand=True)), left)
    except LimitExceeded:
        return first.text
    return second.text if second.confidence > first.confidence else first.text


def ocr_image(image: Image.Image | bytes, ctx: ExtractContext) -> str:
    """OCR text of one page image (a PIL image or encoded image bytes); "" for a tiny image.

    Raises NoText when OCR is turned off, LimitExceeded when the page or the worker's
    OCR budget runs out. pdf.py calls this for pages with no text layer.
    """
    lim = ctx.limits
    if not lim.ocr:
        raise NoText(t("ocr_off"))
    if isinstance(image, bytes | bytearray):
        digest = hashlib.sha256(image).hexdigest()
        key = _key(digest)
        cached = cache_get(key)
        if cached is not None:
            return cached
        try:
            img = Image.open(io.BytesIO(image))
            img.load()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
            raise ExtractError(t("image_unreadable", error=type(e).__name__)) from e
    else:
        img = image
        h = hashlib.sha256(f"{img.mode}:{img.size}".encode())
        h.update(img.tobytes())
        key = _key(h.hexdigest())
        cached = cache_get(key)
        if cached is not None:
            return cached
    if min(img.size) < MIN_SIDE:
        return ""
    left = lim.ocr_scan_seconds - _BUDGET.spent
    if left <= 0:
        raise LimitExceeded(t("ocr_budget", s=lim.ocr_scan_seconds))
    timeout = min(lim.ocr_page_seconds, left)
    if ctx.deadline:
        timeout = min(timeout, max(1.0, ctx.deadline - time.monotonic()))
    prepared = _prepare(img)
    t0 = time.monotonic()
    try:
        text = _recognise(prepared, timeout)
    finally:
        _BUDGET.spent += time.monotonic() - t0
    cache_put(key, text)
    return text


HEADING_CHARS = 300


def page_heading(text: str) -> str:
    """The first lines of an OCR page, handed to the detector as Chunk.context.

    OCR loses the layout that puts a value next to its label: a passport's series and number
    are printed vertically at the page edge and come out last, far from "Паспорт выдан" and
    "Код подразделения". The page heading names what the page is, like a table header names
    a column, so it counts as context for every value on the page (it is not searched itself).
    """
    if len(text) <= HEADING_CHARS:
        return text
    cut = text.rfind("\n", 0, HEADING_CHARS)
    return text[: cut if cut > 0 else HEADING_CHARS]


def _frames(data: bytes) -> Iterator[tuple[int, Image.Image | bytes]]:
    """The pages of an image: one for most formats, several for a multi-page TIFF."""
    try:
        img = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise ExtractError(t("image_unreadable", error=type(e).__name__)) from e
    # Pages are a TIFF thing; the frames of an animated GIF/WebP are not documents.
    n = getattr(img, "n_frames", 1) if img.format == "TIFF" else 1
    if n <= 1:
        yield 1, data  # bytes: the cache key is the file's own hash, checked before decoding
        return
    for i in range(min(n, MAX_FRAMES)):
        img.seek(i)
        yield i + 1, img.copy()


@register("image/png", "image/jpeg", "image/tiff", "image/bmp", "image/x-ms-bmp", "image/webp", "image/gif")
def extract_image(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    if not ctx.limits.ocr:
        raise NoText(t("ocr_off"))
    for page, frame in _frames(data):
        ctx.check_deadline()
        text = ocr_image(frame, ctx)
        if text.strip():
            yield Chunk(text=text, location=f"page {page}", member=ctx.member, context=page_heading(text))


# ---------------------------------------------------------------- image-only PDF pages

PDF_RENDER_PX = 2200  # long side of a rendered page: ≈ 190 DPI on A4, enough for 10 pt print


def ocr_pdf_page(page, page_no: int, ctx: ExtractContext) -> str:
    """The pdf.py hook for a page without a text layer: render it and OCR it.

    A page that runs out of time is noted in ctx.errors and the other pages go on.
    """
    w, h = page.get_size()
    scale = min(300 / 72, PDF_RENDER_PX / max(w, h, 1))
    try:
        img = page.render(scale=scale, grayscale=True).to_pil()
        return ocr_image(img, ctx)
    except NoText:
        return ""
    except ExtractError as e:
        where = f"{ctx.member}: " if ctx.member else ""
        ctx.errors.append(where + t("ocr_page_failed", n=page_no, error=e))
        return ""


def _install_pdf_hook() -> None:
    try:
        from pdscan.extract import pdf
    except ImportError:
        return
    pdf.set_page_ocr(ocr_pdf_page)


_install_pdf_hook()
