"""Unit files for a scheduled scan: a systemd service + timer pair, or a crontab line."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from pdscan.i18n import t

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    pass


@dataclass
class Schedule:
    command: list[str]  # the scan command, e.g. ["pdscan", "scan", "/srv/share", "--policy", "p.yaml"]
    name: str = "pdscan-scan"
    time: str = "02:00"  # daily at HH:MM, local time
    on_calendar: str | None = None  # a raw systemd OnCalendar= expression instead of `time`
    cron_spec: str | None = None  # a raw 5-field cron schedule instead of `time`
    user: bool = False  # a user unit (~/.config/systemd/user) rather than a system one

    def __post_init__(self) -> None:
        if not self.command:
            raise ScheduleError(t("sched_no_command"))
        if not re.fullmatch(r"[A-Za-z0-9_.@-]+", self.name):
            raise ScheduleError(t("sched_bad_name", name=repr(self.name)))
        if not _TIME.match(self.time):
            raise ScheduleError(t("sched_bad_time", value=repr(self.time)))
        if self.cron_spec is not None and len(self.cron_spec.split()) != 5:
            raise ScheduleError(t("sched_bad_cron", value=repr(self.cron_spec)))

    def resolved_command(self) -> list[str]:
        """The program with an absolute path: systemd and cron run with a minimal PATH."""
        prog = self.command[0]
        if "/" not in prog:
            found = shutil.which(prog)
            sibling = Path(sys.executable).parent / prog  # pdscan installed in a venv not on PATH
            if found:
                prog = os.path.abspath(found)
            elif prog == "pdscan" and sibling.exists():
                prog = str(sibling)
        return [prog, *self.command[1:]]

    def _hm(self) -> tuple[int, int]:
        m = _TIME.match(self.time)
        assert m
        return int(m.group(1)), int(m.group(2))


def _systemd_quote(arg: str) -> str:
    """Quote one ExecStart= argument: % and $ are specifiers/variables, so they are doubled."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if arg and not re.search(r"[\s\"'\\;]", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def service_text(s: Schedule) -> str:
    exec_start = " ".join(_systemd_quote(a) for a in s.resolved_command())
    return f"""# {s.name}.service — {t("sched_service_head")}
# {t("sched_exit_codes")}
[Unit]
Description={t("sched_service_description", name=s.name)}
After=network-online.target remote-fs.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart={exec_start}
# {t("sched_success_note")}
SuccessExitStatus=1
Nice=10
IOSchedulingClass=idle
"""


def timer_text(s: Schedule) -> str:
    hour, minute = s._hm()
    calendar = s.on_calendar or f"*-*-* {hour:02d}:{minute:02d}:00"
    return f"""# {s.name}.timer — {t("sched_timer_head", name=s.name)}
[Unit]
Description={t("sched_timer_description", name=s.name)}

[Timer]
OnCalendar={calendar}
# {t("sched_persistent")}
Persistent=true
RandomizedDelaySec=5min

[Install]
WantedBy=timers.target
"""


def cron_line(s: Schedule) -> str:
    hour, minute = s._hm()
    spec = s.cron_spec or f"{minute} {hour} * * *"
    # In a crontab line an unescaped % ends the command.
    cmd = shlex.join(s.resolved_command()).replace("%", "\\%")
    return f"{spec} {cmd}\n"


def default_unit_dir(user: bool) -> Path:
    if user or os.geteuid() != 0:
        base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
        return Path(base) / "systemd" / "user"
    return Path("/etc/systemd/system")


def install(s: Schedule, unit_dir: Path | None = None) -> list[Path]:
    """Write NAME.service and NAME.timer; return their paths. Nothing is enabled or started."""
    directory = unit_dir or default_unit_dir(s.user)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in ((".service", service_text(s)), (".timer", timer_text(s))):
        path = directory / f"{s.name}{suffix}"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        written.append(path)
    return written


def enable_hint(s: Schedule, unit_dir: Path) -> str:
    user = " --user" if unit_dir == default_unit_dir(True) and (s.user or os.geteuid() != 0) else ""
    return t("sched_enable", user=user, name=s.name)
