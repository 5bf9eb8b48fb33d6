"""The HTML report in headless Chromium: it renders, filters and sorting work, the file card opens,
and no request leaves the page (DevTools network log + a local server that must see nothing)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import shutil
import stat
import sys
import threading
from pathlib import Path

import pytest
from report_browser import chromium, network_log, requested_urls, synthetic_store, wait_rendered
from report_helpers import AS_OF, POLICY, cli, report_json, scan, snils, snils_form, write

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()), reason="нет chromium"
)

EVIL = "<img src=x onerror=\"document.title='pwned'\">.txt"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict, list[str]]:
    base = tmp_path_factory.mktemp("html")
    root, db = base / "share", base / "pdscan.db"
    values = [snils(200 + i) for i in range(12)]
    texts = {
        "Кадры/анкета Иванова.txt": f"Анкета\nСНИЛС {snils_form(values[0])}\nПаспорт: серия 05 10 № 654321\n",
        "Кадры/список.txt": "".join(f"СНИЛС {snils_form(v)}\n" for v in values[1:5]),
        "Кадры/отпуск.txt": f"СНИЛС {snils_form(values[5])}\nтел. +7 914 236-45-17\n",
        "Общая/телефоны.txt": "Иванова: тел. +7 914 236-45-17\nПетров: e-mail petrov.p@mail.ru\n",
        "Общая/скан паспорта.txt": "Паспорт гражданина РФ серия 05 12 № 123457\n",
        f"Общая/{EVIL}": f"СНИЛС {snils_form(values[6])}\n",
        "Архив/2019/реестр.txt": f"СНИЛС {snils_form(values[7])}\nСНИЛС {snils_form(values[8])}\n",
        "Архив/2018/заявление.txt": f"СНИЛС {snils_form(values[9])}\n",
        "Архив/2024/заявление.txt": f"СНИЛС {snils_form(values[10])}\n",
        "Бухгалтерия/реквизиты.txt": "ООО «Тест», ИНН 2536000000, КПП 253601001\n",
    }
    days = {"Архив/2019/реестр.txt": dt.date(2019, 5, 5), "Архив/2018/заявление.txt": dt.date(2018, 2, 2)}
    for rel, text in texts.items():
        write(root / rel, text, days.get(rel, dt.date(2025, 3, 3)))
    policy = write(base / "policy.yaml", POLICY)
    exe = Path(sys.executable).parent / "pdscan"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pdscan"]
    r = scan(cmd, root, db, "--policy", str(policy), "--as-of", AS_OF.isoformat())
    assert r.rc == 1, r.stderr
    assert r.summary["files_with_pd"] == 9 and r.summary["errors"] == 0, (r.summary, r.records)
    r = cli("triage", "--db", db, "--path", root / "Кадры" / "отпуск.txt", "--file", "--state", "accepted",
            "--reason", "личное дело")  # fmt: skip
    assert r.rc == 0, r.stderr
    html = base / "report.html"
    r = cli("report", "--db", db, "--policy", policy, "-o", html)
    assert r.rc == 0, r.stderr
    data = report_json(cmd, db, base / "report.json", "--policy", policy)
    return html, data, values


@pytest.fixture(scope="module")
def browser():
    d = chromium(1400, 1000)
    yield d
    d.quit()


def _open(browser, html: Path) -> int:
    browser.get(html.as_uri())
    ms = wait_rendered(browser)
    return ms


def _count(browser) -> int:
    return int(browser.find_element("id", "count").get_attribute("data-count"))


def _rows(browser) -> list[list[str]]:
    rows = browser.execute_script(
        "return [...document.querySelectorAll('#grows .row')].map(r => [...r.children].map(c => c.textContent))"
    )
    return rows


def _set_select(browser, id_: str, text: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", id_)).select_by_visible_text(text)


def test_file_is_private_self_contained_and_masked(report):
    html, data, values = report
    assert stat.S_IMODE(html.stat().st_mode) == 0o600
    text = html.read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    # Nothing to fetch: no external src/href/url() at all.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "url(" not in text and "@import" not in text and "<link" not in text
    for v in values:
        assert v not in text and snils_form(v) not in text
    assert "654321" not in text  # the passport number is masked too


def test_renders_summary_and_table(report, browser):
    html, data, _ = report
    _open(browser, html)
    n = len(data["files"])
    assert n == 9  # the requisites file holds no personal data
    assert _count(browser) == n
    assert len(_rows(browser)) == n
    cards = browser.find_element("id", "cards").text
    assert f"{data['summary']['files_with_pd']}\nфайлов с ПДн" in cards
    # Every chart drew bars; the rule chart names the clause.
    for chart in ("ch-entity", "ch-folder", "ch-rule"):
        assert browser.execute_script(f"return document.querySelectorAll('#{chart} .bar').length") > 0
    assert "п. 3.6.2" in browser.find_element("id", "ch-rule").text
    assert browser.title != "pwned"
    evil_row = [r for r in _rows(browser) if EVIL in r[0]]
    assert len(evil_row) == 1  # shown as text, never as markup
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_filters(report, browser):
    html, data, _ = report
    _open(browser, html)
    q = browser.find_element("id", "q")
    q.send_keys("архив")
    browser.implicitly_wait(0)
    from selenium.webdriver.support.ui import WebDriverWait

    expected = sum(1 for f in data["files"] if "архив" in f["path"].lower())
    WebDriverWait(browser, 5).until(lambda d: _count(d) == expected)
    assert expected == 3
    assert all("Архив/" in r[0] for r in _rows(browser))
    browser.find_element("id", "reset").click()
    assert _count(browser) == len(data["files"])

    _set_select(browser, "f-entity", "паспорт РФ")
    with_passport = {f["path"] for f in data["files"] if "RU_PASSPORT" in f["entities"]}
    assert _count(browser) == len(with_passport) == 2
    _set_select(browser, "f-folder", "Общая")
    assert _count(browser) == 1
    browser.find_element("id", "reset").click()

    _set_select(browser, "f-rule", "истёк срок хранения")
    expired = {
        f["path"] for f in data["files"] if any(v["rule"] == "retention_expired" for v in f["violations"])
    }
    assert _count(browser) == len(expired) == 2
    _set_select(browser, "f-rule", "вне разрешённых мест хранения")
    assert _count(browser) == 3 and all("Общая/" in r[0] for r in _rows(browser))
    _set_select(browser, "f-rule", "Без нарушений")
    assert _count(browser) == sum(1 for f in data["files"] if not f["violations"])
    browser.find_element("id", "reset").click()

    _set_select(browser, "f-state", "принято")
    assert _count(browser) == 1 and "отпуск.txt" in _rows(browser)[0][0]
    _set_select(browser, "f-state", "не разобрано")
    assert _count(browser) == len(data["files"]) - 1
    browser.find_element("id", "reset").click()
    _set_select(browser, "f-owner", data["files"][0]["owner"])
    assert _count(browser) == len(data["files"])  # one owner in a test tree
    # Clicking a bar of the folder chart filters by that folder.
    browser.find_element("id", "reset").click()
    browser.execute_script(
        "[...document.querySelectorAll('#ch-folder .bar')].find(b => b.textContent.startsWith('Кадры'))"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    assert _count(browser) == 3 and all(r[1] == "Кадры" for r in _rows(browser))


def test_sorting(report, browser):
    html, data, _ = report
    _open(browser, html)
    head = {h.text: h for h in browser.find_elements("css selector", "#ghead > div")}
    head["Изменён"].click()
    dates = [r[6] for r in _rows(browser)]
    key = [dt.datetime.strptime(d, "%d.%m.%Y") for d in dates]
    assert key == sorted(key) and key[0] == dt.datetime(2018, 2, 2)
    head["Изменён"].click()
    key = [dt.datetime.strptime(r[6], "%d.%m.%Y") for r in _rows(browser)]
    assert key == sorted(key, reverse=True)
    head["Знач."].click()
    counts = [int(r[3]) for r in _rows(browser)]
    assert counts == sorted(counts) and counts[-1] == 4  # Кадры/список.txt holds four СНИЛС
    assert head["Знач."].get_attribute("aria-sort") == "ascending"


def test_file_card_shows_masked_values_where_and_retention(report, browser):
    html, data, values = report
    _open(browser, html)
    row = next(r for r in browser.find_elements("css selector", "#grows .row") if "реестр.txt" in r.text)
    row.click()
    card = browser.find_element("id", "card").text
    f = next(f for f in data["files"] if f["path"].endswith("2019/реестр.txt"))
    for g in f["findings"]:
        assert g["masked"] in card
    assert "line 1" in card and "line 2" in card
    assert "Архив (п. 3.6.2)" in card and "01.01.2025" in card and "срок истёк" in card
    assert values[7] not in card
    browser.find_element("id", "close").click()
    assert not browser.find_element("id", "drawer").is_displayed()


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Hits.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *a):
        pass


def test_no_request_leaves_the_page(report, browser):
    html, _, _ = report
    browser.get_log("performance")  # drop what earlier tests did
    _open(browser, html)
    urls = requested_urls(browser)
    assert urls and all(u.startswith("file://") for u in urls), urls
    assert {u for u in urls} == {html.as_uri()}
    # Even script run inside the page cannot reach the network: the CSP blocks it.
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Hits)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_port}"
        browser.execute_script(
            f"""fetch('{url}/fetch').catch(() => 0);
            new Image().src = '{url}/img.png';
            const s = document.createElement('script'); s.src = '{url}/s.js'; document.head.appendChild(s);
            const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = '{url}/c.css';
            document.head.appendChild(l);"""
        )
        import time

        time.sleep(1.0)
        assert _Hits.hits == []
        attempts = [(u, o, why) for u, o, why in network_log(browser) if u.startswith("http")]
        assert len(attempts) >= 3 and all(o == "failed" and why == "csp" for _, o, why in attempts), attempts
        # The server itself works: a request from outside the page reaches it.
        import urllib.request

        urllib.request.urlopen(f"{url}/probe", timeout=5).read()
        assert _Hits.hits == ["/probe"]
    finally:
        srv.shutdown()


def test_virtual_scrolling_keeps_the_dom_small(tmp_path, browser):
    db = tmp_path / "big.db"
    synthetic_store(db, files=3000, findings_per_file=3)
    html = tmp_path / "big.html"
    assert cli("report", "--db", db, "-o", html).rc == 0
    _open(browser, html)
    assert _count(browser) == 3000
    assert len(_rows(browser)) < 80  # only the visible rows (plus a margin) are in the DOM
    browser.execute_script("const b = document.getElementById('gbody'); b.scrollTop = b.scrollHeight;")
    import time

    time.sleep(0.3)
    last = _rows(browser)
    # The table starts in path order: after scrolling to the bottom the last path is on screen.
    paths = sorted(f"/srv/share/{r}" for r in _synthetic_rels(3000))
    assert last[-1][0] == paths[-1].removeprefix("/srv/share/")
    assert not any(paths[0].removeprefix("/srv/share/") == r[0] for r in last)
    assert (
        json.loads(
            browser.execute_script("return JSON.stringify(document.querySelectorAll('#grows .row').length)")
        )
        < 80
    )


def _synthetic_rels(n: int) -> list[str]:
    from report_browser import FOLDERS

    return [f"{FOLDERS[i % len(FOLDERS)]}/{2015 + i % 11}/документ {i:06d}.docx" for i in range(n)]
