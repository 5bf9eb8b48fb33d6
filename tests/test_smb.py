"""SMB source against a real Samba server started by the tests (tests/samba.py).

Covers walking (Cyrillic names, nested folders), read-only reads, NT ACLs as Samba derives them from
0600 / 0644 / group-only / POSIX-ACL files and as smbcacls writes them, a host that is down, a
wrong password, access denied, the hosts file, the CLI end to end, and incremental rescans.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pdscan.model import FileResult, Finding
from pdscan.policy import parse_policy
from pdscan.sources import smb
from pdscan.sources.local import WalkError
from tests.samba import running_samba, skip_reason

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

# Debian's "bin" account: a unix user with no SMB account, so Samba gives it the SID S-1-22-1-2.
# ("daemon" gets an SMB password below for the access-denied test, and with it a SAM SID.)
BIN_UID = 2
ADM_GID = 4  # Debian's "adm" group


def snils(number: int) -> str:
    """A checksum-valid СНИЛС for a 9-digit number (control: weighted sum mod 101, 100 → 00)."""
    d = f"{number:09d}"
    total = sum(int(c) * (9 - i) for i, c in enumerate(d))
    control = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
    return f"{d[:3]}-{d[3:6]}-{d[6:]} {control:02d}"


PD_TEXT = "Анкета сотрудника. Иванов Иван Иванович, СНИЛС {snils}, тел. +7 912 345-67-89\n"


def _tree(share: Path) -> dict[str, str]:
    """Files on the share's disk: rel path → text. Permissions set by the caller."""
    files = {
        "Отдел кадров/2024/анкета Иванова.txt": PD_TEXT.format(snils=snils(112233445)),
        "Отдел кадров/2024/архив/старое/приказ.txt": "Приказ о назначении. "
        + PD_TEXT.format(snils=snils(123456789)),
        "Бухгалтерия/зарплата.txt": PD_TEXT.format(snils=snils(987654321)),
        "public/readme.txt": "Общая папка отдела, без персональных данных.\n",
        "perm/0600.txt": "только владелец\n",
        "perm/0644.txt": PD_TEXT.format(snils=snils(111222333)),
        "perm/group.txt": "только группа adm\n",
        "perm/posix_acl.txt": "владелец и bin по POSIX ACL\n",
        "perm/nt_acl.txt": "NT ACL, записанный smbcacls\n",
        "perm/inherit_only.txt": "ACE только для наследования\n",
    }
    for rel, text in files.items():
        p = share / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        p.chmod(0o644)
    (share / "perm/0600.txt").chmod(0o600)
    os.chown(share / "perm/group.txt", 0, ADM_GID)
    (share / "perm/group.txt").chmod(0o640)
    (share / "perm/posix_acl.txt").chmod(0o600)
    subprocess.run(["setfacl", "-m", f"u:{BIN_UID}:r", str(share / "perm/posix_acl.txt")], check=True)
    return files


@pytest.fixture(scope="module")
def server():
    with running_samba("pdscan-samba-") as srv:
        srv.files = _tree(srv.share_dir)
        srv.add_user("daemon", "Daemon-pass-2")
        yield srv


@pytest.fixture
def creds(server, monkeypatch, tmp_path):
    empty = tmp_path / "smb.ini"
    empty.write_text("")
    empty.chmod(0o600)
    monkeypatch.setenv("PDSCAN_SMB_CONFIG", str(empty))
    monkeypatch.setenv("PDSCAN_SMB_USER", server.user)
    monkeypatch.setenv("PDSCAN_SMB_PASSWORD", server.password)
    monkeypatch.delenv("PDSCAN_SMB_DOMAIN", raising=False)
    smb.reset_sessions()
    yield server
    smb.reset_sessions()


def _refs(root: str, threads: int = smb.SD_THREADS) -> tuple[dict, list[WalkError]]:
    refs, errors = {}, []
    for item in smb.walk(root, threads=threads):
        if isinstance(item, WalkError):
            errors.append(item)
        else:
            refs[item.rel] = item
    return refs, errors


