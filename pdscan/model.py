"""The shared vocabulary of pdscan: plain dataclasses that pickle.

Data flows one way: sources yield FileRef, extract yields Chunk, detect yields
Detection (raw, never leaves the worker) which becomes Finding (fingerprint +
masked form), policy yields Violation, and a worker hands back a FileResult.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Reader:
    """Someone who can read a file: a POSIX owner/group/other, an ACL entry or an NT ACE."""

    kind: str  # "owner" | "group" | "other" | "acl_user" | "acl_group" | "sid"
    name: str  # user or group name, numeric id as a string when it has no name, or a SID
    detail: str = ""  # e.g. "r--" or "ALLOW READ"


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file as a source found it. Carries no content."""

    path: str  # as found under root (absolute when root is absolute); os.fsdecode form
    root: str  # the root it was found under
    rel: str  # POSIX path relative to root
    size: int
    mtime: float
    inode: int = 0
    dev: int = 0
    uid: int = -1
    gid: int = -1
    mode: int = 0
    owner: str = ""  # name, or the numeric id as a string when it has none
    group: str = ""
    readers: tuple[Reader, ...] = ()  # who can read it (filled by the source)
    source: str = "local"  # "local" | "smb"


@dataclass(slots=True)
class Chunk:
    """A piece of text and where it came from inside the file."""

    text: str
    location: str  # "line 12", "page 3", "sheet Лист1!B4", "paragraph 7", "row 5"
    member: str | None = None  # inner item of an archive or mail, levels joined by "!/"
    context: str = ""  # extra text that counts as context but is not searched (e.g. a table header)
    # For line-addressed text: the line number of the chunk's first line. The detector then
    # reports "line N" for each hit itself, so big text can go in big chunks.
    line: int = 0


@dataclass(slots=True)
class Detection:
    """A raw hit inside the detector. Holds the raw value: never leaves the worker."""

    entity: str
    start: int
    end: int
    normalized: str
    score: float


@dataclass(slots=True)
class Finding:
    """One distinct value of one entity in one file (or archive member)."""

    entity: str
    fingerprint: str
    masked: str
    score: float
    location: str
    member: str | None = None
    count: int = 1


# Rules that inform rather than accuse: shown and stored, but never counted as a violation (the
# clause totals, "new" items and so the exit code): "expires_soon" warns before a deadline.
INFO_RULES = frozenset({"expires_soon"})


@dataclass(slots=True)
class Violation:
    path: str
    rule: str  # "retention_expired" | "outside_authorized" | "excessive_access" | "expires_soon"
    clause: str  # clause of the Положение, e.g. "п. 3.6.1"
    details: dict = field(default_factory=dict)


@dataclass(slots=True)
class FileResult:
    ref: FileRef
    content_type: str = ""
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # a file read only in part still has findings
    skipped: str | None = None  # reason when nothing was read on purpose (empty, binary)
    bytes_read: int = 0
    persons: int = 0  # distinct people the file concerns
    violations: list[Violation] = field(default_factory=list)
