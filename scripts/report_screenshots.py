"""README screenshots of the HTML report: scan the sample corpus into a temporary store, render
the report, open it in headless Chromium and save PNGs to docs/screenshots/.

    .venv/bin/python scripts/make_sample_corpus.py && .venv/bin/python scripts/report_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def chromium(width: int = 1440, height: int = 1000, profile: str | None = None, perf_log: bool = False):
    """A headless Chromium that makes no network requests of its own (fresh profile)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 f"--user-data-dir={profile or tempfile.mkdtemp(prefix='pdscan-chromium-')}"):  # fmt: skip
        opts.add_argument(flag)
    if perf_log:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def main() -> None:
    pdscan = [sys.executable, "-m", "pdscan"]
    env = {**os.environ, "PDSCAN_FINGERPRINT_KEY": "screenshots", "TZ": os.environ.get("TZ", "UTC")}
    with tempfile.TemporaryDirectory() as tmp:
        db, html = f"{tmp}/s.db", f"{tmp}/report.html"
        corpus = ROOT / "sample_corpus"
        # Two scans a little apart give the trend chart two points.
        for as_of in ("2026-01-15", "2026-06-01"):
            subprocess.run([*pdscan, "scan", str(corpus), "--policy", str(corpus / "policy.yaml"), "--as-of",
                            as_of, "--db", db, "--format", "jsonl", "-o", f"{tmp}/out.jsonl", "-q", "--full"],
                           cwd=ROOT, env=env, check=False)  # fmt: skip
        subprocess.run([*pdscan, "report", "--db", db, "--policy", str(corpus / "policy.yaml"), "-o", html],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        OUT.mkdir(parents=True, exist_ok=True)
        d = chromium(1400, 1050)
        try:
            d.get(Path(html).as_uri())
            d.save_screenshot(str(OUT / "report-summary.png"))
            d.execute_script("document.getElementById('filters').scrollIntoView()")
            sel = d.find_element("id", "f-rule")
            from selenium.webdriver.support.ui import Select

            Select(sel).select_by_visible_text("истёк срок хранения")
            d.find_elements("css selector", "#grows .row")[0].click()
            d.save_screenshot(str(OUT / "report-table.png"))
        finally:
            d.quit()
    for p in sorted(OUT.glob("report-*.png")):
        print(p, p.stat().st_size)


if __name__ == "__main__":
    main()
