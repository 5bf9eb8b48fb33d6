"""The detection benchmark runs end to end on a tiny corpus (its figures are not asserted here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_detect_runs_and_prints_the_table():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_detect.py"), "--mb", "0.2", "--baseline-kb", "4"],
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    ).stdout
    assert "| pdscan Detector, office text |" in out
    assert "| stock Presidio AnalyzerEngine, same recognizers |" in out
    assert "MB/s per core" in out