def _names(ref) -> set[str]:
    return {r.name for r in ref.readers}


def test_walk_finds_every_file_with_cyrillic_names_and_stat(creds):
    refs, errors = _refs(creds.url)
    assert errors == []
    assert set(refs) == set(creds.files)
    ref = refs["Отдел кадров/2024/архив/старое/приказ.txt"]
    local = os.stat(creds.share_dir / ref.rel)
    assert ref.source == "smb"
    assert ref.path == f"{creds.url}/Отдел кадров/2024/архив/старое/приказ.txt"
    assert ref.root == creds.url
    assert ref.size == local.st_size
    assert abs(ref.mtime - local.st_mtime) < 1e-3
    assert ref.inode == local.st_ino  # Samba's file id is the inode: incremental keys stay stable


def test_parallel_acl_queries_give_the_same_refs(creds):
    one, _ = _refs(creds.url, threads=1)
    parallel, errors = _refs(creds.url, threads=4)
    assert errors == []
    assert parallel == one


@pytest.mark.skipif(shutil.which("smbstatus") is None, reason="нет smbstatus (пакет samba)")
def test_parallel_connections_are_served_by_separate_smbd_processes(creds):
    # One client GUID for all connections would make Samba hand each new connection over to the
    # process already serving that GUID: one process, requests one at a time, and the hand-over
    # is where a SESSION_SETUP reply was lost under load.
    _refs(creds.url, threads=4)
    out = subprocess.run(
        ["smbstatus", "-s", str(creds.conf), "-b"], capture_output=True, text=True, timeout=60
    ).stdout
    pids = {line.split()[0] for line in out.splitlines() if "ipv4:127.0.0.1" in line}
    assert len(pids) >= 5  # the walker's connection and the 4 query threads' ones


def test_walk_a_subfolder_root_gives_paths_relative_to_it(creds):
    root = f"{creds.url}/Отдел кадров"
    refs, errors = _refs(root)
    assert errors == []
    assert set(refs) == {"2024/анкета Иванова.txt", "2024/архив/старое/приказ.txt"}
    assert refs["2024/анкета Иванова.txt"].path == f"{creds.url}/Отдел кадров/2024/анкета Иванова.txt"


def test_read_bytes_reads_content_and_respects_the_limit(creds):
    refs, _ = _refs(creds.url)
    ref = refs["Бухгалтерия/зарплата.txt"]
    expected = (creds.share_dir / ref.rel).read_bytes()
    assert smb.read_bytes(ref, 1 << 20) == expected
    assert smb.read_bytes(ref, 10) == expected[:11]  # limit + 1: the caller sees it is over


def test_big_file_is_streamed_and_cut_at_the_limit(creds):
    big = creds.share_dir / "big" / "большой.txt"
    big.parent.mkdir(exist_ok=True)
    payload = os.urandom(3 * 1024 * 1024 + 17)
    big.write_bytes(payload)
    try:
        refs, _ = _refs(f"{creds.url}/big")
        ref = refs["большой.txt"]
        assert ref.size == len(payload)
        assert smb.read_bytes(ref, 8 * 1024 * 1024) == payload
        assert smb.read_bytes(ref, 1024 * 1024) == payload[: 1024 * 1024 + 1]
    finally:
        shutil.rmtree(big.parent)


def test_read_does_not_change_the_file(creds):
    refs, _ = _refs(creds.url)
    ref = refs["perm/0644.txt"]
    p = creds.share_dir / ref.rel
    before = p.stat()
    smb.read_bytes(ref, 1 << 20)
    after = p.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (
        before.st_mtime_ns,
        before.st_size,
        before.st_mode,
    )


