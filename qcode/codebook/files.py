"""Reading and writing codebooks by file extension: .yaml/.yml, .qdc, and (writing only) .docx, .md."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qcode.codebook import yaml_format
from qcode.codebook.errors import CodebookError
from qcode.codebook.model import Codebook

READABLE = (".yaml", ".yml", ".qdc", ".qdpx")
WRITABLE = (".yaml", ".yml", ".qdc", ".docx", ".md")
QDC_MAX_BYTES = 20 * 1024 * 1024


def resolve(name: str | Path) -> Path:
    """A codebook file by path, or one that ships with qcode by name (``role-theory-io``)."""
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    from qcode.core.resources import data_dir

    shipped = data_dir("codebooks") / f"{path.name}.yaml"
    return shipped if shipped.exists() else path


def default_codebook() -> Path:
    from qcode.core.resources import data_dir

    return data_dir("codebooks") / "role-theory-io.yaml"


def load_codebook(path: Path, *, fill_guids: bool = False) -> tuple[Codebook, list[str]]:
    """A codebook file and the warnings reading it gave (``CodebookError`` when it cannot be read).

    ``fill_guids``: a YAML code without a GUID gets one (made from its path) instead of an error.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        warnings: list[str] = []
        return yaml_format.load(path, fill_guids=fill_guids, warnings=warnings), warnings
    if suffix in (".qdc", ".qdpx"):
        from qcode.codebook.qdc import import_qdc

        data = _read(path, QDC_MAX_BYTES if suffix == ".qdc" else QDPX_MAX_BYTES)
        if suffix == ".qdpx":
            data = _project_xml(data, path)
        return import_qdc(data, str(path))
    raise CodebookError(str(path), [(None, f"a codebook is a {', '.join(READABLE)} file")])


QDPX_MAX_BYTES = 2 * 1024 ** 3


def _read(path: Path, limit: int) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise CodebookError(str(path), [(None, f"larger than {limit // 2**20} MB: not a codebook")])
        return path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(str(path), [(None, "no such file")]) from None
    except OSError as exc:
        raise CodebookError(str(path), [(None, exc.strerror or str(exc))]) from None


def _project_xml(data: bytes, path: Path) -> bytes:
    """The project.qde inside a REFI-QDA project package (its sources are not read)."""
    from qcode.core.errors import QcodeError
    from qcode.core.safezip import SafeZip

    try:
        package = SafeZip(data, ".qdpx")
        names = [name for name in package.names if name.lower().endswith(".qde") and "/" not in name]
        if not names:
            raise QcodeError("not a REFI-QDA project (no project.qde in the package)")
        if package.zip.getinfo(names[0]).file_size > QDC_MAX_BYTES:
            raise QcodeError(f"its project.qde is larger than {QDC_MAX_BYTES // 2**20} MB")
        return package.read(names[0])
    except CodebookError:
        raise
    except QcodeError as exc:
        raise CodebookError(str(path), [(None, str(exc))]) from None


def save_codebook(book: Codebook, out: Path, *, origin: str = "qcode") -> list[str]:
    """Write ``book`` in the format of ``out``'s extension, atomically; returns notes for the user."""
    suffix = out.suffix.lower()
    if suffix not in WRITABLE:
        raise CodebookError(str(out), [(None, f"cannot write a codebook as {suffix or 'a file without extension'}; "
                                               f"use one of {', '.join(WRITABLE)}")])
    notes: list[str] = []
    if suffix in (".yaml", ".yml"):
        data = yaml_format.dumps(book).encode("utf-8")
    elif suffix == ".qdc":
        from qcode.codebook.qdc import export_qdc

        data = export_qdc(book, origin=origin)
        left_out = [name for name, value in (("title", book.title), ("description", book.description),
                                             ("version", book.version), ("authors", book.authors),
                                             ("licence", book.licence), ("changelog", book.changelog)) if value]
        if left_out:
            notes.append(f"the .qdc format has no place for the codebook's {', '.join(left_out)}: left out")
    elif suffix == ".md":
        from qcode.codebook.documents import to_markdown

        data = to_markdown(book).encode("utf-8")
    else:
        data = None  # Word: written straight to the temporary file
    _write_atomically(out, data, book)
    return notes


def _write_atomically(out: Path, data: bytes | None, book: Codebook) -> None:
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise CodebookError(str(out), [(None, f"folder {folder} does not exist")])
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    os.close(handle)
    try:
        if data is None:
            from qcode.codebook.documents import to_word

            to_word(book, Path(temporary))
        else:
            Path(temporary).write_bytes(data)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
