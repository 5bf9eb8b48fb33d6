"""Writers of real files for the legacy, ODF, mail, archive and OCR tests (and benchmarks).

Everything is generated here with well-kept libraries (xlwt, odfpy, stdlib email/zipfile/tarfile,
py7zr, the 7z CLI, Pillow); .doc, .ppt and .msg have no Python writer, so they are assembled as
OLE compound files with extract-msg's OleWriter from the minimal records antiword, catppt and
extract-msg read (see write_doc / write_ppt / write_msg).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

PASSPORT_LINES = (
    "РОССИЙСКАЯ ФЕДЕРАЦИЯ",
    "Паспорт серия 45 06 № 123456",
    "Выдан ОВД района Арбат города Москвы",
    "Дата выдачи 12.03.2006 Код подразделения 772-001",
    "Фамилия Иванов",
    "Имя Иван Отчество Иванович",
    "Иванов Иван Иванович",
    "Дата рождения 01.02.1980",
)


# ---- images ------------------------------------------------------------------------------------


def render_page(
    lines: Sequence[str] = PASSPORT_LINES,
    *,
    angle: float = 0.0,
    noise: float = 0.0,
    size: tuple[int, int] = (1700, 1100),
    font_px: int = 40,
    seed: int = 1,
):
    """A scan-like page: dark Cyrillic text on paper, rotated by `angle` degrees, with salt-and-pepper
    noise on a fraction `noise` of the pixels. Returns a PIL image (mode L)."""
    from PIL import Image, ImageDraw, ImageFont

    rnd = random.Random(seed)
    img = Image.new("L", size, 245)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(DEJAVU, font_px)
    y = 80
    for line in lines:
        draw.text((90, y), line, fill=25, font=font)
        y += int(font_px * 1.8)
    if angle:
        img = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=245)
    if noise:
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * noise)):
            x, yy = rnd.randrange(w), rnd.randrange(h)
            px[x, yy] = rnd.choice((0, 90, 200, 255))
    return img


def write_image(path: Path, img, fmt: str | None = None) -> Path:
    """Save a PIL image; the format follows the suffix unless given (png, jpeg, tiff, bmp)."""
    kwargs = {"quality": 85} if (fmt or path.suffix.lower().lstrip(".")) in ("jpg", "jpeg") else {}
    img.save(path, format=fmt, **kwargs)
    return path


def write_image_pdf(path: Path, images: Sequence) -> Path:
    """An image-only PDF (no text layer), one scanned page per image, written by Pillow."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, format="PDF", save_all=True, append_images=rest, resolution=200.0)
    return path