def test_readers_from_posix_modes(creds):
    refs, _ = _refs(creds.url)
    # root has an SMB password, so Samba gives it a SID in its own SAM; LSA names it.
    assert refs["perm/0600.txt"].owner == "PDSCANTEST\\root"
    assert _names(refs["perm/0600.txt"]) == {"PDSCANTEST\\root"}
    assert "Everyone" in _names(refs["perm/0644.txt"])
    group = refs["perm/group.txt"]
    assert group.group == "adm" and group.gid == ADM_GID  # S-1-22-2-4, "Unix Group\\adm" by LSA
    assert _names(group) == {"PDSCANTEST\\root", "adm"}  # no Everyone for a 0640 file
    assert {(r.kind, r.name) for r in group.readers} == {("owner", "PDSCANTEST\\root"), ("group", "adm")}
    assert ("other", "Everyone") in {(r.kind, r.name) for r in refs["perm/0644.txt"].readers}
    acl = refs["perm/posix_acl.txt"]
    assert _names(acl) == {"PDSCANTEST\\root", "bin"}  # S-1-22-1-2 from the POSIX ACL entry
    assert {(r.kind, r.name, r.detail) for r in acl.readers} == {
        ("owner", "PDSCANTEST\\root", "ALLOW READ"),
        ("sid", "bin", "ALLOW READ"),
    }


def test_listing_only_walk_and_access_later(creds):
    full, _ = _refs(f"{creds.url}/perm")
    bare = {r.rel: r for r in smb.walk(f"{creds.url}/perm", acl=False)}
    assert set(bare) == set(full)
    assert bare["0644.txt"].readers == () and bare["0644.txt"].owner == ""
    assert smb.file_access(bare["0644.txt"]) == full["0644.txt"]


def test_poller_sees_changes_new_and_deleted_files(creds):
    folder = creds.share_dir / "watched"
    folder.mkdir()
    try:
        (folder / "a.txt").write_text("раз")
        (folder / "b.txt").write_text("два")
        poller = smb.SmbPoller(f"{creds.url}/watched")
        assert poller.poll() == ([], [])  # the first pass takes the snapshot
        assert poller.poll() == ([], [])  # nothing changed
        (folder / "a.txt").write_text("раз, изменён")
        (folder / "c.txt").write_text("три")
        (folder / "b.txt").unlink()
        changed, gone = poller.poll()
        assert sorted(r.rel for r in changed) == ["a.txt", "c.txt"]
        assert all(r.readers for r in changed)  # changed files come with their ACL
        assert gone == [f"{creds.url}/watched/b.txt"]
    finally:
        shutil.rmtree(folder)


def test_poller_keeps_state_while_the_host_is_down(creds, monkeypatch):
    folder = creds.share_dir / "watched2"
    folder.mkdir()
    try:
        (folder / "a.txt").write_text("раз")
        poller = smb.SmbPoller(f"{creds.url}/watched2")
        poller.poll()
        monkeypatch.setenv("PDSCAN_SMB_PASSWORD", "wrong")
        smb.reset_sessions()
        changed, gone = poller.poll()
        assert gone == [] and len(changed) == 1 and isinstance(changed[0], WalkError)
        monkeypatch.setenv("PDSCAN_SMB_PASSWORD", creds.password)
        smb.reset_sessions()
        assert poller.poll() == ([], [])
    finally:
        shutil.rmtree(folder)


def test_unresolvable_sids_stay_sids(creds):
    names = smb.SidNames(creds.host, smb._session(creds.host, creds.port))
    known = names.resolve(["S-1-5-21-1-2-3-4444", f"S-1-22-1-{BIN_UID}"])
    assert known["S-1-5-21-1-2-3-4444"] == "S-1-5-21-1-2-3-4444"
    assert known[f"S-1-22-1-{BIN_UID}"] == "bin"


FULL, READ_RX, READ_R = 0x001F01FF, 0x001200A9, 0x00120089  # smbcacls FULL, READ, R


