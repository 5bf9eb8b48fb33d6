"""files.meta_key: one integer standing for where and whose a file is (root, rel, owner, group, mode,
device, policy version, SMB readers), so a rescan compares one number per file instead of ten
columns. Rows from before get 0, which never matches: the next scan refreshes them once."""

SQL = """
ALTER TABLE files ADD COLUMN meta_key INTEGER NOT NULL DEFAULT 0;
"""
