"""`pdscan schedule`: the printed systemd pair and cron line, and --install into a folder."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from pdscan.schedule import Schedule, ScheduleError, cron_line, install, service_text, timer_text

POLICY = "/etc/pdscan/политика 100%.yaml"


def run(cmd, *args):
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=60)


def test_printed_service_and_timer(pdscan_cmd):
    p = run(
        pdscan_cmd,
        "schedule",
        "--time",
        "03:15",
        "--",
        "pdscan",
        "scan",
        "/srv/share",
        "--policy",
        POLICY,
        "-q",
    )
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "# --- pdscan-scan.service ---" in out and "# --- pdscan-scan.timer ---" in out
    exec_line = next(line for line in out.splitlines() if line.startswith("ExecStart="))
    prog = exec_line.split("=", 1)[1].split()[0]
    assert Path(prog).is_absolute() and Path(prog).name == "pdscan"  # systemd runs without the user's PATH
    # % is a systemd specifier: doubled; the path with spaces is one quoted argument.
    assert exec_line.endswith('scan /srv/share --policy "/etc/pdscan/политика 100%%.yaml" -q')
    assert "Type=oneshot" in out and "SuccessExitStatus=1" in out
    assert "OnCalendar=*-*-* 03:15:00" in out and "Persistent=true" in out and "WantedBy=timers.target" in out


def test_cron_line(pdscan_cmd):
    p = run(
        pdscan_cmd,
        "schedule",
        "--cron",
        "--time",
        "1:05",
        "--",
        "pdscan",
        "scan",
        "/srv/share",
        "--policy",
        POLICY,
    )
    assert p.returncode == 0, p.stderr
    line = p.stdout.strip()
    spec, cmd = line.split(" ", 5)[:5], line.split(" ", 5)[5]
    assert spec == ["5", "1", "*", "*", "*"]
    # cron ends the command at an unescaped %; after unescaping, the shell gets the exact argv.
    assert "100\\%" in cmd
    argv = shlex.split(cmd.replace("\\%", "%"))
    assert argv[1:] == ["scan", "/srv/share", "--policy", POLICY] and Path(argv[0]).is_absolute()
    custom = run(
        pdscan_cmd, "schedule", "--cron", "--cron-spec", "30 1 * * 1-5", "--", "/usr/bin/pdscan", "scan", "/x"
    )
    assert custom.stdout == "30 1 * * 1-5 /usr/bin/pdscan scan /x\n"


def test_install_into_a_folder(tmp_path, pdscan_cmd):
    units = tmp_path / "units"
    p = run(
        pdscan_cmd, "schedule", "--install", "--unit-dir", str(units), "--name", "pdscan-hr",
        "--on-calendar", "Mon..Fri 22:00", "--", "pdscan", "scan", "/srv/hr", "-q",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    service, timer = units / "pdscan-hr.service", units / "pdscan-hr.timer"
    assert service.read_text(encoding="utf-8") == service_text(
        Schedule(["pdscan", "scan", "/srv/hr", "-q"], name="pdscan-hr")
    )
    assert "OnCalendar=Mon..Fri 22:00" in timer.read_text(encoding="utf-8")
    assert f"записан: {service}" in p.stdout and "systemctl enable --now pdscan-hr.timer" in p.stdout
    assert sorted(x.name for x in units.iterdir()) == [
        "pdscan-hr.service",
        "pdscan-hr.timer",
    ]  # no temp files
    if shutil.which("systemd-analyze"):
        v = subprocess.run(
            ["systemd-analyze", "verify", str(service), str(timer)], capture_output=True, text=True
        )
        assert v.returncode == 0, v.stderr


def test_user_units_go_to_the_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    written = install(Schedule(["pdscan", "scan", "/home/u/docs"], user=True))
    assert [p.parent for p in written] == [tmp_path / "cfg" / "systemd" / "user"] * 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"command": []}, "не задана команда"),
        ({"command": ["pdscan"], "time": "25:00"}, "ЧЧ:ММ"),
        ({"command": ["pdscan"], "name": "a b"}, "недопустимое имя"),
        ({"command": ["pdscan"], "cron_spec": "* *"}, "пять полей"),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    with pytest.raises(ScheduleError, match=message):
        Schedule(**kwargs)


def test_cli_refuses_bad_time_and_cron_install(pdscan_cmd):
    p = run(pdscan_cmd, "schedule", "--time", "7", "--", "pdscan", "scan", "/x")
    assert p.returncode == 2 and "ЧЧ:ММ" in p.stderr
    p = run(pdscan_cmd, "schedule", "--cron", "--install", "--", "pdscan", "scan", "/x")
    assert p.returncode == 2 and "crontab -e" in p.stderr


def test_texts_quote_dollar_and_backslash():
    s = Schedule(["/opt/pdscan", "scan", "/srv/$HOME", 'a"b\\c'])
    line = next(x for x in service_text(s).splitlines() if x.startswith("ExecStart="))
    assert line == 'ExecStart=/opt/pdscan scan /srv/$$HOME "a\\"b\\\\c"'
    assert cron_line(s).startswith("0 2 * * * /opt/pdscan scan '/srv/$HOME' ")
    assert "OnCalendar=*-*-* 02:00:00" in timer_text(s)
