"""Archives: real zip/7z/tar/gz/bz2/xz files made here, nested members, encrypted and corrupt
members, and every kind of bomb (each must end as LimitExceeded in well under a second)."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import shutil
import struct
import subprocess
import tarfile
import time
import zipfile
from pathlib import Path

import py7zr
import pytest

from pdscan.extract import EncryptedError, ExtractContext, LimitExceeded, Limits, extract
from tests.formats import write_docx
from tests.formats_legacy import write_rar

PD = "Иванов Иван Иванович, паспорт 45 06 123456"


def run(data: bytes, name: str, limits: Limits | None = None):
    ctx = ExtractContext(limits=limits or Limits(), name=name)
    ct, chunks = extract(data, ctx)
    return ct, list(chunks), ctx.errors


def by_member(chunks) -> dict[str | None, str]:
    out: dict[str | None, str] = {}
    for c in chunks:
        out[c.member] = out.get(c.member, "") + c.text
    return out


def zip_bytes(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return b.getvalue()


def timed_bomb(data: bytes, name: str, limits: Limits | None = None) -> LimitExceeded:
    run(b"warm-up: load the extractor modules outside the timed part", "a.txt")
    t0 = time.monotonic()
    with pytest.raises(LimitExceeded) as ei:
        run(data, name, limits)
    elapsed = time.monotonic() - t0
    assert elapsed < 1.0, f"bomb took {elapsed:.2f} s"
    return ei.value


# ---- ordinary archives ----------------------------------------------------------------------------


def test_zip_nested_docx_member_paths(tmp_path: Path):
    docx = write_docx(tmp_path / "c.docx", [PD]).read_bytes()
    inner = zip_bytes({"dir/c.docx": docx, "dir/note.txt": "СНИЛС 112-233-445 95".encode()})
    outer = zip_bytes({"inner.zip": inner, "readme.txt": b"no data here"})
    ct, chunks, errors = run(outer, "outer.zip")
    assert ct == "application/zip"
    m = by_member(chunks)
    assert "123456" in m["inner.zip!/dir/c.docx"]
    assert "112-233-445 95" in m["inner.zip!/dir/note.txt"]
    assert errors == []


def test_zip_cp866_names_of_old_russian_archives():
    names = ["Паспорта/Иванов.txt", "Паспорта/Петров.txt", "Список жильцов дома.txt"]
    # one byte per character in cp866, like the ASCII placeholders
    placeholders = [c * len(n) for c, n in zip("xyz", names, strict=True)]
    data = zip_bytes({p: PD.encode("cp1251") for p in placeholders})
    for p, n in zip(placeholders, names, strict=True):
        data = data.replace(p.encode(), n.encode("cp866"))  # as DOS and Windows archivers wrote them
    _, chunks, errors = run(data, "old.zip")
    assert [c.member for c in chunks] == names
    assert "123456" in chunks[0].text and errors == []


def test_zip_names_utf8_without_flag_and_unicode_path_field():
    name = "Сканы/Паспорт.txt"
    raw = name.encode("utf-8")  # Info-ZIP on Linux: UTF-8 bytes, no flag
    placeholder = "x" * len(raw)
    data = zip_bytes({placeholder: PD.encode()}).replace(placeholder.encode(), raw)
    _, chunks, _ = run(data, "linux.zip")
    assert chunks[0].member == name
    # 7-Zip / WinZip: an OEM name plus the Info-ZIP Unicode Path extra field (0x7075)
    import zlib

    oem = "Паспорт.txt".encode("cp866")
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        info = zipfile.ZipInfo("y" * len(oem))
        utf = "Паспорт (копия).txt".encode()
        info.extra = struct.pack("<HHBI", 0x7075, 5 + len(utf), 1, zlib.crc32(oem)) + utf
        z.writestr(info, PD.encode())
    data = b.getvalue().replace(b"y" * len(oem), oem)
    _, chunks, _ = run(data, "win.zip")
    assert chunks[0].member == "Паспорт (копия).txt"


def test_7z_tar_and_single_stream_compressors(tmp_path: Path):
    src = tmp_path / "src"
    (src / "d").mkdir(parents=True)
    (src / "d" / "list.txt").write_text(PD, encoding="utf-8")
    with py7zr.SevenZipFile(tmp_path / "a.7z", "w") as z:
        z.writeall(src, arcname="")
    _, chunks, _ = run((tmp_path / "a.7z").read_bytes(), "a.7z")
    assert "123456" in by_member(chunks)["d/list.txt"]

    tb = io.BytesIO()
    with tarfile.open(fileobj=tb, mode="w") as t:
        t.add(src / "d" / "list.txt", arcname="d/list.txt")
    ct, chunks, _ = run(tb.getvalue(), "a.tar")
    assert ct == "application/x-tar" and "123456" in by_member(chunks)["d/list.txt"]
    # a.tar.gz: members sit right under the outer file
    ct, chunks, _ = run(gzip.compress(tb.getvalue()), "a.tar.gz")
    assert ct == "application/gzip" and "123456" in by_member(chunks)["d/list.txt"]

    for comp, name in (
        (gzip.compress, "list.txt.gz"),
        (bz2.compress, "list.txt.bz2"),
        (lzma.compress, "list.txt.xz"),
    ):
        _, chunks, errors = run(comp(PD.encode()), name)
        assert by_member(chunks) == {"list.txt": PD}, name
        assert errors == []


def test_rar(tmp_path: Path):
    p = write_rar(tmp_path / "a.rar", {"docs/list.txt": PD.encode(), "b.txt": b"no data"})
    ct, chunks, errors = run(p.read_bytes(), p.name)
    assert ct == "application/x-rar"
    assert "123456" in by_member(chunks)["docs/list.txt"] and errors == []
    p = write_rar(
        tmp_path / "mixed.rar", {"open.txt": PD.encode(), "secret.txt": b"x"}, encrypted=["secret.txt"]
    )
    _, chunks, errors = run(p.read_bytes(), p.name)
    assert "123456" in by_member(chunks)["open.txt"] and errors == ["secret.txt: элемент зашифрован"]
    p = write_rar(tmp_path / "enc.rar", {"secret.txt": b"x"}, encrypted=["secret.txt"])
    with pytest.raises(EncryptedError, match="архив зашифрован"):
        run(p.read_bytes(), p.name)


def test_concatenated_and_truncated_streams():
    _, chunks, _ = run(gzip.compress(b"part one\n") + gzip.compress(PD.encode()), "log.txt.gz")
    assert by_member(chunks) == {"log.txt": "part one\n" + PD}
    _, chunks, _ = run(bz2.compress(b"a\n") + bz2.compress(PD.encode()), "log.txt.bz2")
    assert by_member(chunks) == {"log.txt": "a\n" + PD}
    whole = gzip.compress((PD + "\n").encode() * 2000)
    _, chunks, errors = run(whole[: len(whole) // 2], "cut.txt.gz")
    assert "123456" in by_member(chunks)["cut.txt"]
    assert errors == ["cut.txt.gz: файл обрезан, прочитан частично"]


def test_depth_limit_is_a_member_error_not_a_crash():
    data = PD.encode()
    for level in range(5, 0, -1):
        data = zip_bytes({f"l{level}.txt": f"уровень {level}".encode(), f"l{level}.zip": data})
    _, chunks, errors = run(data, "deep.zip")
    members = by_member(chunks)
    assert "l1.txt" in members and "l1.zip!/l2.zip!/l3.txt" in members  # depth 3 is read
    assert not any("l4.txt" in (m or "") for m in members)
    assert errors == ["вложенные архивы глубже 3 уровней не раскрыты: 1 (первый: l1.zip!/l2.zip!/l3.zip)"]
    # the same limit as a setting
    _, chunks, errors = run(data, "deep.zip", Limits(max_archive_depth=1))
    assert set(by_member(chunks)) == {"l1.txt"}
    assert errors == ["вложенные архивы глубже 1 уровней не раскрыты: 1 (первый: l1.zip)"]


# ---- encrypted and corrupt ---------------------------------------------------------------------------

needs_7z = pytest.mark.skipif(shutil.which("7z") is None, reason="7z CLI (p7zip-full) not installed")


def _7z(*args: str, cwd: Path) -> None:
    subprocess.run(["7z", *args], cwd=cwd, check=True, capture_output=True)


@needs_7z
def test_encrypted_zip_and_7z(tmp_path: Path):
    (tmp_path / "secret.txt").write_text(PD, encoding="utf-8")
    _7z("a", "-tzip", "-pSECRET", "enc.zip", "secret.txt", cwd=tmp_path)
    with pytest.raises(EncryptedError, match="архив зашифрован"):
        run((tmp_path / "enc.zip").read_bytes(), "enc.zip")
    _7z("a", "-pSECRET", "enc.7z", "secret.txt", cwd=tmp_path)
    with pytest.raises(EncryptedError, match="архив зашифрован"):
        run((tmp_path / "enc.7z").read_bytes(), "enc.7z")
    _7z("a", "-pSECRET", "-mhe=on", "enc_headers.7z", "secret.txt", cwd=tmp_path)
    with pytest.raises(EncryptedError):
        run((tmp_path / "enc_headers.7z").read_bytes(), "enc_headers.7z")


@needs_7z
def test_partly_encrypted_zip_gives_partial_result(tmp_path: Path):
    (tmp_path / "open.txt").write_text(PD, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("тайна", encoding="utf-8")
    _7z("a", "-tzip", "mixed.zip", "open.txt", cwd=tmp_path)
    _7z("a", "-tzip", "-pSECRET", "mixed.zip", "secret.txt", cwd=tmp_path)
    _, chunks, errors = run((tmp_path / "mixed.zip").read_bytes(), "mixed.zip")
    assert "123456" in by_member(chunks)["open.txt"]
    assert errors == ["secret.txt: элемент зашифрован"]


def test_corrupt_member_is_named_and_others_are_read():
    good = PD.encode()
    bad = ("повреждённые данные " * 50).encode()
    data = bytearray(zip_bytes({"bad.txt": bad, "good.txt": good}))
    # flip bytes inside bad.txt's deflate stream: a CRC or inflate error for that member only
    off = 30 + len("bad.txt") + 5
    data[off : off + 8] = b"\xff" * 8
    _, chunks, errors = run(bytes(data), "c.zip")
    assert "123456" in by_member(chunks)["good.txt"]
    assert len(errors) == 1 and errors[0].startswith("bad.txt: ")


# ---- bombs ---------------------------------------------------------------------------------------


def test_single_entry_ratio_bomb():
    data = zip_bytes({"zeros.txt": bytes(64 << 20)})
    e = timed_bomb(data, "bomb.zip")
    assert "сжатия" in str(e)


def test_7z_bomb(tmp_path: Path):
    with py7zr.SevenZipFile(
        tmp_path / "bomb.7z", "w", filters=[{"id": py7zr.FILTER_LZMA2, "preset": 1}]
    ) as z:
        z.writestr(bytes(16 << 20), "zeros.txt")
    assert "zip-бомба" in str(timed_bomb((tmp_path / "bomb.7z").read_bytes(), "bomb.7z"))


def test_huge_single_entry_gz_and_bz2_and_xz():
    # 4 GiB of zeros in one gzip stream of concatenated members: cheap to make, and only a
    # streaming reader that counts real bytes survives it.
    member = gzip.compress(bytes(64 << 10), 9)
    huge_gz = member * 65536
    e = timed_bomb(huge_gz, "huge.txt.gz")
    assert "сжатия" in str(e)
    zeros = bytes(16 << 20)
    timed_bomb(bz2.compress(zeros, 1), "big.txt.bz2")
    timed_bomb(lzma.compress(zeros, preset=0), "big.txt.xz")


def test_nested_42_zip_style_bomb():
    leaf = zip_bytes({f"{i}.txt": bytes(16 << 20) for i in range(2)})
    level = leaf
    for _ in range(3):
        level = zip_bytes({f"{i}.zip": level for i in range(9)})
    assert len(level) < 200_000
    # default depth 3: the leaves sit at depth 4 and are never opened; the 729 unopened
    # archives past the depth limit are the bomb
    assert "архивов глубже 3 уровней" in str(timed_bomb(level, "42.zip"))
    # allowed deep enough to reach the leaves, the 16 MiB of zeros trip the ratio guard
    assert "сжатия" in str(timed_bomb(level, "42.zip", Limits(max_archive_depth=5)))


def _overlapping_zip(n: int) -> bytes:
    """David Fifield's full-overlap construction: n central-directory entries share one local file."""
    payload = bytes(4 << 20)
    comp = zlib_raw(payload)
    crc = __import__("zlib").crc32(payload)
    name = b"0"
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(comp), len(payload), len(name), 0
    )
    body = local + name + comp
    cd = b""
    for i in range(n):
        nm = str(i).encode()
        cd += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(comp),
            len(payload),
            len(nm),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        cd += nm
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(cd), len(body), 0)
    return body + cd + eocd


