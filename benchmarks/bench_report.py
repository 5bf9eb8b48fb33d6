"""How fast the HTML report opens: a store with N findings → `pdscan report` → headless Chromium.

    .venv/bin/python benchmarks/bench_report.py                      # 50,000 findings, two shapes
    .venv/bin/python benchmarks/bench_report.py --files 50000 --per-file 1

Measured: time to build the store (not part of the report), time of `pdscan report` (store →
HTML), file size, and in Chromium the time from navigation start to the table on screen (the
page records performance.now() right after the first table render) and to everything drawn
(charts included); then a filter keystroke and a sort click. Median of --runs page loads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tests.report_browser import chromium, synthetic_store, wait_rendered  # noqa: E402


def bench(files: int, per_file: int, runs: int) -> dict:
    from pdscan.report import write_report
    from pdscan.report.data import load_report
    from pdscan.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db, html = Path(tmp) / "b.db", Path(tmp) / "report.html"
        t0 = time.perf_counter()
        synthetic_store(db, files, per_file)
        t_store = time.perf_counter() - t0
        t0 = time.perf_counter()
        with Store(db) as store:
            data = load_report(store)
        write_report("html", data, html)
        t_report = time.perf_counter() - t0
        table, full, filt, sort, parsed = [], [], [], [], []
        d = chromium(1400, 1000, perf_log=False)
        try:
            for _ in range(runs):
                d.get("about:blank")
                d.get(html.as_uri())
                table.append(wait_rendered(d, timeout=60))
                full.append(int(d.execute_script("return document.body.dataset.rendered")))
                parsed.append(int(d.execute_script("return document.body.dataset.dataParsed")))
                filt.append(
                    d.execute_script(
                        "const s = document.getElementById('f-folder'); const t = performance.now();"
                        "s.value = 'Кадры'; s.dispatchEvent(new Event('change'));"
                        "return performance.now() - t;"
                    )
                )
                sort.append(
                    d.execute_script(
                        "const t = performance.now(); document.querySelector('#ghead > div[data-col=\"6\"]').click();"
                        "return performance.now() - t;"
                    )
                )
        finally:
            d.quit()
        return {
            "files": files,
            "findings": files * per_file,
            "store_s": round(t_store, 1),
            "report_s": round(t_report, 2),
            "html_mb": round(html.stat().st_size / 1e6, 1),
            "table_ms": statistics.median(table),
            "parsed_ms": statistics.median(parsed),
            "all_drawn_ms": statistics.median(full),
            "filter_ms": round(statistics.median(filt)),
            "sort_ms": round(statistics.median(sort)),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=None)
    ap.add_argument("--per-file", type=int, default=None)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    shapes = [(a.files, a.per_file)] if a.files else [(10_000, 5), (50_000, 1)]
    for files, per in shapes:
        r = bench(files, per or 1, a.runs)
        print(
            f"{r['findings']:>6} findings in {r['files']:>6} files: store {r['store_s']} s (setup), "
            f"pdscan report {r['report_s']} s, HTML {r['html_mb']} MB; Chromium: table on screen "
            f"{r['table_ms']} ms after navigation start (data parsed at {r['parsed_ms']} ms), all drawn {r['all_drawn_ms']} ms; "
            f"filter {r['filter_ms']} ms, sort {r['sort_ms']} ms (median of {a.runs})"
        )


if __name__ == "__main__":
    main()
