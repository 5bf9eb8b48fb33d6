"""Headless Chromium for the HTML report (tests, benchmark, README screenshots), and a large
synthetic store for the scale tests (written through Store's own begin/record/finish)."""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from pathlib import Path

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium(width: int = 1400, height: int = 1000, perf_log: bool = True, profile: str | None = None):
    """A fresh-profile headless Chromium; the performance log records every network request."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--window-size={width},{height}"):
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile or tempfile.mkdtemp(prefix='pdscan-chromium-')}")
    if perf_log:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def network_log(driver) -> list[tuple[str, str, str]]:
    """(url, outcome, blocked reason) of every request since the last call (DevTools log).

    Chromium logs a request a page attempts even when the Content-Security-Policy stops it; such
    a request ends in Network.loadingFailed with blockedReason "csp" and never reaches a socket.
    """
    urls: dict[str, str] = {}
    outcome: dict[str, tuple[str, str]] = {}
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
        elif method == "Network.loadingFailed":
            outcome[params["requestId"]] = ("failed", params.get("blockedReason") or "")
        elif method == "Network.loadingFinished":
            outcome.setdefault(params["requestId"], ("finished", ""))
    return [(u, *outcome.get(rid, ("pending", ""))) for rid, u in urls.items()]


def requested_urls(driver) -> list[str]:
    """Every URL the page asked the network stack for since the last call."""
    return [u for u, _, _ in network_log(driver)]


def wait_rendered(driver, timeout: float = 30) -> int:
    """Milliseconds from navigation start to the table on screen (set by the page's script)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return document.body && document.body.dataset.rendered")
    )
    return int(driver.execute_script("return document.body.dataset.tableRendered"))


ENTITIES = ("RU_SNILS", "RU_PASSPORT", "PHONE_NUMBER", "EMAIL_ADDRESS", "PERSON", "RU_INN")
FOLDERS = ("Кадры", "Бухгалтерия", "Собственники", "Заявления", "Общая", "ПК", "Сайт", "Договоры ГПХ")
OWNERS = ("buh", "hr", "secretary", "admin", "root")


def synthetic_store(db: Path, files: int, findings_per_file: int, seed: int = 1) -> None:
    """A store with files × findings_per_file findings and some violations, as a scan leaves it."""
    from pdscan.model import FileRef, FileResult, Finding, Violation
    from pdscan.scan import ScanOptions, Summary
    from pdscan.store import Store

    rng = random.Random(seed)
    store = Store(db)
    store.begin(["/srv/share"], ScanOptions(as_of=dt.date(2026, 6, 1)))
    for i in range(files):
        folder = FOLDERS[i % len(FOLDERS)]
        rel = f"{folder}/{2015 + i % 11}/документ {i:06d}.docx"
        mtime = dt.datetime(2015 + i % 11, 1 + i % 12, 1 + i % 28).timestamp()
        ref = FileRef(path=f"/srv/share/{rel}", root="/srv/share", rel=rel, size=10_000 + i, mtime=mtime,
                      inode=i + 1, mode=0o100640, owner=OWNERS[i % len(OWNERS)], group="staff")  # fmt: skip
        findings = []
        for k in range(findings_per_file):
            e = ENTITIES[(i + k) % len(ENTITIES)]
            findings.append(Finding(e, f"{rng.getrandbits(256):064x}", "*" * 7 + f"{rng.randint(0, 9999):04d}",
                                    1.0, f"paragraph {k + 1}", None, 1 + k % 3))  # fmt: skip
        violations = []
        if i % 7 == 0:
            deadline = dt.date(2016 + i % 11 + 5, 1, 1)
            rule = "retention_expired" if deadline <= dt.date(2026, 6, 1) else "expires_soon"
            violations.append(Violation(ref.path, rule, "п. 3.6.2", {
                "rule_name": "Собственники и жители (п. 3.6.2)", "deadline": deadline.isoformat(),
                "modified": dt.date.fromtimestamp(mtime).isoformat(), "years": 5, "count_from": "next_year"}))  # fmt: skip
        if i % 11 == 0:
            violations.append(Violation(ref.path, "excessive_access", "п. 4.3",
                                        {"readers": [{"kind": "other", "name": "*", "rights": "r--"}], "mode": "0644"}))  # fmt: skip
        store.record(FileResult(ref=ref, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                findings=findings, violations=violations, bytes_read=ref.size, persons=1))  # fmt: skip
    store.finish(Summary(files_seen=files, files_scanned=files, files_with_pd=files), True)
    store.close()
