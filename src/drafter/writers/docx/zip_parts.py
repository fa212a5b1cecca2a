"""A .docx's zip written from its parts, the parts every speech shares prepared once.

zipfile would rebuild the headers and checksums of the styles, settings, fonts and footers
for every speech; they never change for a preset, so their bytes and directory records are
made once and each speech adds only its own parts (the body and the properties). The format
is the plain one zipfile writes: no data descriptors, no zip64 (a speech is far below 4 GB;
anything larger goes through zipfile), fixed 1980-01-01 times so equal speeches give equal
bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping

# zipfile's own layouts (structFileHeader, structCentralDir, structEndArchive).
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00:00
_UTF8_NAME = 0x800
_LIMIT = 0x7FFFFFFF  # beyond this zip64 would be needed: left to zipfile


def _deflated(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    return compressor.compress(data) + compressor.flush()


def _entry(name: str, data: bytes, offset: int, level: int | None) -> tuple[bytes, bytes]:
    """One part's local header and data, and its central directory record."""
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else _UTF8_NAME
    stored = data if level is None else _deflated(data, level)
    method = zipfile.ZIP_STORED if level is None else zipfile.ZIP_DEFLATED
    crc = zlib.crc32(data)
    header = (_VERSION, 0, flags, method, _DOS_TIME, _DOS_DATE, crc, len(stored), len(data))
    local = _LOCAL.pack(b"PK\x03\x04", *header, len(encoded), 0) + encoded + stored
    central = (
        _CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, *header, len(encoded), 0, 0, 0, 0, 0, offset)
        + encoded
    )
    return local, central


class ZipParts:
    """The zip of a package's shared parts, to which each speech adds its own."""

    def __init__(self, shared: Mapping[str, bytes]) -> None:
        self.shared = dict(shared)
        locals_, centrals = [], []
        offset = 0
        for name, data in self.shared.items():
            local, central = _entry(name, data, offset, None)
            locals_.append(local)
            centrals.append(central)
            offset += len(local)
        self.head = b"".join(locals_)
        self.directory = b"".join(centrals)

    def package(self, own: Iterable[tuple[str, bytes, int | None]]) -> bytes:
        """The whole zip: the shared parts, then `own` (name, data, deflate level or None)."""
        own = list(own)
        if sum(len(data) for _, data, _ in own) + len(self.head) > _LIMIT:
            return self._by_zipfile(own)
        pieces, directory = [self.head], [self.directory]
        offset = len(self.head)
        for name, data, level in own:
            local, central = _entry(name, data, offset, level)
            pieces.append(local)
            directory.append(central)
            offset += len(local)
        records = b"".join(directory)
        count = len(self.shared) + len(own)
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(records), offset, 0)
        return b"".join([*pieces, records, end])

    def _by_zipfile(self, own: list[tuple[str, bytes, int | None]]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", allowZip64=True) as package:
            for name, data, level in [*((n, d, None) for n, d in self.shared.items()), *own]:
                entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_STORED if level is None else zipfile.ZIP_DEFLATED
                package.writestr(entry, data, compresslevel=level)
        return out.getvalue()
