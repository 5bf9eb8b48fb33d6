"""The local walker: order, nested roots, symlinks (dangling, loops), permission errors, odd names."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pdscan.sources.local import WalkError, read_local, walk_local


def _files(items):
    return [i.rel for i in items if not isinstance(i, WalkError)]


def test_walk_finds_nested_files_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "c").mkdir(parents=True)
    for p in ["z.txt", "b/2.txt", "a/1.txt", "a/c/3.txt"]:
        (tmp_path / p).write_text("x")
    items = list(walk_local([str(tmp_path)]))
    assert _files(items) == ["z.txt", "a/1.txt", "a/c/3.txt", "b/2.txt"]
    ref = next(i for i in items if i.rel == "a/1.txt")
    assert ref.path == str(tmp_path / "a" / "1.txt") and ref.root == str(tmp_path)
    assert ref.size == 1 and ref.owner and ref.inode


def test_nested_and_repeated_roots_report_each_file_once_under_first_root(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.txt").write_text("x")
    (tmp_path / "g.txt").write_text("x")
    sub = str(tmp_path / "sub")
    items = [i for i in walk_local([sub, str(tmp_path), sub]) if not isinstance(i, WalkError)]
    assert sorted((i.root, i.rel) for i in items) == sorted([(sub, "f.txt"), (str(tmp_path), "g.txt")])


def test_symlinks_not_followed_by_default_and_dangling_link_is_skipped(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.txt").write_text("x")
    os.symlink(tmp_path / "real", tmp_path / "link")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling")
    items = list(walk_local([str(tmp_path)]))
    assert _files(items) == ["real/f.txt"]
    assert not [i for i in items if isinstance(i, WalkError)]


def test_follow_symlinks_survives_a_loop(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    items = list(walk_local([str(tmp_path)], follow_symlinks=True))
    assert _files(items) == ["d/f.txt"]


@contextmanager
def _as_nobody():
    """Root reads every directory: act as an unprivileged user meanwhile (the saved uid lets us back)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_unreadable_directory_is_an_error_record_and_the_walk_goes_on():
    # Not under tmp_path: pytest's base dir is 0700, which the unprivileged user cannot enter.
    share = Path(tempfile.mkdtemp(prefix="pdscan-perm-"))
    os.chmod(share, 0o755)
    (share / "closed").mkdir()
    (share / "closed" / "f.txt").write_text("x")
    (share / "open.txt").write_text("x")
    os.chmod(share / "closed", 0)
    try:
        with _as_nobody():
            items = list(walk_local([str(share)]))
    finally:
        os.chmod(share / "closed", 0o755)
        shutil.rmtree(share)
    assert WalkError(str(share / "closed"), "доступ запрещён") in items
    assert _files(items) == ["open.txt"]


def test_non_utf8_name_round_trips(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/\xcf\xe0\xf1\xef\xee\xf0\xf2.txt"  # "Паспорт" in cp1251
    with open(raw, "wb") as f:
        f.write(b"x")
    (ref,) = [i for i in walk_local([str(tmp_path)]) if not isinstance(i, WalkError)]
    assert "\udccf" in ref.path
    assert os.fsencode(ref.path) == raw
    assert read_local(ref.path, 10) == b"x"


def test_read_local_stops_after_limit_plus_one(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * 1000)
    assert len(read_local(str(p), 100)) == 101
    assert os.stat(p).st_size == 1000
