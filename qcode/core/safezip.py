"""Opening untrusted zip packages (.docx, .odt, .xlsx) without trusting them.

Checked before any member is read: the member count, names (no ``..``, no absolute or drive paths,
no duplicates), the total declared size, each member's compression ratio, and members whose data
overlap (the "overlapping files" zip bomb, which older Pythons do not detect). Reads are capped.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from qcode.core.errors import QcodeError

MAX_MEMBERS = 5_000
MAX_TOTAL = 512 * 1024 * 1024
MAX_MEMBER = 256 * 1024 * 1024
MAX_RATIO = 200
_HEADER = 30  # size of a local file header before its name and extra field


class SafeZip:
    """A zip package checked before use; its problems raise ``error`` (readers set their own)."""

    error: type[QcodeError] = QcodeError

    def __init__(self, data: bytes, kind: str):
        self.kind = kind
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise self.error(f"not a {kind} file (not a zip package, or truncated)") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.error(f"damaged {kind}: {len(infos)} parts in the package")
        names = set()
        for info in infos:
            name = info.filename.replace("\\", "/")
            if name.startswith("/") or ":" in name or ".." in name.split("/"):
                raise self.error(f"unsafe {kind}: part name {info.filename!r}")
            if name in names:
                raise self.error(f"unsafe {kind}: part {info.filename!r} appears twice")
            names.add(name)
            if info.file_size > MAX_MEMBER or (
                    info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise self.error(f"unsafe {kind}: part {info.filename!r} expands {info.file_size:,} bytes "
                                  "(a zip bomb?)")
        if sum(i.file_size for i in infos) > MAX_TOTAL:
            raise self.error(f"unsafe {kind}: the parts expand to more than {MAX_TOTAL // 2**20} MB")
        ordered = sorted(infos, key=lambda i: i.header_offset)
        for this, following in zip(ordered, ordered[1:]):
            end = this.header_offset + _HEADER + len(this.filename.encode()) + this.compress_size
            if end > following.header_offset:
                raise self.error(f"unsafe {kind}: parts overlap in the package (a zip bomb?)")
        self.names = names

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        try:
            with self.zip.open(name) as member:
                data = member.read(MAX_MEMBER + 1)
        except KeyError:
            raise self.error(f"damaged {self.kind}: it has no part {name!r}") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise self.error(f"damaged {self.kind}: part {name!r} cannot be read ({exc})") from None
        if len(data) > MAX_MEMBER:
            raise self.error(f"unsafe {self.kind}: part {name!r} is larger than it declares")
        return data

    def resolve(self, base_part: str, target: str) -> str:
        """A relationship target, relative to the folder of ``base_part``, as a part name."""
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))
