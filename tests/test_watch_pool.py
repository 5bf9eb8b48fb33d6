"""run_pool fed from a queue (watch mode): IDLE keeps results flowing while no new file arrives."""

from __future__ import annotations

import queue
import threading
import time

from pdscan.extract import Limits
from pdscan.pool import IDLE, run_pool
from pdscan.sources.local import walk_local
from pdscan.worker import WorkerConfig


def test_results_come_back_while_the_feed_is_idle(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"f{i}.txt"
        p.write_text(f"строка {i}\n", encoding="utf-8")
        paths.append(p)
    refs = {r.path: r for r in walk_local([str(tmp_path)])}
    q: queue.Queue = queue.Queue()
    stop = threading.Event()

    def feed():
        while not stop.is_set():
            try:
                yield q.get(timeout=0.05)
            except queue.Empty:
                yield IDLE

    config = WorkerConfig(limits=Limits(file_timeout=30, ocr=False), ner="off")
    got: list[tuple[str, float]] = []
    q.put(refs[str(paths[0])])
    started = time.monotonic()
    for result in run_pool(feed(), config, jobs=2):
        got.append((result.ref.path, time.monotonic() - started))
        if len(got) == 1:
            # The first result arrived although the feed had nothing more: now send the rest.
            q.put(refs[str(paths[1])])
            q.put(refs[str(paths[2])])
        if len(got) == 3:
            stop.set()
    assert sorted(p for p, _ in got) == sorted(str(p) for p in paths)


def test_idle_is_skipped_in_process(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("текст\n", encoding="utf-8")
    (ref,) = list(walk_local([str(p)]))
    config = WorkerConfig(limits=Limits(ocr=False), ner="off")
    results = list(run_pool([IDLE, ref, IDLE], config, jobs=0))
    assert [r.ref.path for r in results] == [str(p)]