def zlib_raw(data: bytes) -> bytes:
    import zlib

    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def test_overlapping_entries_bomb():
    assert "перекрывающиеся" in str(timed_bomb(_overlapping_zip(200), "overlap.zip"))


def test_partially_overlapping_entries_bomb():
    data = bytearray(zip_bytes({"a.txt": bytes(100_000), "b.txt": b"x" * 1000}))
    # point b.txt's central-directory record into a.txt's compressed data
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 42, 40)
    assert "перекрывающиеся" in str(timed_bomb(bytes(data), "overlap2.zip"))


def test_entry_count_and_total_bytes_guards():
    many = zip_bytes({f"{i}.txt": b"" for i in range(101)})
    e = timed_bomb(many, "many.zip", Limits(max_archive_entries=100))
    assert "элементов" in str(e)
    # incompressible-looking members: only the total-bytes guard (shared across levels) stops them
    import os

    inner = zip_bytes({f"{i}.bin": os.urandom(300_000) for i in range(4)}, zipfile.ZIP_STORED)
    outer = zip_bytes({"a.zip": inner, "b.zip": inner})
    e = timed_bomb(outer, "big.zip", Limits(max_total_bytes=2_000_000))
    assert "объём" in str(e)


def test_tar_entry_over_the_entry_limit_is_skipped_not_fatal():
    tb = io.BytesIO()
    with tarfile.open(fileobj=tb, mode="w") as t:
        for name, data in (("big.txt", b"a" * 200_000), ("small.txt", PD.encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    _, chunks, errors = run(tb.getvalue(), "a.tar", Limits(max_entry_bytes=100_000))
    assert "123456" in by_member(chunks)["small.txt"]
    assert len(errors) == 1 and errors[0].startswith("big.txt: ")
