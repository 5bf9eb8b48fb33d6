"""Ordered schema migrations of the findings store.

MIGRATIONS[i] brings a database from user_version i to i + 1. Never edit a released entry:
append a new module (m0002_....py) and add its SQL to the list, so old stores upgrade in place.
"""

from __future__ import annotations

from pdscan.migrations import m0001_initial, m0002_meta_key

MIGRATIONS: list[str] = [
    m0001_initial.SQL,
    m0002_meta_key.SQL,
]
