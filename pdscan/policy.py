"""The operator's Положение as rules: retention terms, authorized locations, who may read.

A policy is a small YAML file (see `pdscan policy init`). It is validated node by node with the
line numbers yaml.compose keeps, so a typo gives "policy.yaml, строка 7: неизвестный ключ …"
("policy.yaml, line 7: unknown key …" with --lang en)
instead of a traceback. Evaluation runs in the main process, only for files with personal data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import unicodedata
from dataclasses import dataclass, field

import yaml
from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

from pdscan.access import file_readers
from pdscan.i18n import POLICY_NODE_KINDS, pick, t
from pdscan.model import FileRef, FileResult, Reader, Violation

# Clauses of the Положение each check enforces (see docs/polozhenie-pdn.txt).
CLAUSE_RETENTION = "п. 3.6"  # a rule's own clause (п. 3.6.1 …) takes precedence
CLAUSE_AUTHORIZED = "п. 3.10"  # PD are kept in the operator's network and admitted employees' PCs
CLAUSE_ACCESS = "п. 4.3"  # no access for employees without formal admission (list: п. 3.8)

COUNT_FROM = ("next_year", "modified")
DEFAULT_EXPIRES_SOON_DAYS = 30

TOP_KEYS = ("version", "authorized_locations", "retention", "access", "expires_soon_days")
RULE_KEYS = ("name", "match", "years", "count_from", "clause")
ACCESS_KEYS = ("allowed_users", "allowed_groups", "allow_owner", "clause")


class PolicyError(Exception):
    """A policy file that cannot be used; str() is the message (Russian, or English with --lang en)
    with the line number."""


# ---- paths ------------------------------------------------------------------------------------


def _nfc(s: str) -> str:
    # File names written on macOS arrive decomposed (NFD); patterns are typed composed.
    return unicodedata.normalize("NFC", s)


@dataclass(frozen=True)
class PathMatcher:
    """gitignore-style patterns in order; the last one that matches decides (so "!x" excludes).

    A pattern starting with "/" is matched against the absolute path, any other against the path
    relative to the scan root.
    """

    patterns: tuple[str, ...]
    _compiled: tuple[tuple[GitIgnoreSpecPattern, bool], ...] = field(repr=False, compare=False)

    @classmethod
    def compile(cls, patterns: list[str]) -> PathMatcher:
        compiled = []
        for p in patterns:
            body = p[1:] if p.startswith("!") else p
            compiled.append((GitIgnoreSpecPattern(_nfc(p)), body.startswith("/")))
        return cls(tuple(patterns), tuple(compiled))

    def match(self, rel: str, abspath: str) -> str | None:
        """The pattern that puts the path inside, or None when it is outside."""
        decided: str | None = None
        for text, (pat, absolute) in zip(self.patterns, self._compiled, strict=True):
            target = abspath.lstrip("/") if absolute else rel
            if pat.match_file(target) is not None:
                decided = text if pat.include else None
        return decided

    def matches(self, rel: str, abspath: str) -> bool:
        return self.match(rel, abspath) is not None


def ref_paths(ref: FileRef) -> tuple[str, str]:
    """(path relative to the scan root, absolute path) in the form patterns are matched against."""
    rel = _nfc(ref.rel.replace(os.sep, "/"))
    if ref.path.startswith("smb://"):
        absolute = "/" + ref.path[len("smb://") :]  # "/server/share/dir/file"
    else:
        absolute = os.path.abspath(ref.path)
    return rel, _nfc(absolute)


# ---- dates ------------------------------------------------------------------------------------


def local_date(mtime: float) -> dt.date:
    """Calendar date of a timestamp on this machine (TZ applies)."""
    return dt.date.fromtimestamp(mtime)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February into a common year
        return d.replace(year=d.year + years, day=28)


def retention_deadline(modified: dt.date, years: int, count_from: str) -> dt.date:
    """next_year: 1 January of (year + 1 + years) — п. 3.6.2; modified: the date + years."""
    if count_from == "next_year":
        return dt.date(modified.year + 1 + years, 1, 1)
    return add_years(modified, years)


# ---- the policy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRule:
    name: str
    match: PathMatcher
    years: int
    count_from: str = "next_year"
    clause: str = ""
    line: int = 0  # 1-based line in the policy file, for explanations

    def deadline(self, mtime: float) -> dt.date:
        return retention_deadline(local_date(mtime), self.years, self.count_from)


def _listed(name: str, allowed: frozenset[str], windows: bool = False) -> bool:
    """A local name as written. A Windows account (an NT ACE's name, "CORP\\buh") case-insensitively,
    by its full name or, for a policy entry without a domain, by the name after the backslash."""
    if name in allowed:
        return True
    if not windows and "\\" not in name:
        return False
    low = name.casefold()
    bare = low.rpartition("\\")[2]
    return any(n.casefold() == low or ("\\" not in n and n.casefold() == bare) for n in allowed)


@dataclass(frozen=True)
class AccessRule:
    allowed_users: frozenset[str] = frozenset()
    allowed_groups: frozenset[str] = frozenset()
    allow_owner: bool = False  # the file's owner may always read it
    clause: str = CLAUSE_ACCESS

    def allowed(self, reader: Reader) -> bool:
        name = reader.name
        if not name or name.isdigit() or name == "*":
            return False  # a bare numeric id (deleted account) or "everyone" is never allowed
        if reader.kind == "owner":
            return self.allow_owner or _listed(name, self.allowed_users)
        if reader.kind == "acl_user":
            return _listed(name, self.allowed_users)
        if reader.kind in ("group", "acl_group"):
            return _listed(name, self.allowed_groups)
        if reader.kind == "sid":  # NT ACE: a user or a group
            return _listed(name, self.allowed_users | self.allowed_groups, windows=True)
        return False  # "other"

    def excessive(self, readers: tuple[Reader, ...]) -> list[Reader]:
        return [r for r in readers if not self.allowed(r)]  # readers are those who can read


@dataclass
class Policy:
    version: int = 1
    authorized: PathMatcher | None = None
    retention: list[RetentionRule] = field(default_factory=list)
    access: AccessRule | None = None
    expires_soon_days: int = DEFAULT_EXPIRES_SOON_DAYS
    source: str = ""

    def retention_rule(self, rel: str, abspath: str) -> RetentionRule | None:
        """The first rule whose patterns match (order in the file decides)."""
        return next((r for r in self.retention if r.match.matches(rel, abspath)), None)

    def evaluate(self, result: FileResult, as_of: dt.date) -> list[Violation]:
        """Violations of one file; the caller calls it only for files with personal data."""
        ref = result.ref
        rel, absolute = ref_paths(ref)
        out: list[Violation] = []
        rule = self.retention_rule(rel, absolute)
        if rule is not None and ref.mtime:
            out.extend(self._retention(ref, rule, as_of))
        if self.authorized is not None and not self.authorized.matches(rel, absolute):
            out.append(
                Violation(
                    ref.path,
                    "outside_authorized",
                    CLAUSE_AUTHORIZED,
                    {"authorized": list(self.authorized.patterns)},
                )
            )
        if self.access is not None:
            bad = self.access.excessive(file_readers(ref))
            if bad:
                details: dict = {
                    "readers": [{"kind": r.kind, "name": r.name, "rights": r.detail} for r in bad],
                    "owner": ref.owner,
                    "group": ref.group,
                }
                if ref.source == "local" and ref.mode:
                    details["mode"] = f"{ref.mode & 0o7777:04o}"
                out.append(Violation(ref.path, "excessive_access", self.access.clause, details))
        return out

    def _retention(self, ref: FileRef, rule: RetentionRule, as_of: dt.date) -> list[Violation]:
        deadline = rule.deadline(ref.mtime)
        details = {
            "rule_name": rule.name,
            "deadline": deadline.isoformat(),
            "modified": local_date(ref.mtime).isoformat(),
            "years": rule.years,
            "count_from": rule.count_from,
        }
        clause = rule.clause or CLAUSE_RETENTION
        if as_of >= deadline:
            return [Violation(ref.path, "retention_expired", clause, details)]
        days_left = (deadline - as_of).days
        if days_left <= self.expires_soon_days:
            return [Violation(ref.path, "expires_soon", clause, {**details, "days_left": days_left})]
        return []


# ---- loading and validation -------------------------------------------------------------------


class _Checker:
    """Walks the composed YAML nodes; every complaint carries the node's line."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, node: yaml.Node | None, msg: str) -> PolicyError:
        line = node.start_mark.line + 1 if node is not None else 1
        return PolicyError(t("perr_line", name=self.name, line=line, msg=msg))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple]:
        """{key: (key_node, value_node)}; unknown and repeated keys are errors."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, t("perr_not_mapping", what=what, kind=_kind(node)))
        out: dict[str, tuple] = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else None
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                near = t("perr_near", hint=hint[0]) if hint else ""
                msg = t("perr_unknown_key", key=key, what=what, near=near, allowed=", ".join(allowed))
                raise self.fail(k, msg)
            if key in out:
                raise self.fail(k, t("perr_repeated", key=key, what=what))
            out[key] = (k, v)
        return out

    def string(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.fail(node, t("perr_not_string", what=what, kind=_kind(node)))
        if not node.value.strip():
            raise self.fail(node, t("perr_empty_string", what=what))
        return node.value

    def integer(self, node: yaml.Node, what: str) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:int":
            raise self.fail(node, t("perr_not_int", what=what, kind=_kind(node)))
        value = int(yaml.safe_load(node.value))
        if value < 0:
            raise self.fail(node, t("perr_negative", what=what, value=value))
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(node, t("perr_not_bool", what=what, kind=_kind(node)))
        return node.value.lower() in ("true", "yes", "on")

    def strings(self, node: yaml.Node, what: str) -> list[str]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            return [self.string(node, what)]  # a single value is a list of one
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, t("perr_not_list", what=what, kind=_kind(node)))
        return [self.string(item, what) for item in node.value]

    def patterns(self, node: yaml.Node, what: str) -> PathMatcher:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        texts = self.strings(node, what)
        for item, text in zip(items, texts, strict=True):
            self.glob(item, text)
        return PathMatcher.compile(texts)

    def glob(self, node: yaml.Node, text: str) -> None:
        if "\\" in text:
            raise self.fail(node, t("perr_backslash", text=text))
        if "***" in text:
            raise self.fail(node, t("perr_triple_star", text=text))
        if text.count("[") != text.count("]"):
            raise self.fail(node, t("perr_bracket", text=text))
        try:
            pat = GitIgnoreSpecPattern(_nfc(text))
        except Exception as e:  # noqa: BLE001 — pathspec raises its own error types
            raise self.fail(node, t("perr_unparsed", text=text, error=e)) from None
        if pat.include is None:
            raise self.fail(node, t("perr_selects_nothing", text=text))


def _kind(node: yaml.Node | None) -> str:
    if isinstance(node, yaml.MappingNode):
        return pick(POLICY_NODE_KINDS["mapping"])
    if isinstance(node, yaml.SequenceNode):
        return pick(POLICY_NODE_KINDS["sequence"])
    if node is None:
        return pick(POLICY_NODE_KINDS["nothing"])
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "null":
        return pick(POLICY_NODE_KINDS["null"])
    name = pick(POLICY_NODE_KINDS[tag]) if tag in POLICY_NODE_KINDS else tag
    return f"{name} '{node.value}'"


def parse_policy(text: str, name: str = "policy.yaml") -> Policy:
    """Build a Policy from YAML text; PolicyError with the line number on anything wrong."""
    c = _Checker(name)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise PolicyError(
            t("perr_line", name=name, line=line, msg=t("perr_yaml", error=e.problem or e))
        ) from None
    except yaml.YAMLError as e:
        raise PolicyError(f"{name}: {t('perr_yaml', error=e)}") from None
    if root is None:
        raise PolicyError(f"{name}: {t('perr_empty')}")
    top = c.mapping(root, t("perr_in_policy"), TOP_KEYS)
    if "version" not in top:
        raise c.fail(root, t("perr_no_version"))
    vnode = top["version"][1]
    if c.integer(vnode, "version") != 1:
        raise c.fail(vnode, t("perr_version", v=vnode.value))
    policy = Policy(source=name)
    if "authorized_locations" in top:
        policy.authorized = c.patterns(top["authorized_locations"][1], "authorized_locations")
    if "expires_soon_days" in top:
        policy.expires_soon_days = c.integer(top["expires_soon_days"][1], "expires_soon_days")
    if "retention" in top:
        rnode = top["retention"][1]
        if not isinstance(rnode, yaml.SequenceNode):
            raise c.fail(rnode, t("perr_retention_list", kind=_kind(rnode)))
        policy.retention = [_rule(c, item, i) for i, item in enumerate(rnode.value, start=1)]
    if "access" in top:
        policy.access = _access(c, top["access"][1])
    return policy


def _rule(c: _Checker, node: yaml.Node, number: int) -> RetentionRule:
    what = t("perr_in_rule", n=number)
    keys = c.mapping(node, what, RULE_KEYS)
    for required in ("name", "match", "years"):
        if required not in keys:
            raise c.fail(node, t("perr_rule_missing", n=number, key=required))
    count_from = "next_year"
    if "count_from" in keys:
        cnode = keys["count_from"][1]
        count_from = c.string(cnode, "count_from")
        if count_from not in COUNT_FROM:
            raise c.fail(cnode, t("perr_count_from", value=count_from))
    return RetentionRule(
        name=c.string(keys["name"][1], "name"),
        match=c.patterns(keys["match"][1], "match"),
        years=c.integer(keys["years"][1], "years"),
        count_from=count_from,
        clause=c.string(keys["clause"][1], "clause") if "clause" in keys else "",
        line=node.start_mark.line + 1,
    )


def _access(c: _Checker, node: yaml.Node) -> AccessRule:
    keys = c.mapping(node, "access", ACCESS_KEYS)
    return AccessRule(
        allowed_users=frozenset(c.strings(keys["allowed_users"][1], "allowed_users"))
        if "allowed_users" in keys
        else frozenset(),
        allowed_groups=frozenset(c.strings(keys["allowed_groups"][1], "allowed_groups"))
        if "allowed_groups" in keys
        else frozenset(),
        allow_owner=c.boolean(keys["allow_owner"][1], "allow_owner") if "allow_owner" in keys else False,
        clause=c.string(keys["clause"][1], "clause") if "clause" in keys else CLAUSE_ACCESS,
    )


def load_policy(path: str) -> Policy:
    """Read and validate a policy file; PolicyError (in the user's language, with the line) on any problem."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: {t('perr_encoding')}") from None
    except OSError as e:
        raise PolicyError(f"{path}: {t('perr_unreadable', error=e.strerror or e)}") from None
    return parse_policy(text, path)
