"""Helper programs (tesseract, catdoc, catppt, antiword) die with the worker that started them.

The pool kills a worker stuck past the per-file timeout with SIGKILL; without this its
tesseract would run on, orphaned, for the rest of the page. Linux only (prctl); elsewhere a no-op.
"""

from __future__ import annotations

import ctypes
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def _set_pdeathsig() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn for subprocess.run on Linux, None elsewhere."""
    return _set_pdeathsig if sys.platform.startswith("linux") else None
