"""Who can read a file: mode bits, owner/group names, POSIX ACLs (setfacl), judged against the policy."""

from __future__ import annotations

import datetime as dt
import grp
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import pytest

from pdscan.access import acl_readers, file_readers, posix_readers
from pdscan.model import FileRef, FileResult, Finding, Reader
from pdscan.policy import AccessRule, parse_policy
from pdscan.sources import walk_local

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name
IS_ROOT = os.geteuid() == 0


def foreign_user() -> str:
    """A named account that is not the current user (nobody exists on every Debian)."""
    for name in ("nobody", "daemon", "bin"):
        try:
            if pwd.getpwnam(name).pw_uid != os.getuid():
                return name
        except KeyError:
            continue
    pytest.skip("no foreign user account")


def policy(users: list[str], groups: list[str], allow_owner: bool = False) -> str:
    return (
        "version: 1\naccess:\n"
        f"  allowed_users: {users!r}\n  allowed_groups: {groups!r}\n  allow_owner: {str(allow_owner).lower()}\n"
    ).replace("'", '"')


def ref_for(path: Path) -> FileRef:
    [ref] = [r for r in walk_local([str(path)]) if isinstance(r, FileRef)]
    return ref


def violation(text: str, path: Path):
    result = FileResult(ref=ref_for(path), findings=[Finding("RU_SNILS", "f" * 64, "***", 0.9, "line 1")])
    vs = parse_policy(text).evaluate(result, dt.date(2026, 6, 1))
    assert all(v.rule == "excessive_access" for v in vs)
    return vs[0] if vs else None


@pytest.fixture
def pd_file(tmp_path: Path) -> Path:
    p = tmp_path / "Кадры" / "карточка.txt"
    p.parent.mkdir()
    p.write_text("СНИЛС 112-233-445 95\n", encoding="utf-8")
    return p


def has_acl_support(path: Path) -> bool:
    if not shutil.which("setfacl"):
        return False
    r = subprocess.run(["setfacl", "-m", f"u:{foreign_user()}:r", str(path)], capture_output=True)
    return r.returncode == 0


def test_0600_only_the_owner_reads(pd_file):
    os.chmod(pd_file, 0o600)
    assert posix_readers(os.stat(pd_file)) == (Reader("owner", ME, "rw-"),)
    assert violation(policy([ME], []), pd_file) is None
    v = violation(policy(["someone-else"], [MY_GROUP]), pd_file)
    assert v is not None and v.clause == "п. 4.3"
    assert v.details["readers"] == [{"kind": "owner", "name": ME, "rights": "rw-"}]
    assert v.details["mode"] == "0600"


def test_allow_owner_admits_the_owner(pd_file):
    os.chmod(pd_file, 0o600)
    assert violation(policy([], [], allow_owner=True), pd_file) is None


def test_0644_everyone_reads(pd_file):
    os.chmod(pd_file, 0o644)
    v = violation(policy([ME], [MY_GROUP]), pd_file)
    assert v is not None
    assert v.details["readers"] == [{"kind": "other", "name": "*", "rights": "r--"}]


def test_0640_with_a_foreign_group(pd_file):
    os.chmod(pd_file, 0o640)
    assert violation(policy([ME], [MY_GROUP]), pd_file) is None  # the group is on the list
    v = violation(policy([ME], ["pdn-kadry"]), pd_file)  # the file's group is not
    assert v is not None
    assert v.details["readers"] == [{"kind": "group", "name": MY_GROUP, "rights": "r--"}]
    assert v.details["group"] == MY_GROUP


def test_acl_entry_granting_a_foreign_user(pd_file):
    os.chmod(pd_file, 0o600)
    if not has_acl_support(pd_file):
        pytest.skip("setfacl missing or no ACL support on this filesystem")
    other = foreign_user()
    readers = acl_readers(str(pd_file))
    assert readers is not None
    assert Reader("acl_user", other, "r--") in readers
    assert Reader("group", MY_GROUP, "---") not in readers  # group::--- reads nothing
    v = violation(policy([ME], [MY_GROUP]), pd_file)
    assert v is not None
    assert v.details["readers"] == [{"kind": "acl_user", "name": other, "rights": "r--"}]
    assert violation(policy([ME, other], [MY_GROUP]), pd_file) is None


def test_acl_mask_limits_named_entries(pd_file):
    os.chmod(pd_file, 0o600)
    if not has_acl_support(pd_file):
        pytest.skip("setfacl missing or no ACL support on this filesystem")
    subprocess.run(["setfacl", "-m", "m::---", str(pd_file)], check=True)
    readers = acl_readers(str(pd_file))
    assert [r.kind for r in readers] == ["owner"]  # the mask takes the named user's read away
    assert violation(policy([ME], []), pd_file) is None


def test_acl_group_entry(pd_file):
    os.chmod(pd_file, 0o600)
    if not shutil.which("setfacl"):
        pytest.skip("setfacl missing")
    r = subprocess.run(["setfacl", "-m", "g:nogroup:r", str(pd_file)], capture_output=True)
    if r.returncode:
        pytest.skip("no ACL support or no nogroup")
    v = violation(policy([ME], [MY_GROUP]), pd_file)
    assert v is not None
    assert v.details["readers"] == [{"kind": "acl_group", "name": "nogroup", "rights": "r--"}]


