"""The worker pool: a stuck worker is killed at the hard timeout, a crashed one is replaced, the scan goes on."""

from __future__ import annotations

import os
import threading
import time

import psutil

from pdscan.extract import Limits
from pdscan.pool import run_pool
from pdscan.sources.local import walk_local
from pdscan.worker import WorkerConfig


def _ref(path):
    (ref,) = list(walk_local([str(path)]))
    return ref


def _fifo_ref(path, template):
    # A FIFO blocks open() forever: a stand-in for a parser that never returns. The walker skips FIFOs,
    # so the ref is built by hand from a regular file's.
    os.mkfifo(path)
    return template.__class__(
        **{**{s: getattr(template, s) for s in template.__slots__}, "path": str(path), "size": 10}
    )


def test_stuck_file_is_an_error_and_the_others_are_scanned(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("обычный текст без данных\n", encoding="utf-8")
    good_ref = _ref(good)
    stuck_ref = _fifo_ref(tmp_path / "stuck.fifo", good_ref)
    config = WorkerConfig(limits=Limits(file_timeout=1.0, ocr=False), ner="off")
    started = time.monotonic()
    results = {r.ref.path: r for r in run_pool([stuck_ref, good_ref, good_ref], config, jobs=2)}
    elapsed = time.monotonic() - started
    assert results[stuck_ref.path].errors == ["превышено время обработки файла (1 с)"]
    assert results[good_ref.path].errors == [] and results[good_ref.path].bytes_read > 0
    assert elapsed < 30


def test_crashed_worker_is_replaced_and_reported(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("текст\n", encoding="utf-8")
    good_ref = _ref(good)
    stuck_ref = _fifo_ref(tmp_path / "victim.fifo", good_ref)
    config = WorkerConfig(limits=Limits(file_timeout=60.0, ocr=False), ner="off")

    def kill_blocked_worker():
        # Kill the worker blocked opening the FIFO (kernel wait channel "wait_for_partner"), as an OOM
        # kill or a segfault in a parser would.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for child in psutil.Process().children(recursive=True):
                try:
                    with open(f"/proc/{child.pid}/wchan") as f:
                        if f.read() == "wait_for_partner":
                            child.kill()
                            return
                except OSError:
                    continue
            time.sleep(0.1)

    killer = threading.Thread(target=kill_blocked_worker)
    killer.start()
    results = list(run_pool([stuck_ref, good_ref], config, jobs=1))
    killer.join()
    by_path = {r.ref.path: r for r in results}
    assert by_path[stuck_ref.path].errors == ["обработчик файла аварийно завершился (файл повреждён?)"]
    assert by_path[good_ref.path].errors == []


def test_a_file_read_in_part_keeps_its_findings_and_says_what_was_not_read(tmp_path):
    # Text past max_chars is not read: the findings before the limit stay, plus an error record.
    from pdscan.worker import FileScanner

    head = "СНИЛС 112-233-445 95\n"
    p = tmp_path / "long.txt"
    p.write_text(head + "обычный текст без данных\n" * 40_000, encoding="utf-8")
    scanner = FileScanner(WorkerConfig(limits=Limits(max_chars=300_000, ocr=False), ner="off"))
    result = scanner.scan(_ref(p))
    assert [f.entity for f in result.findings] == ["RU_SNILS"]
    assert result.errors == ["текст файла больше лимита (300,000 символов), остальное не прочитано"]
