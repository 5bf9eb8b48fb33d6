"""Triage end to end: marks set with `pdscan triage` survive real rescans (`pdscan scan --db`),
hidden items never come back as new, and a baseline moves the marks to another store."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from report_helpers import cli, diff_new, fp, phone, report_json, scan, snils, snils_form, write

X, Y, W, Z, V = (snils(i) for i in range(10, 15))
P = phone(16)


def _files(rep: dict) -> dict[str, dict]:
    return {f["path"]: f for f in rep["files"]}


def _finding(rep: dict, path: Path, value_fp: str) -> dict:
    return next(g for g in _files(rep)[str(path)]["findings"] if g["fingerprint"] == value_fp)


def test_marks_survive_rescans_and_hidden_items_never_return_as_new(tmp_path, pdscan_cmd):
    root, db = tmp_path / "share", tmp_path / "pdscan.db"
    a, b, c = root / "a.txt", root / "b.txt", root / "c.txt"
    write(a, f"СНИЛС {snils_form(X)}\nСНИЛС {snils_form(Y)}\n")
    write(b, f"СНИЛС {snils_form(Z)}\n")
    write(c, f"тел. {P}\n")
    assert scan(pdscan_cmd, root, db).rc == 1
    fx, fy, fw, fz, fv = (fp("RU_SNILS", v) for v in (X, Y, W, Z, V))
    fphone = fp("PHONE_NUMBER", P)

    # A prefix of the fingerprint is enough when it is unique in the file.
    r = cli("triage", "--db", db, "--path", a, "--fingerprint", fx[:12], "--state", "false_positive")
    assert r.rc == 0, r.stderr
    r = cli("triage", "--db", db, "--path", b, "--file", "--state", "accepted")
    assert r.rc == 2 and "основание" in r.stderr  # accepted needs a reason
    r = cli(
        "triage",
        "--db",
        db,
        "--path",
        b,
        "--file",
        "--state",
        "accepted",
        "--reason",
        "хранится по приказу № 5",
    )
    assert r.rc == 0, r.stderr
    r = cli("triage", "--db", db, "--path", c, "--fingerprint", fphone, "--state", "remediated")
    assert r.rc == 0, r.stderr
    r = cli("triage", "--db", db, "--path", root / "нет.txt", "--file", "--state", "remediated")
    assert r.rc == 2 and "не найден" in r.stderr

    # Scan 2: X leaves a.txt and W arrives; b.txt is deleted. Only W is new.
    write(a, f"СНИЛС {snils_form(Y)}\nСНИЛС {snils_form(W)}\n")
    os.utime(a, (1_700_000_000, 1_700_000_000))
    b.unlink()
    assert scan(pdscan_cmd, root, db).rc == 1
    assert diff_new(pdscan_cmd, db) == {(str(a), fw)}

    # Scan 3: X comes back to a.txt, b.txt comes back with one more value. Both are hidden
    # (X marked false positive, b.txt accepted as a whole), so nothing is new: exit 0.
    write(a, f"СНИЛС {snils_form(X)}\nСНИЛС {snils_form(Y)}\nСНИЛС {snils_form(W)}\n")
    os.utime(a, (1_700_000_100, 1_700_000_100))
    write(b, f"СНИЛС {snils_form(Z)}\nСНИЛС {snils_form(V)}\n")
    r = scan(pdscan_cmd, root, db)
    assert r.rc == 0, r.stderr
    assert diff_new(pdscan_cmd, db) == set()
    # Scan 4, nothing changed: still nothing new, the marks are still there.
    assert scan(pdscan_cmd, root, db).rc == 0

    rep = report_json(pdscan_cmd, db, tmp_path / "r.json")
    assert _finding(rep, a, fx)["state"] == "false_positive"
    assert _finding(rep, a, fy)["state"] == "open"
    assert _files(rep)[str(a)]["state"] == "open"  # Y and W are not decided yet
    fb = _files(rep)[str(b)]
    assert fb["state"] == "accepted" and fb["reason"] == "хранится по приказу № 5"
    assert {g["fingerprint"] for g in fb["findings"]} == {fz, fv}
    assert _finding(rep, c, fphone)["state"] == "remediated"
    assert _files(rep)[str(c)]["state"] == "remediated"  # its only item is marked
    assert rep["summary"]["by_state"] == {"open": 1, "false_positive": 0, "accepted": 1, "remediated": 1}

    # The baseline carries the marks to a fresh store: its first scan hides the same items.
    base = tmp_path / "baseline.json"
    r = cli("triage", "--db", db, "export", "-o", base)
    assert r.rc == 0, r.stderr
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
    doc = json.loads(base.read_text(encoding="utf-8"))
    assert doc["format"] == "pdscan-baseline" and len(doc["marks"]) == 3
    assert X not in base.read_text(encoding="utf-8")  # fingerprints and masked forms only
    db2 = tmp_path / "other.db"
    r = cli("triage", "--db", db2, "import", base)
    assert r.rc == 0, r.stderr
    assert scan(pdscan_cmd, root, db2).rc == 1
    assert diff_new(pdscan_cmd, db2) == {(str(a), fy), (str(a), fw), (str(c), fphone)}

    # Clearing a mark makes the item visible again in the report.
    r = cli("triage", "--db", db, "--path", a, "--fingerprint", fx, "--clear")
    assert r.rc == 0, r.stderr
    rep = report_json(pdscan_cmd, db, tmp_path / "r2.json")
    assert _finding(rep, a, fx)["state"] == "open"


def test_value_marked_everywhere_and_violation_marks(tmp_path, pdscan_cmd):
    root, db = tmp_path / "share", tmp_path / "pdscan.db"
    policy = write(tmp_path / "policy.yaml", 'version: 1\nauthorized_locations: ["Кадры/**"]\n')
    inside, outside = root / "Кадры" / "a.txt", root / "Общая" / "b.txt"
    write(inside, f"СНИЛС {snils_form(X)}\n")
    write(outside, f"СНИЛС {snils_form(X)}\nСНИЛС {snils_form(Y)}\n")
    assert scan(pdscan_cmd, root, db, "--policy", str(policy)).rc == 1
    fx = fp("RU_SNILS", X)
    # "*" as the path: X is a test value wherever it appears.
    assert cli("triage", "--db", db, "--path", "*", "--fingerprint", fx, "--state", "false_positive").rc == 0
    r = cli("triage", "--db", db, "--path", outside, "--rule", "outside_authorized", "--state", "accepted",
            "--reason", "временная папка до 01.07")  # fmt: skip
    assert r.rc == 0, r.stderr
    rep = report_json(pdscan_cmd, db, tmp_path / "r.json")
    files = _files(rep)
    assert _finding(rep, inside, fx)["state"] == "false_positive"
    assert _finding(rep, outside, fx)["state"] == "false_positive"
    assert files[str(inside)]["state"] == "false_positive"
    (v,) = files[str(outside)]["violations"]
    assert v["rule"] == "outside_authorized" and v["state"] == "accepted"
    # The summary no longer counts what is a false positive.
    assert rep["summary"]["files_with_pd"] == 1
    assert rep["summary"]["by_entity_values"] == {"RU_SNILS": 1}
    lst = cli("triage", "--db", db, "list", "--format", "jsonl")
    assert {(m["path"], m["state"]) for m in lst.records} == {
        ("*", "false_positive"),
        (str(outside), "accepted"),
    }


def test_bad_baseline_is_refused_and_changes_nothing(tmp_path):
    db = tmp_path / "pdscan.db"
    bad = write(tmp_path / "b.json", json.dumps({"format": "pdscan-baseline", "version": 1, "marks": [
        {"path": "/a", "target": "*", "state": "remediated"},
        {"path": "/b", "target": "*", "state": "accepted"},  # no reason
    ]}))  # fmt: skip
    r = cli("triage", "--db", db, "import", bad)
    assert r.rc == 2 and "запись 2" in r.stderr
    assert cli("triage", "--db", db, "list", "--format", "jsonl").records == []
    other = write(tmp_path / "x.json", '{"marks": []}')
    r = cli("triage", "--db", db, "import", other)
    assert r.rc == 2 and "базовой линии" in r.stderr
