"""Reading and writing codebooks by file extension: .yaml/.yml, .qdc, and (writing only) .docx, .md."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qcode.codebook import yaml_format
from qcode.codebook.errors import CodebookError
from qcode.codebook.model import Codebook

READABLE = (".yaml", ".yml", ".qdc")
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
    if suffix == ".qdc":
        from qcode.codebook.qdc import import_qdc

        try:
            if path.stat().st_size > QDC_MAX_BYTES:
                raise CodebookError(str(path), [(None, f"larger than {QDC_MAX_BYTES // 2**20} MB: not a codebook")])
            data = path.read_bytes()
        except FileNotFoundError:
            raise CodebookError(str(path), [(None, "no such file")]) from None
        except OSError as exc:
            raise CodebookError(str(path), [(None, exc.strerror or str(exc))]) from None
        return import_qdc(data, str(path))
    raise CodebookError(str(path), [(None, f"a codebook is a {', '.join(READABLE)} file")])


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
        left_out = [name for name, value in (("version", book.version), ("authors", book.authors),
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