@pytest.mark.parametrize("writer", ["smbcacls", "smb2-set-info"])
def test_nt_acl(creds, writer):
    if writer == "smbcacls" and not creds.smbcacls_ok:
        pytest.skip("smbcacls подключается только к порту 445, а его занял другой SMB-сервер на этой машине")
    for rel in ("perm/nt_acl.txt", "perm/inherit_only.txt"):  # fresh files: no ACL left from a run before
        p = creds.share_dir / rel
        text = p.read_text(encoding="utf-8")
        p.unlink()
        p.write_text(text, encoding="utf-8")
        p.chmod(0o644)  # Everyone could read it unless the NT ACL below takes effect
    aces = [
        ("S-1-22-1-0", "ALLOWED", 0, FULL),
        (f"S-1-22-1-{BIN_UID}", "DENIED", 0, READ_R),
        ("S-1-5-11", "ALLOWED", 0, READ_RX),
        (f"S-1-22-1-{BIN_UID}", "ALLOWED", 0, READ_RX),  # after its deny: still no read
        ("S-1-5-21-1-2-3-513", "ALLOWED", 0, 0x00000001),  # FILE_READ_DATA alone
        ("S-1-5-32-544", "ALLOWED", 0, 0x00100000),  # SYNCHRONIZE only: not a reader
    ]
    assert creds.set_nt_acl("perm/nt_acl.txt", "S-1-22-1-0", "S-1-22-2-0", aces, writer) == writer
    inherit_only = [("S-1-22-1-0", "ALLOWED", 0, FULL), ("S-1-1-0", "ALLOWED", 0x8, READ_RX)]
    creds.set_nt_acl("perm/inherit_only.txt", "S-1-22-1-0", "S-1-22-2-0", inherit_only, writer)
    refs, errors = _refs(f"{creds.url}/perm")
    assert errors == []
    nt = refs["nt_acl.txt"]
    assert nt.owner == "root" and nt.uid == 0  # S-1-22-1-0: "Unix User\\root"
    assert _names(nt) == {"root", "NT AUTHORITY\\Authenticated Users", "Domain Users"}
    # an inherit-only ACE is for children, not for the file itself
    assert _names(refs["inherit_only.txt"]) == {"root"}

    # The policy: Authenticated Users and Domain Users reading personal data is excessive access,
    # even when the allowed lists name the file's own owner.
    kinds = {r.name: r.kind for r in nt.readers}
    assert kinds == {"root": "owner", "NT AUTHORITY\\Authenticated Users": "other", "Domain Users": "other"}
    # Listing them does not allow them: they are everyone, not a group of employees.
    text = "version: 1\naccess:\n  allowed_users: [root]\n  allowed_groups: [buh, Domain Users]\n"
    policy = parse_policy(text)
    finding = Finding("RU_SNILS", "f" * 64, "*******4595", 1.0, "line 1")
    violations = policy.evaluate(FileResult(ref=nt, findings=[finding]), dt.date(2026, 1, 1))
    excessive = [v for v in violations if v.rule == "excessive_access"]
    assert len(excessive) == 1
    flagged = {r["name"] for r in excessive[0].details["readers"]}
    assert flagged == {"NT AUTHORITY\\Authenticated Users", "Domain Users"}


def test_sid_names_from_config(creds, tmp_path, monkeypatch):
    cfg = tmp_path / "named.ini"
    cfg.write_text(f"[sids]\nS-1-22-2-{ADM_GID} = buh\n")
    cfg.chmod(0o600)
    monkeypatch.setenv("PDSCAN_SMB_CONFIG", str(cfg))
    refs, _ = _refs(f"{creds.url}/perm/group.txt")
    assert list(refs) == ["group.txt"]
    assert refs["group.txt"].root == f"{creds.url}/perm"  # a file root: its folder, as for local files
    assert refs["group.txt"].group == "buh"
    assert "buh" in _names(refs["group.txt"])


def test_host_down_is_one_error_and_others_continue(creds):
    dead = "smb://127.0.0.1:9/share"  # discard port: nothing listens there
    items = list(smb.walk_many([dead, f"{creds.url}/public"], parallel=2))
    errors = [i for i in items if isinstance(i, WalkError)]
    files = [i for i in items if not isinstance(i, WalkError)]
    assert len(errors) == 1 and errors[0].path == dead
    assert "недоступен" in errors[0].error
    assert [f.rel for f in files] == ["readme.txt"]


