"""A process pool with a hard per-file timeout: a worker stuck in a C parser is killed and replaced.

One pipe per worker, so the parent always knows which file each worker holds. In-flight work
is bounded by the number of workers, so memory does not grow with the corpus.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait

from pdscan.i18n import t
from pdscan.model import FileRef, FileResult
from pdscan.worker import FileScanner, WorkerConfig

_CTX = mp.get_context("forkserver") if "forkserver" in mp.get_all_start_methods() else mp.get_context("spawn")


def _worker_main(conn: Connection, config: WorkerConfig) -> None:
    os.environ["OMP_THREAD_LIMIT"] = (
        "1"  # measured: 2 tesseract threads per worker made pages up to 30x slower
    )
    # The parent's stdout carries JSON lines (scan --format jsonl, watch alerts): a library that
    # prints in a worker must not break them, so the worker's stdout goes to stderr.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    scanner = FileScanner(config)
    conn.send("ready")
    while True:
        try:
            ref = conn.recv()
        except EOFError:
            return
        if ref is None:
            return
        conn.send(scanner.scan(ref))


class _Worker:
    def __init__(self, config: WorkerConfig):
        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=_worker_main, args=(child, config), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.ref: FileRef | None = None
        self.started = 0.0

    def give(self, ref: FileRef) -> None:
        self.ref = ref
        self.started = time.monotonic()
        self.conn.send(ref)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


# A feeder of run_pool may yield IDLE when it has no file right now (watch mode reads a queue):
# the pool then keeps collecting results and enforcing timeouts instead of blocking in next().
IDLE = object()


def _dead_result(ref: FileRef, message: str) -> FileResult:
    return FileResult(ref=ref, errors=[message])


def run_pool(
    refs: Iterable[FileRef],
    config: WorkerConfig,
    jobs: int,
    on_start: Callable[[FileRef], None] | None = None,
) -> Iterator[FileResult]:
    """Scan refs with `jobs` worker processes; yield results as they complete (unordered)."""
    if jobs <= 0:  # in-process, for debugging and tiny runs
        scanner = FileScanner(config)
        for ref in refs:
            if ref is not IDLE:
                yield scanner.scan(ref)
        return
    hard_timeout = config.limits.file_timeout * 1.5 + 5
    workers = [_Worker(config) for _ in range(jobs)]
    pending = iter(refs)
    exhausted = False
    try:
        while True:
            # Hand out work to idle, ready workers.
            idle = False
            for w in workers:
                if w.ready and w.ref is None and not exhausted:
                    ref = next(pending, None)
                    if ref is None:
                        exhausted = True
                        break
                    if ref is IDLE:
                        idle = True
                        break
                    if on_start:
                        on_start(ref)
                    w.give(ref)
            busy = [w for w in workers if w.ref is not None or not w.ready]
            if exhausted and not any(w.ref is not None for w in workers):
                return
            ready_conns = wait([w.conn for w in busy], timeout=0.05 if idle else 1.0)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.conn in ready_conns:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        if not w.ready:
                            raise RuntimeError("worker process failed to start") from None
                        ref = w.ref
                        w.kill()
                        workers[i] = _Worker(config)
                        if ref is not None:
                            yield _dead_result(ref, t("worker_crashed"))
                        continue
                    if msg == "ready":
                        w.ready = True
                        continue
                    w.ref = None
                    yield msg
                elif w.ref is not None and now - w.started > hard_timeout:
                    ref = w.ref
                    w.kill()
                    workers[i] = _Worker(config)
                    yield _dead_result(ref, t("file_timeout", s=config.limits.file_timeout))
    finally:
        for w in workers:
            try:
                if w.proc.is_alive():
                    w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for w in workers:
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.kill()
