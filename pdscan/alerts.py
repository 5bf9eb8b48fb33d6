"""Alerts of watch mode: JSON lines on stdout, a JSONL file, syslog, e-mail and a command hook.

An alert is one JSONL record exactly as `scan --format jsonl` writes it (pdscan.output.result_records),
so it holds masked values and fingerprints only, never raw personal data. Slow sinks (SMTP, the hook)
run in their own thread behind a bounded queue, so a dead mail server never stalls the scanning.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import queue
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import IO

import yaml

from pdscan.i18n import t

log = logging.getLogger("pdscan.alerts")


class AlertConfigError(ValueError):
    """The alerts config file is wrong; the message says where and why, in the current language."""


@dataclass
class SyslogConfig:
    address: str = "/dev/log"  # a socket path, or "host:port" (UDP)
    facility: str = "auth"
    tag: str = "pdscan"


@dataclass
class EmailConfig:
    host: str
    to: list[str]
    sender: str
    port: int = 25
    starttls: bool = False
    ssl: bool = False
    username: str = ""
    password: str = ""
    subject: str = field(default_factory=lambda: t("al_subject"))  # in the watch's language
    batch_seconds: float = 60.0  # at most one letter per this many seconds
    max_records: int = 500  # records quoted in one letter; the rest are counted
    timeout: float = 30.0


@dataclass
class CommandConfig:
    argv: list[str]
    timeout: float = 30.0


@dataclass
class AlertConfig:
    stdout: bool = True
    jsonl_file: str | None = None
    syslog: SyslogConfig | None = None
    email: EmailConfig | None = None
    command: CommandConfig | None = None
    alert_errors: bool = False  # also send error records (unreadable files) as alerts


def _check_keys(section: str, data: dict, allowed: set[str], required: set[str] = frozenset()) -> None:
    if not isinstance(data, dict):
        raise AlertConfigError(t("ac_not_mapping", section=section))
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise AlertConfigError(
            t("ac_unknown_key", section=section, key=unknown[0], allowed=", ".join(sorted(allowed)))
        )
    missing = sorted(required - set(data))
    if missing:
        raise AlertConfigError(t("ac_missing_key", section=section, key=missing[0]))


def _typed(section: str, key: str, value, kind):
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = {
            str: "ac_kind_str",
            int: "ac_kind_int",
            float: "ac_kind_float",
            bool: "ac_kind_bool",
            list: "ac_kind_list",
        }
        what = t(names[kind]) if kind in names else kind.__name__
        raise AlertConfigError(t("ac_expected", where=f"{section}.{key}", kind=what))
    return value


def _str_list(section: str, key: str, value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    value = _typed(section, key, value, list)
    if not value or not all(isinstance(v, str) and v for v in value):
        raise AlertConfigError(t("ac_str_list", where=f"{section}.{key}"))
    return value


def parse_alert_config(data: dict | None) -> AlertConfig:
    data = data or {}
    top = {"stdout", "jsonl_file", "syslog", "email", "command", "alert_errors"}
    _check_keys(t("ac_file"), data, top)
    cfg = AlertConfig()
    if "stdout" in data:
        cfg.stdout = _typed("", "stdout", data["stdout"], bool)
    if "alert_errors" in data:
        cfg.alert_errors = _typed("", "alert_errors", data["alert_errors"], bool)
    if data.get("jsonl_file"):
        cfg.jsonl_file = _typed("", "jsonl_file", data["jsonl_file"], str)
    if data.get("syslog") is not None:
        s = data["syslog"] if data["syslog"] is not True else {}
        _check_keys("syslog", s, {"address", "facility", "tag"})
        cfg.syslog = SyslogConfig(**{k: _typed("syslog", k, v, str) for k, v in s.items()})
        if cfg.syslog.facility not in logging.handlers.SysLogHandler.facility_names:
            raise AlertConfigError(t("ac_facility", value=cfg.syslog.facility))
    if data.get("email") is not None:
        e = data["email"]
        kinds = {
            "host": str,
            "port": int,
            "starttls": bool,
            "ssl": bool,
            "username": str,
            "password": str,
            "password_env": str,
            "from": str,
            "to": list,
            "subject": str,
            "batch_seconds": float,
            "max_records": int,
            "timeout": float,
        }
        _check_keys("email", e, set(kinds), {"host", "from", "to"})
        kw = {}
        for k, v in e.items():
            if k == "to":
                kw["to"] = _str_list("email", k, v)
            elif k == "from":
                kw["sender"] = _typed("email", k, v, str)
            elif k == "password_env":
                env = _typed("email", k, v, str)
                if env not in os.environ:
                    raise AlertConfigError(t("ac_password_env", env=env))
                kw["password"] = os.environ[env]
            else:
                kw[k] = _typed("email", k, v, kinds[k])
        cfg.email = EmailConfig(**kw)
    if data.get("command") is not None:
        c = data["command"]
        if isinstance(c, (str, list)):
            c = {"argv": c}
        _check_keys("command", c, {"argv", "timeout"}, {"argv"})
        argv = c["argv"]
        if isinstance(argv, str):
            import shlex

            argv = shlex.split(argv)
        cfg.command = CommandConfig(
            argv=_str_list("command", "argv", argv),
            timeout=_typed("command", "timeout", c.get("timeout", 30.0), float),
        )
    return cfg


def load_alert_config(path: str | None) -> AlertConfig:
    if not path:
        return AlertConfig()
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as e:
        raise AlertConfigError(t("ac_unreadable", path=path, error=e.strerror)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = t("ac_line", n=mark.line + 1) if mark else ""
        raise AlertConfigError(t("ac_yaml", path=path, where=where)) from None
    try:
        return parse_alert_config(data)
    except AlertConfigError as e:
        raise AlertConfigError(f"{path}: {e}") from None


def _dump(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False)


class Sink:
    """One destination of alerts. send() gets the new records of one file."""

    def send(self, records: list[dict]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass


class StreamSink(Sink):
    def __init__(self, stream: IO[str]):
        self.stream = stream

    def send(self, records: list[dict]) -> None:
        self.stream.write("".join(_dump(r) + "\n" for r in records))
        self.stream.flush()  # a reader of the pipe must see the alert now, not at exit


class JsonlFileSink(StreamSink):
    def __init__(self, path: str):
        # Appended to, created 0600: it names files with personal data.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0), 0o600)
        super().__init__(open(fd, "a", encoding="utf-8", newline=""))

    def close(self) -> None:
        self.stream.close()


class _RaisingSysLogHandler(logging.handlers.SysLogHandler):
    """Delivery errors go to the Alerter (logged once, in Russian), not to a traceback on stderr."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 — logging's name
        raise OSError(t("al_syslog_failed"))