def test_host_going_down_mid_scan_fails_each_file_fast(creds, monkeypatch):
    with running_samba("pdscan-samba-down-") as other:
        for i in range(20):
            (other.share_dir / f"f{i:02d}.txt").write_text(f"файл {i}")
        monkeypatch.setenv("PDSCAN_SMB_PASSWORD", other.password)
        refs, errors = _refs(other.url)
        assert len(refs) == 20 and errors == []
        assert smb.read_bytes(refs["f00.txt"], 1 << 20) == "файл 0".encode()
        other.stop()  # the PC is switched off
        messages = []
        started = time.monotonic()
        for rel in sorted(refs)[1:]:
            with pytest.raises(OSError) as e:
                smb.read_bytes(refs[rel], 1 << 20)
            messages.append(e.value.strerror)
        assert time.monotonic() - started < 5  # one failed connect, then fast failures
        assert "недоступен" in messages[-1]


def test_wrong_password_is_an_error_record(creds, monkeypatch):
    monkeypatch.setenv("PDSCAN_SMB_PASSWORD", "wrong")
    smb.reset_sessions()
    items = list(smb.walk(creds.url))
    assert len(items) == 1 and isinstance(items[0], WalkError)
    assert "неверное имя пользователя или пароль" in items[0].error


def test_missing_share_is_an_error_record(creds):
    items = list(smb.walk(f"smb://{creds.host}:{creds.port}/nosuchshare"))
    assert len(items) == 1 and isinstance(items[0], WalkError)
    assert "общая папка «nosuchshare» не найдена" in items[0].error


def test_access_denied_file_for_another_user(creds, monkeypatch):
    refs, _ = _refs(creds.url)  # as root
    monkeypatch.setenv("PDSCAN_SMB_USER", "daemon")
    monkeypatch.setenv("PDSCAN_SMB_PASSWORD", "Daemon-pass-2")
    smb.reset_sessions()
    with pytest.raises(PermissionError):
        smb.read_bytes(refs["perm/0600.txt"], 1 << 20)
    with pytest.raises(PermissionError):
        smb.read_bytes(refs["perm/posix_acl.txt"], 1 << 20)  # the ACL names bin, not daemon
    assert smb.read_bytes(refs["public/readme.txt"], 1 << 20).startswith("Общая".encode())


def test_hosts_file(tmp_path):
    hosts = tmp_path / "hosts.txt"
    hosts.write_text(
        "# ПК бухгалтерии\n"
        "pc-buh-01\n"
        "pc-buh-02\tD$\\Документы\\   # диск D, через табуляцию и с обратными косыми\n"
        "\n"
        "fs01:4450 share/Отдел кадров\n"
        "smb://fs02/hr/2024\n",
        encoding="utf-8",
    )
    assert smb.roots_from_hosts_file(str(hosts)) == [
        "smb://pc-buh-01/C$/Users",
        "smb://pc-buh-02/D$/Документы",
        "smb://fs01:4450/share/Отдел кадров",
        "smb://fs02/hr/2024",
    ]
    bad = tmp_path / "bad.txt"
    bad.write_text("ok-host\nsmb://\n")
    with pytest.raises(smb.SmbError, match="строка 2"):
        smb.roots_from_hosts_file(str(bad))


