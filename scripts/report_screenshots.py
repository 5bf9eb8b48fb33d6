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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    pdscan = [sys.executable, "-m", "pdscan"]
    env = {**os.environ, "PDSCAN_FINGERPRINT_KEY": "screenshots", "TZ": os.environ.get("TZ", "UTC")}
    with tempfile.TemporaryDirectory() as tmp:
        db, html = f"{tmp}/s.db", f"{tmp}/report.html"
        corpus = "sample_corpus"  # relative, as an administrator would type it in the share's parent
        policy = f"{corpus}/policy.yaml"
        # Three scans months apart give the trend chart its points (terms run out in between).
        for as_of in ("2025-09-01", "2026-01-15", "2026-06-01"):
            subprocess.run([*pdscan, "scan", corpus, "--policy", policy, "--as-of", as_of, "--db", db,
                            "--format", "jsonl", "-o", f"{tmp}/out.jsonl", "-q"],
                           cwd=ROOT, env=env, check=False)  # fmt: skip
        for args in (
            ["--path", f"{corpus}/Общая/Телефоны сотрудников.xlsx", "--file", "--state", "accepted",
             "--reason", "внутренний справочник, согласия работников получены"],
            ["--path", f"{corpus}/ПК/buh-01/Загрузки/Выписка по счету.csv", "--file", "--state", "remediated"],
        ):  # fmt: skip
            subprocess.run([*pdscan, "triage", "--db", db, *args], cwd=ROOT, env=env, check=True)
        subprocess.run([*pdscan, "report", "--db", db, "--policy", policy, "-o", html],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        OUT.mkdir(parents=True, exist_ok=True)
        from selenium.webdriver.support.ui import Select

        from tests.report_browser import chromium, wait_rendered

        d = chromium(1360, 900, perf_log=False)
        try:
            d.get(Path(html).as_uri())
            wait_rendered(d)
            d.save_screenshot(str(OUT / "report-summary.png"))
            # The table: scrolled to the filters, files with an expired retention term first.
            d.execute_script("document.getElementById('filters').scrollIntoView()")
            Select(d.find_element("id", "f-rule")).select_by_visible_text("Есть нарушения")
            d.find_element("css selector", '#ghead > div[data-col="8"]').click()
            d.save_screenshot(str(OUT / "report-table.png"))
            # The card of one file: masked values, where they are, retention rule and deadline.
            row = next(
                r for r in d.find_elements("css selector", "#grows .row") if "Заявление на замену" in r.text
            )
            row.click()
            d.save_screenshot(str(OUT / "report-card.png"))
        finally:
            d.quit()
    for p in sorted(OUT.glob("report-*.png")):
        print(p, p.stat().st_size)


if __name__ == "__main__":
    main()
