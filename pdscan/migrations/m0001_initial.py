"""Initial schema: scans, the current state of files and their findings, and per-scan changes.

The store keeps the *current* state (files, findings, violations, errors) plus a per-scan log
of what changed (changes) and each scan's summary (scans). No raw personal data anywhere:
findings hold keyed fingerprints and masked values only.
"""

SQL = """
CREATE TABLE scans (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,          -- ISO 8601, UTC
    finished_at     TEXT,
    status          TEXT NOT NULL,          -- running | complete | interrupted
    roots           TEXT NOT NULL,          -- JSON list, as given on the command line
    roots_key       TEXT NOT NULL,          -- sorted, normalised JSON list: "the same roots"
    baseline_id     INTEGER,                -- previous complete scan of the same roots (diff base)
    kind            TEXT NOT NULL DEFAULT 'scan',  -- scan | watch
    as_of           TEXT,
    detector_version TEXT,
    policy_version  TEXT,
    full            INTEGER NOT NULL DEFAULT 0,
    pid             INTEGER,
    host            TEXT,
    summary         TEXT,                   -- JSON: Summary.to_dict()
    new_count       INTEGER NOT NULL DEFAULT 0,
    changed_count   INTEGER NOT NULL DEFAULT 0,
    resolved_count  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scans_roots ON scans (roots_key, status, id);

CREATE TABLE files (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL UNIQUE,   -- as found under root (os.fsdecode form)
    root            TEXT NOT NULL,          -- '' for a place the walk could not enter
    rel             TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT 'local',
    size            INTEGER NOT NULL DEFAULT 0,
    mtime           REAL NOT NULL DEFAULT 0,
    inode           INTEGER NOT NULL DEFAULT 0,
    dev             INTEGER NOT NULL DEFAULT 0,
    uid             INTEGER,
    gid             INTEGER,
    owner           TEXT,
    grp             TEXT,
    mode            INTEGER,
    readers         TEXT,                   -- JSON [[kind, name, detail], ...] from the walk
    content_type    TEXT,
    skipped         TEXT,                   -- empty | no_text | NULL
    persons         INTEGER NOT NULL DEFAULT 0,
    bytes_read      INTEGER NOT NULL DEFAULT 0,   -- at the last read
    has_pd          INTEGER NOT NULL DEFAULT 0,   -- holds personal data (not an address alone)
    n_findings      INTEGER NOT NULL DEFAULT 0,
    has_errors      INTEGER NOT NULL DEFAULT 0,
    detector_version TEXT,
    policy_version  TEXT,
    first_seen_scan INTEGER,
    last_seen_scan  INTEGER,                -- last scan that walked past it
    last_read_scan  INTEGER,                -- last scan that read its content
    last_read_at    TEXT,
    gone            INTEGER NOT NULL DEFAULT 0,
    gone_scan       INTEGER,
    gone_at         TEXT
);
CREATE INDEX files_root ON files (root);
CREATE INDEX files_pd ON files (gone, has_pd);

-- One distinct value of one entity in one file or archive member (member '' = the file itself).
CREATE TABLE findings (
    id              INTEGER PRIMARY KEY,
    file_id         INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    member          TEXT NOT NULL DEFAULT '',
    entity          TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    masked          TEXT NOT NULL,
    count           INTEGER NOT NULL DEFAULT 1,
    score           REAL NOT NULL DEFAULT 0,
    location        TEXT NOT NULL DEFAULT '',
    first_seen_scan INTEGER NOT NULL,
    last_seen_scan  INTEGER NOT NULL,
    UNIQUE (file_id, member, entity, fingerprint)
);
CREATE INDEX findings_fp ON findings (fingerprint);
CREATE INDEX findings_entity ON findings (entity);

-- Policy violations as evaluated by the last scan that saw the file (re-evaluated every scan).
CREATE TABLE violations (
    id              INTEGER PRIMARY KEY,
    file_id         INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    rule            TEXT NOT NULL,
    clause          TEXT NOT NULL DEFAULT '',
    deadline        TEXT,                   -- retention deadline (ISO date) when the policy gives one
    details         TEXT NOT NULL DEFAULT '{}',   -- JSON, as in the JSONL violation record
    first_seen_scan INTEGER NOT NULL,
    last_seen_scan  INTEGER NOT NULL,
    UNIQUE (file_id, rule)
);
CREATE INDEX violations_rule ON violations (rule);

CREATE TABLE errors (
    id              INTEGER PRIMARY KEY,
    file_id         INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    message         TEXT NOT NULL,
    first_seen_scan INTEGER NOT NULL
);
CREATE INDEX errors_file ON errors (file_id);

-- What each scan found new, changed or resolved against its baseline (the diff).
-- item = finding | violation; for a violation `entity` holds the rule and fingerprint is ''.
CREATE TABLE changes (
    id              INTEGER PRIMARY KEY,
    scan_id         INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,          -- new | changed | resolved
    item            TEXT NOT NULL,          -- finding | violation
    path            TEXT NOT NULL,
    member          TEXT NOT NULL DEFAULT '',
    entity          TEXT NOT NULL,
    fingerprint     TEXT NOT NULL DEFAULT '',
    masked          TEXT NOT NULL DEFAULT '',
    count           INTEGER,
    clause          TEXT NOT NULL DEFAULT '',
    details         TEXT NOT NULL DEFAULT '{}',
    reason          TEXT NOT NULL DEFAULT '',   -- for resolved: removed | gone; for changed: what
    first_seen_scan INTEGER,
    UNIQUE (scan_id, item, path, member, entity, fingerprint)
);
CREATE INDEX changes_scan ON changes (scan_id, kind);

-- Triage marks (issue 6). target: a fingerprint, '*' for the whole file, 'rule:<rule>' for a
-- violation. state: false_positive | accepted | remediated. false_positive and accepted hide
-- the item: it is not counted or logged as new again.
CREATE TABLE triage (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL,
    target          TEXT NOT NULL,
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    UNIQUE (path, target)
);
"""
