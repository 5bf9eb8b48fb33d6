"""SID → account name over the server's LSA pipe (MS-LSAT LsarLookupSids), as Windows Explorer does.

smbprotocol speaks SMB only, so the few DCE/RPC pieces needed are written here: bind to lsarpc over
\\\\host\\IPC$\\lsarpc, LsarOpenPolicy2, LsarLookupSids, LsarClose. NDR little-endian only, no
authentication on the RPC layer (the SMB session carries it), unmapped SIDs stay SIDs.
"""

from __future__ import annotations

import struct
import uuid

from pdscan.i18n import t

LSARPC = uuid.UUID("12345778-1234-abcd-ef00-0123456789ab")
NDR = uuid.UUID("8a885d04-1ceb-11c9-9fe8-08002b104860")
POLICY_LOOKUP_NAMES = 0x00000800
OP_CLOSE, OP_LOOKUP_SIDS, OP_OPEN_POLICY2 = 0, 15, 44
SID_TYPE_UNKNOWN, SID_TYPE_INVALID = 8, 7
MAX_FRAG = 4280


class LsaError(Exception):
    pass


def _header(ptype: int, body: bytes, call_id: int) -> bytes:
    # rpc_vers 5.0, PFC_FIRST_FRAG|PFC_LAST_FRAG, little-endian/ASCII/IEEE data representation
    return struct.pack("<BBBBIHHI", 5, 0, ptype, 3, 0x10, 16 + len(body), 0, call_id) + body


def _bind_pdu() -> bytes:
    ctx = struct.pack("<HBB", 0, 1, 0) + LSARPC.bytes_le + struct.pack("<HH", 0, 0)
    ctx += NDR.bytes_le + struct.pack("<I", 2)
    body = struct.pack("<HHIBBH", MAX_FRAG, MAX_FRAG, 0, 1, 0, 0) + ctx
    return _header(11, body, 1)


def _request_pdu(opnum: int, stub: bytes, call_id: int) -> bytes:
    return _header(0, struct.pack("<IHH", len(stub), 0, opnum) + stub, call_id)


def _sid_bytes(sid: str) -> bytes:
    parts = sid.split("-")
    if len(parts) < 3 or parts[0].upper() != "S":
        raise LsaError(t("lsa_bad_sid", sid=sid))
    subs = [int(p) for p in parts[3:]]
    return (
        struct.pack("<BB", int(parts[1]), len(subs))
        + int(parts[2]).to_bytes(6, "big")
        + struct.pack(f"<{len(subs)}I", *subs)
    )


def _lookup_stub(handle: bytes, sids: list[str]) -> bytes:
    out = bytearray(handle)
    out += struct.pack("<II", len(sids), 0x20000)  # SidEnumBuffer: Entries, SidInfo referent
    out += struct.pack("<I", len(sids))  # conformant array max_count
    out += b"".join(struct.pack("<I", 0x20004 + 4 * i) for i in range(len(sids)))  # Sid referents
    for sid in sids:
        raw = _sid_bytes(sid)
        out += struct.pack("<I", raw[1]) + raw  # RPC_SID: conformance (sub-authority count) first
    out += struct.pack("<II", 0, 0)  # TranslatedNames: Entries 0, Names NULL
    out += struct.pack("<HH", 1, 0)  # LookupLevel LsapLookupWksta (enum: 16 bits) + pad
    out += struct.pack("<I", 0)  # MappedCount
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes):
        self.d, self.p = data, 0

    def align(self, n: int) -> None:
        self.p += -self.p % n

    def u16(self) -> int:
        self.align(2)
        (v,) = struct.unpack_from("<H", self.d, self.p)
        self.p += 2
        return v

    def u32(self) -> int:
        self.align(4)
        (v,) = struct.unpack_from("<I", self.d, self.p)
        self.p += 4
        return v

    def i32(self) -> int:
        self.align(4)
        (v,) = struct.unpack_from("<i", self.d, self.p)
        self.p += 4
        return v

    def wstr(self) -> str:
        """A conformant varying UTF-16 array (an RPC_UNICODE_STRING's buffer)."""
        self.u32()  # max_count
        offset, count = self.u32(), self.u32()
        start = self.p + 2 * offset
        s = self.d[start : start + 2 * count].decode("utf-16-le", errors="replace")
        self.p = start + 2 * count
        return s

    def sid(self) -> str:
        self.u32()  # conformance
        rev, count = self.d[self.p], self.d[self.p + 1]
        auth = int.from_bytes(self.d[self.p + 2 : self.p + 8], "big")
        subs = struct.unpack_from(f"<{count}I", self.d, self.p + 8)
        self.p += 8 + 4 * count
        return "-".join(["S", str(rev), str(auth), *map(str, subs)])


