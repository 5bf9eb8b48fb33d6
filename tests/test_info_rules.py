"""expires_soon is a warning: it is reported, but it is no violation for the totals or the exit code."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime

POLICY = """version: 1
authorized_locations: ["**"]
retention:
  - name: "Пользователи сайта (п. 3.6.4)"
    clause: "п. 3.6.4"
    match: ["**"]
    years: 1
    count_from: modified
access:
  allow_owner: true
  allowed_users: ["root"]
  allowed_groups: ["root"]
expires_soon_days: 30
"""


def test_a_deadline_within_the_window_warns_without_a_violation(tmp_path, pdscan_cmd):
    share = tmp_path / "share"
    share.mkdir()
    f = share / "users.txt"
    f.write_text("Пользователь: тел. +7 914 123-45-67, e-mail ivan.petrov@mail.ru\n", encoding="utf-8")
    os.chmod(f, 0o600)
    mtime = datetime(2025, 6, 20).timestamp()
    os.utime(f, (mtime, mtime))
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    args = [*pdscan_cmd, "scan", str(share), "--policy", str(tmp_path / "policy.yaml"), "--format", "jsonl"]
    soon = subprocess.run(
        [*args, "--as-of", "2026-06-01", "--db", str(tmp_path / "db")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    records = [json.loads(x) for x in soon.stdout.splitlines()]
    assert [(r["rule"], r["days_left"]) for r in records if r["type"] == "violation"] == [
        ("expires_soon", 19)
    ]
    assert records[-1]["violations_by_clause"] == {} and records[-1]["violations_by_rule"] == {
        "expires_soon": 1
    }
    assert soon.returncode == 1  # the findings themselves are new on the first scan
    again = subprocess.run(
        [*args, "--as-of", "2026-06-02", "--db", str(tmp_path / "db")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stdout  # nothing new: the warning alone does not wake the scheduler
    expired = subprocess.run(
        [*args, "--as-of", "2026-06-20", "--db", str(tmp_path / "db")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert expired.returncode == 1
    assert [json.loads(x)["rule"] for x in expired.stdout.splitlines() if '"violation"' in x] == [
        "retention_expired"
    ]
