"""Alert sinks against real receivers: a JSONL file, a UDP syslog socket, a small SMTP server, a hook."""

from __future__ import annotations

import io
import json
import os
import socket
import socketserver
import stat
import sys
import threading

import pytest

from pdscan.alerts import AlertConfigError, Alerter, load_alert_config, parse_alert_config
from pdscan.model import FileRef, FileResult, Finding, Violation
from pdscan.output import result_records


def _records(path="/srv/share/Общая/анкета.docx") -> list[dict]:
    ref = FileRef(path=path, root="/srv/share", rel="Общая/анкета.docx", size=10, mtime=1.0)
    result = FileResult(
        ref=ref,
        findings=[Finding("RU_PASSPORT", "ab" * 32, "******3456", 0.65, "paragraph 1")],
        violations=[Violation(path, "outside_authorized", "п. 3.10", {"authorized": ["Кадры/**"]})],
    )
    return result_records(result)


def test_stdout_gets_exactly_the_jsonl_records():
    out = io.StringIO()
    alerter = Alerter(parse_alert_config({}), stdout=out)
    recs = _records()
    alerter.send(recs)
    alerter.close()
    assert [json.loads(line) for line in out.getvalue().splitlines()] == recs


def test_errors_are_not_alerts_unless_asked():
    out = io.StringIO()
    err = [{"type": "error", "path": "/x", "error": "доступ запрещён"}]
    Alerter(parse_alert_config({}), stdout=out).send(err)
    assert out.getvalue() == ""
    Alerter(parse_alert_config({"alert_errors": True}), stdout=out).send(err)
    assert json.loads(out.getvalue()) == err[0]


def test_jsonl_file_is_private_and_appended(tmp_path):
    target = tmp_path / "alerts.jsonl"
    for _ in range(2):
        a = Alerter(parse_alert_config({"stdout": False, "jsonl_file": str(target)}))
        a.send(_records())
        a.close()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[1])["rule"] == "outside_authorized"


def test_syslog_over_udp():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(5)
        port = sock.getsockname()[1]
        cfg = parse_alert_config(
            {"stdout": False, "syslog": {"address": f"127.0.0.1:{port}", "facility": "auth"}}
        )
        a = Alerter(cfg)
        a.send(_records())
        got = [sock.recv(65536).decode("utf-8") for _ in range(2)]
        a.close()
    finding, violation = got
    # <PRI> = facility auth (4) * 8 + severity: info (6) for a finding, warning (4) for a violation.
    assert finding.startswith("<38>pdscan: {") and '"masked": "******3456"' in finding
    assert violation.startswith("<36>pdscan: {") and '"rule": "outside_authorized"' in violation


def test_command_hook_gets_json_on_stdin(tmp_path):
    out = tmp_path / "hook.out"
    script = f"import sys; open({str(out)!r}, 'a', encoding='utf-8').write(sys.stdin.read())"
    a = Alerter(parse_alert_config({"stdout": False, "command": {"argv": [sys.executable, "-c", script]}}))
    a.send(_records())
    a.close()  # waits for the hook thread
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == _records()


def test_failing_hook_is_logged_not_raised(tmp_path, caplog):
    a = Alerter(
        parse_alert_config({"stdout": False, "command": [sys.executable, "-c", "raise SystemExit(3)"]})
    )
    a.send(_records())
    a.close()
    assert "код завершения 3" in caplog.text


def test_failing_hook_is_logged_in_english_with_lang_en(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("PDSCAN_LANG", "en")
    a = Alerter(
        parse_alert_config({"stdout": False, "command": [sys.executable, "-c", "raise SystemExit(3)"]})
    )
    a.send(_records())
    a.close()
    assert "alerts (command): exit code 3" in caplog.text
    assert "код завершения" not in caplog.text


def test_alert_config_errors_in_english(monkeypatch):
    monkeypatch.setenv("PDSCAN_LANG", "en")
    with pytest.raises(AlertConfigError, match="alerts file: unknown key “stdot”; allowed are: "):
        parse_alert_config({"stdot": True})


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greet, accept one or more messages, keep their DATA."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            cmd = line.strip().upper()
            if cmd.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif cmd == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.messages.append(data)
                self.wfile.write(b"250 queued\r\n")
            elif cmd == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.server.commands.append(cmd)
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages, server.commands = [], []
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield server
    server.shutdown()
    server.server_close()


def test_email_batches_alerts_into_one_letter(smtp_server):
    port = smtp_server.server_address[1]
    cfg = {
        "stdout": False,
        "email": {
            "host": "127.0.0.1",
            "port": port,
            "from": "pdscan@uk.example",
            "to": ["security@uk.example"],
            "batch_seconds": 0.5,
        },
    }
    a = Alerter(parse_alert_config(cfg))
    a.send(_records("/srv/share/a.docx"))
    a.send(_records("/srv/share/b.docx"))
    a.close()  # delivers what is gathered
    assert len(smtp_server.messages) == 1
    import email

    msg = email.message_from_bytes(smtp_server.messages[0])
    body = msg.get_payload(decode=True).decode("utf-8")
    assert msg["To"] == "security@uk.example"
    assert "/srv/share/a.docx" in body and "/srv/share/b.docx" in body
    assert "НАРУШЕНИЕ п. 3.10" in body and "******3456" in body
    assert b"RCPT TO:<SECURITY@UK.EXAMPLE>" in smtp_server.commands


def test_email_to_a_dead_server_is_logged(caplog):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = {"host": "127.0.0.1", "port": port, "from": "a@b", "to": "c@d", "batch_seconds": 0, "timeout": 2}
    a = Alerter(parse_alert_config({"stdout": False, "email": cfg}))
    a.send(_records())
    a.close()
    assert "не удалось отправить письмо" in caplog.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sms: {}\n", "неизвестный ключ «sms»"),
        ("email: {host: h, to: [a@b]}\n", "не задан обязательный ключ «from»"),
        ("email: {host: h, from: a@b, to: [a@b], port: двадцать}\n", "email.port: ожидается целое число"),
        ("syslog: {facility: nowhere}\n", "syslog.facility: неизвестное значение"),
        ("command: {argv: []}\n", "command.argv: ожидается непустой список строк"),
        ("stdout: [\n", "ошибка разбора YAML, строка 2"),
    ],
)
def test_config_errors_say_what_is_wrong(tmp_path, text, message):
    f = tmp_path / "alerts.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(AlertConfigError) as e:
        load_alert_config(str(f))
    assert message in str(e.value)


def test_password_from_environment(tmp_path, monkeypatch):
    f = tmp_path / "alerts.yaml"
    f.write_text(
        "email:\n  host: smtp.uk.example\n  port: 587\n  starttls: true\n  username: pdscan\n"
        "  password_env: PDSCAN_TEST_SMTP\n  from: pdscan@uk.example\n  to: security@uk.example\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PDSCAN_TEST_SMTP", "s3cret")
    cfg = load_alert_config(str(f))
    assert cfg.email.password == "s3cret" and cfg.email.to == ["security@uk.example"] and cfg.email.starttls