def _run_cli(pdscan_cmd, args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PDSCAN_SMB")}
    env.update(env_extra)
    r = subprocess.run(pdscan_cmd + args, capture_output=True, text=True, env=env, cwd=cwd, timeout=240)
    records = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    return r, records


def test_cli_hosts_file_policy_and_incremental(server, pdscan_cmd, tmp_path):
    cfg = tmp_path / "smb.ini"
    cfg.write_text(f"[default]\nuser = {server.user}\npassword = {server.password}\n", encoding="utf-8")
    cfg.chmod(0o600)
    hosts = tmp_path / "hosts.txt"
    hosts.write_text(f"127.0.0.1:9 share\n{server.host}:{server.port} share/Бухгалтерия\n{server.url}/perm\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\naccess:\n  allowed_groups: [buh]\n  allow_owner: true\n", encoding="utf-8")
    db = tmp_path / "pdscan.db"
    args = ["scan", "--hosts-file", str(hosts), "--smb-config", str(cfg), "--policy", str(policy)]
    args += ["--format", "jsonl", "--ner", "off", "--no-ocr", "-j", "2", "--db", str(db), "-q"]
    r, records = _run_cli(pdscan_cmd, args, {}, tmp_path)
    assert r.returncode == 1, r.stderr
    errors = [x for x in records if x["type"] == "error"]
    assert [e["path"] for e in errors] == ["smb://127.0.0.1:9/share"]
    found = {x["path"] for x in records if x["type"] == "finding"}
    assert f"{server.url}/Бухгалтерия/зарплата.txt" in found
    assert f"{server.url}/perm/0644.txt" in found
    excessive = {x["path"] for x in records if x["type"] == "violation" and x["rule"] == "excessive_access"}
    assert f"{server.url}/perm/0644.txt" in excessive  # Everyone may read it
    summary = records[-1]
    assert summary["type"] == "summary" and summary["errors"] == 1

    details = next(
        x for x in records if x["type"] == "violation" and x["path"] == f"{server.url}/perm/0644.txt"
    )
    assert details["owner"] == "PDSCANTEST\\root"  # ACLs are read for files with personal data

    # Rescan after a chmod (content and mtime unchanged): no file is read again, but the ACL is
    # read anew, so the excessive access is gone.
    target = server.share_dir / "perm/0644.txt"
    mtime = target.stat().st_mtime_ns
    target.chmod(0o600)
    try:
        assert target.stat().st_mtime_ns == mtime
        r2, records2 = _run_cli(pdscan_cmd, args, {}, tmp_path)
    finally:
        target.chmod(0o644)
    assert r2.returncode in (0, 1), r2.stderr
    assert records2[-1]["files_reused"] == summary["files_seen"] - 1  # all but the dead host's record
    excessive2 = {x["path"] for x in records2 if x["type"] == "violation" and x["rule"] == "excessive_access"}
    assert f"{server.url}/perm/0644.txt" not in excessive2


def test_cli_refuses_world_readable_config(server, pdscan_cmd, tmp_path):
    cfg = tmp_path / "smb.ini"
    cfg.write_text(f"[default]\nuser = {server.user}\npassword = {server.password}\n")
    cfg.chmod(0o644)
    r, _ = _run_cli(pdscan_cmd, ["scan", server.url, "--smb-config", str(cfg), "--no-store"], {}, tmp_path)
    assert r.returncode == 2
    assert "chmod 600" in r.stderr


def test_cli_without_credentials_is_a_clear_usage_error(server, pdscan_cmd, tmp_path):
    env = {"PDSCAN_SMB_CONFIG": ""}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "noconfig")
    r, _ = _run_cli(pdscan_cmd, ["scan", server.url, "--no-store"], env, tmp_path)
    assert r.returncode == 2
    assert "PDSCAN_SMB_USER" in r.stderr


def test_env_credentials_are_used_by_worker_processes(server, pdscan_cmd, tmp_path):
    env = {"PDSCAN_SMB_USER": server.user, "PDSCAN_SMB_PASSWORD": server.password}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "noconfig")
    args = [
        "scan",
        f"{server.url}/Отдел кадров",
        "--format",
        "jsonl",
        "--ner",
        "off",
        "--no-ocr",
        "-j",
        "2",
        "--no-store",
    ]
    r, records = _run_cli(pdscan_cmd, args, env, tmp_path)
    assert r.returncode == 1, r.stderr
    paths = {x["path"] for x in records if x["type"] == "finding"}
    assert paths == {
        f"{server.url}/Отдел кадров/2024/анкета Иванова.txt",
        f"{server.url}/Отдел кадров/2024/архив/старое/приказ.txt",
    }
    assert records[-1]["errors"] == 0