def test_no_acl_gives_none_and_mode_readers_stand(pd_file):
    os.chmod(pd_file, 0o640)
    assert acl_readers(str(pd_file)) is None
    ref = ref_for(pd_file)
    assert file_readers(ref) == ref.readers


def test_bare_numeric_owner_is_never_allowed():
    rule = AccessRule(allowed_users=frozenset({"1234"}), allowed_groups=frozenset({"555"}), allow_owner=True)
    assert not rule.allowed(Reader("owner", "1234", "rw-"))
    assert not rule.allowed(Reader("group", "555", "r--"))
    assert rule.allowed(Reader("owner", "ivanova", "rw-"))
    assert not rule.allowed(Reader("other", "*", "r--"))


@pytest.mark.skipif(not IS_ROOT, reason="chown needs root")
def test_file_of_a_deleted_account_violates(pd_file):
    unused = next(uid for uid in range(40000, 50000) if _no_user(uid))
    os.chown(pd_file, unused, unused)
    os.chmod(pd_file, 0o600)
    v = violation(policy([str(unused)], [str(unused)], allow_owner=True), pd_file)
    assert v is not None
    assert v.details["owner"] == str(unused)
    assert v.details["readers"] == [{"kind": "owner", "name": str(unused), "rights": "rw-"}]


@pytest.mark.skipif(not IS_ROOT, reason="chown needs root")
def test_root_owned_file_readable_only_by_root(pd_file):
    os.chown(pd_file, 0, 0)
    os.chmod(pd_file, 0o600)
    assert violation(policy(["root"], ["root"]), pd_file) is None


def _no_user(uid: int) -> bool:
    for lookup in (pwd.getpwuid, grp.getgrgid):
        try:
            lookup(uid)
            return False
        except KeyError:
            pass
    return True


def test_smb_readers_are_taken_as_the_source_gave_them():
    ref = FileRef(
        path="smb://fs/share/Кадры/a.docx",
        root="smb://fs/share",
        rel="Кадры/a.docx",
        size=1,
        mtime=1.0,
        readers=(Reader("sid", "MACART\\Kadry", "ALLOW READ"), Reader("sid", "Everyone", "ALLOW READ")),
        source="smb",
    )
    assert file_readers(ref) == ref.readers
    rule = AccessRule(allowed_groups=frozenset({"macart\\kadry"}))
    assert [r.name for r in rule.excessive(ref.readers)] == ["Everyone"]


def test_non_utf8_name_acl_and_patterns(tmp_path):
    raw = os.fsencode(tmp_path) + b"/\xcf\xe0\xf1\xef\xee\xf0\xf2.txt"  # "Паспорт" in cp1251
    with open(raw, "wb") as f:
        f.write("паспорт 0506 123456\n".encode())
    os.chmod(raw, 0o600)
    if not has_acl_support(Path(os.fsdecode(raw))):
        pytest.skip("setfacl missing or no ACL support on this filesystem")
    ref = ref_for(Path(os.fsdecode(raw)))
    assert "\udccf" in ref.path  # surrogate-escaped, round-trips with os.fsencode
    result = FileResult(ref=ref, findings=[Finding("RU_PASSPORT", "f" * 64, "***", 0.9, "line 1")])
    text = 'version: 1\nauthorized_locations: ["*.txt"]\n' + policy([ME], [MY_GROUP]).removeprefix(
        "version: 1\n"
    )
    vs = parse_policy(text).evaluate(result, dt.date(2026, 6, 1))
    assert [(v.rule, v.details["readers"][0]["name"]) for v in vs] == [("excessive_access", foreign_user())]


def test_windows_accounts_match_by_full_or_bare_name():
    """SMB readers come as "DOMAIN\\name": a policy entry without a domain matches any domain's
    account of that name, one with a domain only that domain's; Windows names ignore case."""
    readers = (
        Reader("sid", "MACART\\Kadry", "ALLOW READ"),
        Reader("sid", "FILESRV\\buh", "ALLOW READ"),
        Reader("owner", "MACART\\Ivanova", "OWNER"),
        Reader("group", "MACART\\Domain Admins", "GROUP"),
    )
    bare = AccessRule(
        allowed_users=frozenset({"ivanova", "BUH"}), allowed_groups=frozenset({"kadry", "Domain Admins"})
    )
    assert bare.excessive(readers) == []
    pinned = AccessRule(
        allowed_users=frozenset({"OTHERDOM\\buh", "macart\\ivanova"}),
        allowed_groups=frozenset({"MACART\\kadry", "MACART\\Domain Admins"}),
    )
    assert [r.name for r in pinned.excessive(readers)] == ["FILESRV\\buh"]  # another domain's buh
    # Local names keep their exact spelling: "Ivanova" is not the local user "ivanova".
    local = AccessRule(allowed_users=frozenset({"ivanova"}))
    assert local.excessive((Reader("acl_user", "Ivanova", "r--"),)) == [Reader("acl_user", "Ivanova", "r--")]
