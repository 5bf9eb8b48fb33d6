"""Batch scan: sources → pool of workers (extract + detect) → policy → store → output sinks."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from pdscan.extract import Limits
from pdscan.model import INFO_RULES, FileRef, FileResult
from pdscan.pool import run_pool
from pdscan.sources import WalkError, walk_local
from pdscan.worker import WorkerConfig

# Entities that alone do not make a file personal data (CONVENTIONS: an address or IP alone does not).
NOT_PD_ALONE = frozenset({"LOCATION", "IP_ADDRESS"})


# Below this score a finding is reported but does not make the file personal data by itself:
# a signature line of the organisation's own staff ("Директор ООО «МакАрт» Данейкина О.Н.")
# scores 0.3 (recognizers/names.py, issue 3 item 6).
PD_MIN_SCORE = 0.5


def has_personal_data(result: FileResult) -> bool:
    return any(f.entity not in NOT_PD_ALONE and f.score >= PD_MIN_SCORE for f in result.findings)


@dataclass
class ScanOptions:
    jobs: int = 2
    limits: Limits = field(default_factory=Limits)
    follow_symlinks: bool = False
    ner: str = "fast"
    policy: object | None = None  # pdscan.policy.Policy
    as_of: dt.date = field(default_factory=dt.date.today)
    full: bool = False  # ignore the store's cache and read every file
    smb_hosts: int = 4  # SMB hosts walked at once (--hosts-parallel)
    policy_version: str = ""  # digest of the policy file, kept by the store with each scan


@dataclass
class Summary:
    files_seen: int = 0
    files_scanned: int = 0
    files_skipped: int = 0
    files_with_pd: int = 0
    errors: int = 0
    bytes: int = 0
    seconds: float = 0.0
    persons: int = 0
    findings_by_entity: Counter = field(default_factory=Counter)
    violations_by_rule: Counter = field(default_factory=Counter)
    violations_by_clause: Counter = field(default_factory=Counter)
    new_items: int = 0  # new findings + violations (all of them when there is no store)
    files_reused: int = 0  # unchanged files whose stored findings were reused

    def to_dict(self) -> dict:
        return {
            "type": "summary",
            "files_seen": self.files_seen,
            "files_scanned": self.files_scanned,
            "files_skipped": self.files_skipped,
            "files_with_pd": self.files_with_pd,
            "errors": self.errors,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 3),
            "persons": self.persons,
            "findings_by_entity": dict(sorted(self.findings_by_entity.items())),
            "violations_by_rule": dict(sorted(self.violations_by_rule.items())),
            "violations_by_clause": dict(sorted(self.violations_by_clause.items())),
            "files_reused": self.files_reused,
        }


class ResultStore(Protocol):
    """What the scan needs from the findings store (pdscan.store implements it)."""

    def begin(self, roots: list[str], options: ScanOptions) -> None: ...
    def cached(self, ref: FileRef) -> FileResult | None: ...
    def record(self, result: FileResult) -> int: ...  # returns how many of its items are new
    def finish(self, summary: Summary, complete: bool) -> None: ...


def _walk_errors_to_results(
    items: Iterable[FileRef | WalkError], on_error: Callable[[FileResult], None]
) -> Iterator[FileRef]:
    for item in items:
        if isinstance(item, WalkError):
            ref = FileRef(path=item.path, root="", rel=item.path, size=0, mtime=0.0)
            on_error(FileResult(ref=ref, errors=[item.error]))
        else:
            yield item


def walk_roots(roots: list[str], follow_symlinks: bool, smb_hosts: int = 4) -> Iterator[FileRef | WalkError]:
    local = [r for r in roots if not r.startswith("smb://")]
    remote = [r for r in roots if r.startswith("smb://")]
    # Keep the user's order of roots: a file is reported under the first root that holds it.
    seen: set = set()
    remote_done = False
    for r in roots:
        if r in local:
            yield from walk_local([r], follow_symlinks, seen_dirs=seen)
        elif not remote_done:
            from pdscan.sources import smb

            # SMB hosts are latency-bound: walk up to smb_hosts of them at once. A host that is
            # down or refuses the credentials yields one error record and the others go on.
            # Listing only: ACLs are read later, for files with personal data (see run_scan).
            remote_done = True
            yield from smb.walk_many(remote, parallel=smb_hosts, acl=False)


def run_scan(
    roots: list[str],
    options: ScanOptions,
    emit: Callable[[FileResult], None],
    store: ResultStore | None = None,
    on_progress: Callable[[Summary], None] | None = None,
) -> Summary:
    """Scan the roots; call emit(result) for every file (violations attached); return the summary."""
    started = time.monotonic()
    summary = Summary()
    config = WorkerConfig(limits=options.limits, ner=options.ner)
    if store is not None:
        store.begin(roots, options)

    def finish_result(result: FileResult) -> None:
        summary.files_seen += 1
        if result.ref.source == "smb" and not result.ref.owner and has_personal_data(result):
            # An SMB ACL costs a round trip per file: read only for files with personal data
            # (cached ones too, so an ACL changed on an unchanged file is seen).
            from pdscan.sources import smb

            result.ref, acl_error = smb.with_access(result.ref)
            if acl_error:
                result.errors.append(acl_error)
        if options.policy is not None and has_personal_data(result):
            result.violations = options.policy.evaluate(result, options.as_of)
        if result.skipped:
            summary.files_skipped += 1
        elif not result.errors or result.findings or result.bytes_read:
            summary.files_scanned += 1
        if result.errors:
            summary.errors += 1
        summary.bytes += result.bytes_read
        if has_personal_data(result):
            summary.files_with_pd += 1
            summary.persons += result.persons
        for f in result.findings:
            summary.findings_by_entity[f.entity] += 1
        for v in result.violations:
            summary.violations_by_rule[v.rule] += 1
            if v.rule not in INFO_RULES:
                summary.violations_by_clause[v.clause] += 1
        if store is not None:
            summary.new_items += store.record(result)
        else:
            summary.new_items += len(result.findings) + sum(
                v.rule not in INFO_RULES for v in result.violations
            )
        emit(result)
        if on_progress:
            on_progress(summary)

    def to_read(refs: Iterable[FileRef]) -> Iterator[FileRef]:
        for ref in refs:
            cached = None if (store is None or options.full) else store.cached(ref)
            if cached is not None:
                summary.files_reused += 1
                finish_result(cached)
            else:
                yield ref

    complete = False
    try:
        refs = _walk_errors_to_results(
            walk_roots(roots, options.follow_symlinks, options.smb_hosts), finish_result
        )
        pending = to_read(refs)
        # Start workers (and load the detector) only once a file must be read: a rescan of an
        # unchanged tree then costs a walk and a store lookup per file.
        first = next(pending, None)
        if first is not None:
            for result in run_pool(itertools.chain([first], pending), config, options.jobs):
                finish_result(result)
        complete = True
    finally:
        summary.seconds = time.monotonic() - started
        if store is not None:
            store.finish(summary, complete)
    return summary