class SyslogSink(Sink):
    def __init__(self, cfg: SyslogConfig):
        address: str | tuple[str, int] = cfg.address
        if ":" in cfg.address and not cfg.address.startswith("/"):
            host, port = cfg.address.rsplit(":", 1)
            address = (host, int(port))
        facility = logging.handlers.SysLogHandler.facility_names[cfg.facility]
        self.handler = _RaisingSysLogHandler(address=address, facility=facility)
        self.handler.ident = f"{cfg.tag}: "
        self.handler.setFormatter(logging.Formatter("%(message)s"))

    def send(self, records: list[dict]) -> None:
        for rec in records:
            level = logging.WARNING if rec.get("type") == "violation" else logging.INFO
            self.handler.emit(
                logging.makeLogRecord(
                    {"msg": _dump(rec), "levelno": level, "levelname": logging.getLevelName(level)}
                )
            )

    def close(self) -> None:
        self.handler.close()


class _Threaded(Sink):
    """Runs a slow sink in a thread behind a bounded queue; when the queue is full, alerts are dropped
    and counted in the log (the stdout and file sinks still have them)."""

    def __init__(self, name: str, maxsize: int = 1000):
        self.name = name
        self.q: queue.Queue = queue.Queue(maxsize)
        self.dropped = 0
        self.thread = threading.Thread(target=self._run, name=f"alerts-{name}", daemon=True)
        self.thread.start()

    def send(self, records: list[dict]) -> None:
        try:
            self.q.put_nowait(records)
        except queue.Full:
            self.dropped += len(records)
            log.warning(t("al_queue_full"), self.name, self.dropped)

    def _run(self) -> None:
        while True:
            item = self.q.get()
            if item is None:
                self.flush()
                return
            try:
                self.handle(item)
            except Exception as e:  # noqa: BLE001 — a failed delivery must not stop the watch
                log.error(t("al_not_delivered"), self.name, e)

    def handle(self, records: list[dict]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.q.put(None)
        self.thread.join(60)


class CommandSink(_Threaded):
    """Runs the hook once per file's alerts, with the records as JSON lines on stdin."""

    def __init__(self, cfg: CommandConfig):
        self.cfg = cfg
        super().__init__("command")

    def handle(self, records: list[dict]) -> None:
        data = "".join(_dump(r) + "\n" for r in records).encode("utf-8")
        proc = subprocess.run(
            self.cfg.argv,
            input=data,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=self.cfg.timeout,
            check=False,
        )
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip()[:300]
            log.error(t("al_hook_exit"), proc.returncode, err)


class EmailSink(_Threaded):
    """Gathers alerts and sends at most one letter per batch_seconds, so a flood is one letter, not a thousand."""

    def __init__(self, cfg: EmailConfig):
        self.cfg = cfg
        self.batch: list[dict] = []
        self.extra = 0
        self.first = 0.0
        super().__init__("email")

    def _run(self) -> None:
        while True:
            timeout = None
            if self.batch:
                timeout = max(0.0, self.first + self.cfg.batch_seconds - time.monotonic())
            try:
                item = self.q.get(timeout=timeout)
            except queue.Empty:
                self._deliver()
                continue
            if item is None:
                self._deliver()
                return
            if not self.batch:
                self.first = time.monotonic()
            room = self.cfg.max_records - len(self.batch)
            self.batch.extend(item[:room])
            self.extra += max(0, len(item) - room)

    def _deliver(self) -> None:
        if not self.batch:
            return
        batch, extra = self.batch, self.extra
        self.batch, self.extra = [], 0
        try:
            self.send_letter(batch, extra)
        except (OSError, smtplib.SMTPException) as e:
            log.error(t("al_mail_failed"), e)

    def send_letter(self, batch: list[dict], extra: int) -> None:
        cfg = self.cfg
        msg = EmailMessage()
        msg["Subject"] = cfg.subject
        msg["From"] = cfg.sender
        msg["To"] = ", ".join(cfg.to)
        lines = [format_alert_text(r) for r in batch]
        if extra:
            lines.append(t("al_more", n=extra))
        body = "\n".join(lines) + "\n\nJSON:\n" + "".join(_dump(r) + "\n" for r in batch)
        msg.set_content(body)
        if cfg.ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                cfg.host, cfg.port, timeout=cfg.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout, local_hostname=socket.getfqdn())
        with smtp:
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.username:
                smtp.login(cfg.username, cfg.password)
            smtp.send_message(msg)


