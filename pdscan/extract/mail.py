"""Mail: .eml (stdlib email) and Outlook .msg (extract-msg); attachments are read recursively.

Headers (From/To/Cc/Subject) are searched too: they hold names and addresses.
Attachments are named "attachments/<file name>" under the letter, so a finding reads
`letter.eml!/attachments/Паспорт.pdf`.
"""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Iterator
from email.message import EmailMessage

from lxml import html as lxml_html

from pdscan.extract import register
from pdscan.extract.archive import too_deep
from pdscan.extract.base import EncryptedError, ExtractContext, ExtractError, LimitExceeded
from pdscan.i18n import t
from pdscan.model import Chunk

log = logging.getLogger(__name__)
# extract-msg logs what it meets in a letter (attachment names, property values) at WARNING:
# raw personal data must not reach the logs.
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)

_HEADERS = ("From", "To", "Cc", "Bcc", "Reply-To", "Subject")


def html_to_text(markup: str) -> str:
    if not markup.strip():
        return ""
    try:
        doc = lxml_html.fromstring(markup)
    except (ValueError, TypeError, Exception):  # lxml raises ParserError on empty/odd input
        return ""
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    for br in doc.xpath("//br|//p|//div|//tr|//li"):
        br.tail = "\n" + (br.tail or "")
    return doc.text_content()


def _attachment(data: bytes, name: str, ctx: ExtractContext) -> Iterator[Chunk]:
    """One attachment; its failure is a note for it, not the end of the letter (bombs excepted)."""
    assert ctx.nested is not None
    where = f"{ctx.member}!/{name}" if ctx.member else name
    try:
        yield from ctx.nested(data, name, ctx)
    except LimitExceeded:
        raise
    except ExtractError as e:
        ctx.errors.append(f"{where}: {e}")


def _safe_name(name: str, n: int) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or f"attachment-{n}"


# ---------------------------------------------------------------- .eml


def _header_text(msg: EmailMessage) -> str:
    lines = []
    for h in _HEADERS:
        for v in msg.get_all(h, []) or []:
            lines.append(f"{h}: {v}")
    return "\n".join(lines)


def _part_text(part: EmailMessage) -> str:
    try:
        text = part.get_content()
    except (LookupError, ValueError, AssertionError, KeyError):
        raw = part.get_payload(decode=True) or b""
        text = raw.decode("cp1251", errors="replace")
    return text if isinstance(text, str) else ""


@register("message/rfc822")
def extract_eml(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(msg, EmailMessage) or not (msg.keys() or msg.get_payload()):
        raise ExtractError(t("mail_unparsed"))
    yield from _eml_message(msg, ctx)


def _encrypted(msg: EmailMessage) -> bool:
    """S/MIME enveloped data or a PGP/MIME letter: the body cannot be read without a key."""
    ctype = msg.get_content_type()
    if ctype == "multipart/encrypted":
        return True
    if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
        return msg.get_param("smime-type", "enveloped-data") != "signed-data"
    return False


def _eml_message(msg: EmailMessage, ctx: ExtractContext) -> Iterator[Chunk]:
    headers = _header_text(msg)
    if headers:
        yield Chunk(text=headers, location="headers", member=ctx.member)
    if _encrypted(msg):
        # The headers were read; the rest is ciphertext.
        raise EncryptedError(t("mail_encrypted"))
    n = 0
    attachments_too_deep = False
    # walk() descends into attached letters (message/rfc822) too: a forwarded letter's text
    # and attachments are read as part of this one.
    for part in msg.walk():
        ctx.check_deadline()
        if part.is_multipart():
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload()
                inner = inner[0] if isinstance(inner, list) and inner else None
                if isinstance(inner, EmailMessage) and (fwd := _header_text(inner)):
                    yield Chunk(text=fwd, location="forwarded headers", member=ctx.member)
            continue
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition != "attachment" and not filename and ctype in ("text/plain", "text/html"):
            text = _part_text(part)
            if ctype == "text/html":
                text = html_to_text(text)
            if text.strip():
                yield Chunk(text=text, location="body", member=ctx.member)
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        n += 1
        if n == 1 and too_deep(ctx):
            attachments_too_deep = True
        if attachments_too_deep:
            continue
        yield from _attachment(payload, f"attachments/{_safe_name(filename or '', n)}", ctx)


# ---------------------------------------------------------------- .msg


@register("application/vnd.ms-outlook")
def extract_msg_file(data: bytes, ctx: ExtractContext) -> Iterator[Chunk]:
    import extract_msg
    from extract_msg.exceptions import ExMsgBaseException

    try:
        msg = extract_msg.openMsg(data, delayAttachments=False)
    except ExMsgBaseException as e:
        raise ExtractError(t("msg_unparsed", error=type(e).__name__)) from e
    except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
        raise ExtractError(t("msg_corrupt", error=type(e).__name__)) from e
    try:
        yield from _msg_message(msg, ctx)
    finally:
        msg.close()


def _msg_message(msg, ctx: ExtractContext) -> Iterator[Chunk]:
    if getattr(msg, "classType", "").upper().startswith("IPM.NOTE.SMIME"):
        raise EncryptedError(t("mail_smime"))
    lines = []
    for label, attr in (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Subject", "subject")):
        try:
            v = getattr(msg, attr, None)
        except Exception:  # extract-msg computes these lazily; a damaged stream must not stop us
            v = None
        if v:
            lines.append(f"{label}: {v}")
    if lines:
        yield Chunk(text="\n".join(lines), location="headers", member=ctx.member)
    body = ""
    try:
        body = msg.body or ""
        if not body.strip() and msg.htmlBody:
            hb = msg.htmlBody
            body = html_to_text(hb.decode("utf-8", "replace") if isinstance(hb, bytes) else hb)
    except Exception as e:  # a damaged body stream: the attachments may still be readable
        ctx.errors.append(f"{ctx.member or t('a_letter')}: {t('mail_body_unread', error=type(e).__name__)}")
    if body.strip():
        yield Chunk(text=body, location="body", member=ctx.member)
    for n, att in enumerate(getattr(msg, "attachments", []) or [], start=1):
        ctx.check_deadline()
        if n == 1 and too_deep(ctx):
            break
        name = _safe_name(getattr(att, "longFilename", None) or getattr(att, "name", None) or "", n)
        data = getattr(att, "data", None)
        if isinstance(data, bytes | bytearray):
            yield from _attachment(bytes(data), f"attachments/{name}", ctx)
        elif data is not None and hasattr(data, "attachments"):  # an embedded .msg
            sub = ctx.child(f"attachments/{name or f'message-{n}.msg'}")
            yield from _msg_message(data, sub)