def _parse_lookup(stub: bytes) -> list[tuple[int, str, str]]:
    """(use, domain, name) per SID asked, from an LsarLookupSids response stub."""
    r = _Reader(stub)
    domains: list[str] = []
    if r.u32():  # ReferencedDomains pointer
        n, ptr, _max = r.u32(), r.u32(), r.u32()
        if ptr:
            r.u32()  # max_count
            entries = []
            for _ in range(n):
                _len, _maxlen, buf = r.u16(), r.u16(), r.u32()
                entries.append((buf, r.u32()))
            for buf, sid_ptr in entries:
                domains.append(r.wstr() if buf else "")
                if sid_ptr:
                    r.sid()
    count, names_ptr = r.u32(), r.u32()
    out: list[tuple[int, str, str]] = []
    if names_ptr:
        r.u32()  # max_count
        items = []
        for _ in range(count):
            use = r.u16()
            r.align(4)  # the RPC_UNICODE_STRING holds a pointer: 4-aligned
            _len, _maxlen, buf = r.u16(), r.u16(), r.u32()
            items.append((use, buf, r.i32()))
        for use, buf, dom in items:
            name = r.wstr() if buf else ""
            out.append((use, domains[dom] if 0 <= dom < len(domains) else "", name))
    r.u32()  # MappedCount
    status = r.u32()
    if status not in (0, 0x107, 0xC0000073):  # success, some not mapped, none mapped
        raise LsaError(f"LsarLookupSids: 0x{status:08x}")
    return out


class LsaClient:
    """One lsarpc pipe on one host; lookup() may be called many times. Not thread-safe."""

    def __init__(self, host: str, kw: dict):
        import smbclient

        self.pipe = smbclient.open_file(
            f"\\\\{host}\\IPC$\\lsarpc", mode="w+b", buffering=0, file_type="pipe", **kw
        )
        self.call_id = 1
        try:
            ack = self._transact(_bind_pdu())
            if ack[2] != 12:
                raise LsaError(t("lsa_bind_refused"))
            resp = self._call(
                OP_OPEN_POLICY2,
                struct.pack("<I", 0)
                + struct.pack("<6I", 24, 0, 0, 0, 0, 0)
                + struct.pack("<I", POLICY_LOOKUP_NAMES),
            )
            self.handle = resp[:20]
            (status,) = struct.unpack_from("<I", resp, 20)
            if status:
                raise LsaError(f"LsarOpenPolicy2: 0x{status:08x}")
        except BaseException:
            self.pipe.close()
            raise

    def _transact(self, pdu: bytes) -> bytes:
        self.pipe.write(pdu)
        data = self.pipe.read(65536)
        if len(data) < 16:
            raise LsaError(t("lsa_short_reply"))
        (frag_len,) = struct.unpack_from("<H", data, 8)
        while len(data) < frag_len:
            more = self.pipe.read(65536)
            if not more:
                break
            data += more
        return data

    def _call(self, opnum: int, stub: bytes) -> bytes:
        self.call_id += 1
        resp = self._transact(_request_pdu(opnum, stub, self.call_id))
        ptype = resp[2]
        if ptype == 3:  # fault
            (status,) = struct.unpack_from("<I", resp, 24)
            raise LsaError(f"RPC fault 0x{status:08x}")
        body = resp[24:]
        flags = resp[3]
        while not flags & 2:  # more fragments
            nxt = self.pipe.read(65536)
            flags = nxt[3]
            body += nxt[24:]
        return body

    def lookup(self, sids: list[str]) -> dict[str, str]:
        """SID → "DOMAIN\\name" for the SIDs the server knows."""
        if not sids:
            return {}
        names = _parse_lookup(self._call(OP_LOOKUP_SIDS, _lookup_stub(self.handle, sids)))
        out = {}
        for sid, (use, domain, name) in zip(sids, names, strict=False):
            if name and use not in (SID_TYPE_UNKNOWN, SID_TYPE_INVALID):
                out[sid] = f"{domain}\\{name}" if domain else name
        return out

    def close(self) -> None:
        try:
            self._call(OP_CLOSE, self.handle)
        except Exception:  # noqa: BLE001 — closing a handle on a pipe about to close anyway
            pass
        self.pipe.close()
