"""Bytes → text. The format is chosen by content (libmagic plus our own signatures), not by name.

Each format family lives in its own module and registers its extractor for one or more
content types with ``@register``. ``extract`` picks the extractor and yields Chunks.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from pdscan.extract.base import (
    EncryptedError,
    ExtractContext,
    ExtractError,
    Extractor,
    LimitExceeded,
    Limits,
    NoText,
)
from pdscan.extract.sniff import sniff
from pdscan.i18n import t
from pdscan.model import Chunk

__all__ = [
    "EncryptedError",
    "ExtractContext",
    "ExtractError",
    "LimitExceeded",
    "Limits",
    "NoText",
    "extract",
    "register",
    "sniff",
]

_REGISTRY: dict[str, Extractor] = {}

# Format modules; each registers its content types on import. Order does not matter.
_MODULES = [
    "pdscan.extract.text",
    "pdscan.extract.office",
    "pdscan.extract.pdf",
    "pdscan.extract.markup",
    "pdscan.extract.legacy",
    "pdscan.extract.odf",
    "pdscan.extract.mail",
    "pdscan.extract.archive",
    "pdscan.extract.image",
]
_loaded = False


def register(*content_types: str):
    def deco(fn: Extractor) -> Extractor:
        for ct in content_types:
            _REGISTRY[ct] = fn
        return fn

    return deco


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for name in _MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:  # a missing dependency inside a module is a real error
                raise
    _loaded = True


def extractor_for(content_type: str) -> Extractor | None:
    _load()
    return _REGISTRY.get(content_type)


def extract(data: bytes, ctx: ExtractContext) -> tuple[str, Iterator[Chunk]]:
    """Return (content type, chunks). Raises NoText for types with no text to read."""
    _load()
    ct = sniff(data, ctx.name)
    fn = _REGISTRY.get(ct)
    if fn is None:
        raise NoText(ct)
    if ctx.nested is None:
        ctx.nested = _nested
    return ct, fn(data, ctx)


def _nested(data: bytes, name: str, parent: ExtractContext) -> Iterator[Chunk]:
    """Extract an inner item (archive member, attachment). A member with no text yields nothing."""
    ctx = parent.child(name)
    if ctx.depth > ctx.limits.max_archive_depth:
        raise LimitExceeded(t("archive_too_deep", n=ctx.limits.max_archive_depth))
    try:
        _, chunks = extract(data, ctx)
    except NoText:
        return
    yield from chunks