class _Proxy:
    """A TCP proxy to the Samba server that can stop forwarding: responses vanish, the sockets stay
    open (no RST, no FIN), as when a PC is switched off mid-scan or a response is lost."""

    def __init__(self, port: int):
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()
        self.socks: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.socks += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                if not self.frozen.is_set():  # frozen: read and drop, so nothing ever answers
                    dst.sendall(data)
        except OSError:
            pass

    def close(self) -> None:
        self.listener.close()
        for s in self.socks:
            s.close()


@pytest.fixture
def lossy(creds, monkeypatch):
    """Samba behind a proxy that loses every response once frozen; 2 s deadlines."""
    for d in range(4):
        for i in range(4):
            p = creds.share_dir / "lossy" / f"d{d}" / f"f{i}.txt"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"файл {d}-{i}")
    monkeypatch.setenv("PDSCAN_SMB_TIMEOUT", "2")
    monkeypatch.setattr(smb, "CONNECT_TIMEOUT", 2)
    monkeypatch.setattr(smb, "LOGOFF_TIMEOUT", 1)
    proxy = _Proxy(creds.port)
    try:
        yield proxy, f"smb://127.0.0.1:{proxy.port}/share/lossy"
    finally:
        proxy.frozen.set()
        started = time.monotonic()
        smb.reset_sessions()  # LOGOFF unanswered on every connection: one short deadline for all
        assert time.monotonic() - started < smb.LOGOFF_TIMEOUT + 2
        proxy.close()
        shutil.rmtree(creds.share_dir / "lossy")


def _bounded(fn, bound: float) -> dict:
    """Run fn in a thread: {"value": ...} or {"error": ...}; still waiting after `bound` s fails the test."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 — handed to the test
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(bound)
    assert not t.is_alive(), f"SMB source still waiting after {bound} s"
    return box


def test_lost_responses_mid_walk_end_in_error_records_not_a_hang(lossy):
    proxy, root = lossy
    it = smb.walk(root, threads=4)
    first = next(it)  # the first folder listed and its ACLs read, over parallel connections
    assert not isinstance(first, WalkError) and first.readers
    proxy.frozen.set()  # from now on no response comes back
    started = time.monotonic()
    rest = _bounded(lambda: list(it), 30)["value"]
    took = time.monotonic() - started
    files = [first] + [i for i in rest if not isinstance(i, WalkError)]
    errors = [i for i in rest if isinstance(i, WalkError)]
    assert [f.rel for f in files] == [f"d0/f{i}.txt" for i in range(4)]  # listed before the loss
    # every folder not yet listed is an error record: the first waits out the deadline,
    # its reconnect the connect timeout, the rest fail fast as the host is down
    assert [e.path for e in errors] == [f"{root}/d{d}" for d in (1, 2, 3)]
    assert "нет ответа от сервера SMB за 2 с" in errors[0].error
    assert all("недоступен" in e.error for e in errors[1:])
    assert took < 10


def test_lost_responses_on_read_and_acl_query_are_errors_within_the_deadline(lossy):
    proxy, root = lossy
    refs = [i for i in smb.walk(f"{root}/d1", acl=False)]
    assert len(refs) == 4 and not any(isinstance(r, WalkError) for r in refs)
    assert smb.read_bytes(refs[0], 1 << 20) == "файл 1-0".encode()
    proxy.frozen.set()
    started = time.monotonic()
    error = _bounded(lambda: smb.read_bytes(refs[1], 1 << 20), 15)["error"]
    assert isinstance(error, OSError) and "нет ответа от сервера SMB за 2 с" in error.strerror
    # the next file reconnects: NEGOTIATE unanswered, so the host is marked down
    ref, why = _bounded(lambda: smb.with_access(refs[2]), 15)["value"]
    assert ref.readers == () and "недоступен" in why
    error = _bounded(lambda: smb.read_bytes(refs[3], 8 * 1024 * 1024), 15)["error"]
    assert isinstance(error, OSError) and "недоступен" in error.strerror  # fast: the host is down
    assert time.monotonic() - started < 8
