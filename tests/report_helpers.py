"""Helpers for the report / triage / subject / act tests: generated files, real scans, fingerprints."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from pathlib import Path

import phonenumbers
from stdnum.ru import inn as stdnum_inn
from store_helpers import Run, run_pdscan

from pdscan.fingerprint import fingerprint
from recognizers.snils import snils_check

# The report tests' policy: two authorized places, a five-year archive (п. 3.6.2).
AS_OF = dt.date(2026, 6, 1)
POLICY = """version: 1
authorized_locations: ["Кадры/**", "Архив/**"]
retention:
  - name: "Архив (п. 3.6.2)"
    match: ["Архив/**"]
    years: 5
    count_from: next_year
    clause: "п. 3.6.2"
"""


def snils(seed: int) -> str:
    """Eleven digits of a checksum-valid СНИЛС, different for each seed."""
    rng = random.Random(seed)
    while True:
        first = f"{rng.randint(2_000_000, 999_999_999):09d}"
        if not any(first[k] == first[k + 1] == first[k + 2] for k in range(7)):
            return first + snils_check(first)


def snils_form(v: str) -> str:
    return f"{v[:3]}-{v[3:6]}-{v[6:9]} {v[9:]}"


def inn12(seed: int) -> str:
    rng = random.Random(seed)
    first = f"77{rng.randint(10_000_000, 99_999_999):08d}"
    return first + stdnum_inn.calc_personal_check_digits(first)


def phone(seed: int) -> str:
    """'+7XXXXXXXXXX', a valid Russian mobile number."""
    rng = random.Random(seed)
    while True:
        v = f"+79{rng.randint(10, 99)}{rng.randint(2_000_000, 9_999_999)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(v)):
            return v


def fp(entity: str, normalized: str) -> str:
    """The fingerprint the scan gives (conftest fixes the key)."""
    return fingerprint(entity, normalized)


def write(path: Path, text: str, day: dt.date | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if day is not None:
        ts = dt.datetime(day.year, day.month, day.day, 12, 0).timestamp()
        os.utime(path, (ts, ts))
    return path


def scan(cmd: list[str], root: Path, db: Path, *extra: str) -> Run:
    return run_pdscan(
        cmd, "scan", str(root), "--db", str(db), "--format", "jsonl", "--jobs", "1", "-q", *extra
    )


def diff_new(cmd: list[str], db: Path) -> set[tuple[str, str]]:
    """(path, fingerprint or rule) of the items the latest scan reported as new."""
    r = cli("diff", "--db", db, "--format", "jsonl")
    assert r.rc == 0, r.stderr
    return {
        (c["path"], c.get("fingerprint") or c.get("rule"))
        for c in r.records
        if c.get("type") == "change" and c["change"] == "new"
    }


def report_json(cmd: list[str], db: Path, out: Path, *extra: str) -> dict:
    r = cli("report", "--db", db, "--format", "json", "-o", out, *extra)
    assert r.rc == 0, r.stderr
    return json.loads(out.read_text(encoding="utf-8"))


class CliResult:
    def __init__(self, rc: int, stdout: str, stderr: str):
        self.rc, self.stdout, self.stderr = rc, stdout, stderr
        self.records = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def cli(*args: str, env: dict[str, str | None] | None = None) -> CliResult:
    """Run a pdscan command in this process (the real command; saves the ~2 s import per call).

    --lang sets PDSCAN_LANG for the process; it is put back after each call, so one command's
    --lang en does not leak into the next test."""
    from click.testing import CliRunner

    from pdscan.cli import main

    env = {"PDSCAN_LANG": os.environ.get("PDSCAN_LANG"), **(env or {})}
    r = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)
    return CliResult(r.exit_code, r.stdout, r.stderr)