def format_alert_text(rec: dict) -> str:
    """One line for people (e-mail body): what, where; masked values only."""
    from pdscan.i18n import clause_label, entity_name, rule_name

    kind = rec.get("type")
    if kind == "violation":
        clause = clause_label(rec.get("clause", ""))
        return t("al_violation", clause=clause, rule=rule_name(rec.get("rule", "")), path=rec.get("path"))
    if kind == "finding":
        where = f"{rec['member']}: " if rec.get("member") else ""
        return t(
            "al_finding",
            entity=entity_name(rec.get("entity", "")),
            masked=rec.get("masked", ""),
            path=rec.get("path"),
            where=f"{where}{rec.get('location', '')}",
        )
    return t("al_error", error=rec.get("error", ""), path=rec.get("path"))


@dataclass
class Alerter:
    """Fans the new records of each file out to every configured sink."""

    config: AlertConfig = field(default_factory=AlertConfig)
    stdout: IO[str] | None = None
    sinks: list[Sink] = field(default_factory=list)
    sent: int = 0

    def __post_init__(self) -> None:
        cfg = self.config
        if cfg.stdout:
            self.sinks.append(StreamSink(self.stdout or sys.stdout))
        if cfg.jsonl_file:
            try:
                self.sinks.append(JsonlFileSink(cfg.jsonl_file))
            except OSError as e:
                raise AlertConfigError(t("ac_jsonl_open", path=cfg.jsonl_file, error=e.strerror)) from None
        if cfg.syslog:
            try:
                self.sinks.append(SyslogSink(cfg.syslog))
            except (OSError, ValueError) as e:
                msg = getattr(e, "strerror", None) or str(e)
                raise AlertConfigError(
                    t("ac_syslog_connect", address=cfg.syslog.address, error=msg)
                ) from None
        if cfg.email:
            self.sinks.append(EmailSink(cfg.email))
        if cfg.command:
            self.sinks.append(CommandSink(cfg.command))

    def send(self, records: list[dict]) -> None:
        if not self.config.alert_errors:
            records = [r for r in records if r.get("type") != "error"]
        if not records:
            return
        self.sent += len(records)
        for r in records:
            log.info(t("al_alert"), _dump(r))
        for sink in self.sinks:
            try:
                sink.send(records)
            except Exception as e:  # noqa: BLE001 — one broken sink must not silence the others
                log.error(t("al_sink_error"), type(sink).__name__, e)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception as e:  # noqa: BLE001
                log.error(t("al_sink_error"), type(sink).__name__, e)


__all__ = [
    "AlertConfig",
    "AlertConfigError",
    "Alerter",
    "load_alert_config",
    "parse_alert_config",
    "format_alert_text",
]
