"""The code tree's writes: add, rename, move, merge, delete a code, and in-vivo coding.

Each function opens the project, makes one change through the core (``project.code_editor`` or
``project.codings``), which records it as one undoable action, and closes the project. Errors are
the core's ``QcodeError`` with a message fit to show the user.
"""

from __future__ import annotations

from pathlib import Path

from qcode.core import QcodeError, open_project
from qcode.core.codes import SEPARATOR
from qcode.core.codings import CodingRequest
from qcode.core.text import clean_name

__all__ = [
    "DETAIL_FIELDS",
    "IN_VIVO_LENGTH",
    "add_code",
    "child_path",
    "code_name",
    "delete_code",
    "in_vivo",
    "in_vivo_name",
    "merge_code",
    "move_code",
    "rename_code",
    "update_details",
]

IN_VIVO_LENGTH = 60


def code_name(name: str) -> str:
    """``name`` cleaned as the core stores it; refuses an empty name or one holding ``/``."""
    cleaned = clean_name(name)
    if not cleaned or SEPARATOR in cleaned:
        raise QcodeError(f"not a code name: {cleaned!r} (names cannot be empty or contain '{SEPARATOR}')")
    return cleaned


def child_path(parent: str | None, name: str) -> str:
    """The path of a code called ``name`` under ``parent`` (``None``: at the top)."""
    name = code_name(name)
    return f"{parent}{SEPARATOR}{name}" if parent else name


def add_code(path: Path, coder: str | None, parent: str | None, name: str) -> str:
    """Add a code under ``parent`` (``None``: at the top level); returns its path."""
    new = child_path(parent, name)
    with open_project(path, coder=coder) as project:
        if parent:
            project.codes.get(parent)  # NotFound rather than creating a parent that has gone
        project.code_editor.add(new)
    return new


def rename_code(path: Path, coder: str | None, code: str, name: str) -> str:
    """Rename a code (its children follow); returns its new path."""
    name = code_name(name)
    with open_project(path, coder=coder) as project:
        return project.code_editor.rename(code, name)


def move_code(path: Path, coder: str | None, code: str, parent: str | None) -> str:
    """Move a code (with its children) under ``parent`` (``None``: to the top level); returns its new path."""
    with open_project(path, coder=coder) as project:
        return project.code_editor.move(code, parent)


def merge_code(path: Path, coder: str | None, source: str, target: str) -> dict[str, int]:
    """Merge ``source`` into ``target``: its codings and children move there; ``{"codings", "duplicates"}``."""
    with open_project(path, coder=coder) as project:
        return project.code_editor.merge(source, target)


def delete_code(path: Path, coder: str | None, code: str) -> dict[str, int]:
    """Delete a code, the codes below it and all their codings (the user has confirmed); ``{"codes", "codings"}``."""
    with open_project(path, coder=coder) as project:
        return project.code_editor.delete(code, force=True)


def in_vivo_name(text: str, limit: int = IN_VIVO_LENGTH) -> str:
    """A code name made from selected words: whitespace collapsed, ``/`` replaced, cut at a word boundary.

    Quotation marks around the selection are dropped; a name longer than ``limit`` is cut at the last
    space before it (or at ``limit`` when one word is that long) and ends with ``…``.
    """
    name = clean_name(" ".join(text.replace(SEPARATOR, "-").split()))  # line ends and tabs are spaces here
    name = name.strip(" \"'“”‘’«»").strip()
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def in_vivo(path: Path, coder: str | None, document: str, start: int, end: int, name: str,
            parent: str | None = None) -> str:
    """Code ``start:end`` of ``document`` with a code called ``name`` under ``parent``; returns its path.

    The code is created when there is none of that name under ``parent`` (otherwise the existing
    one is applied). ``name`` is cleaned as ``in_vivo_name`` cleans a selection, so the raw selected
    text may be passed. Creating the code and applying it is ONE action: one undo takes back both (the
    code only while nothing else uses it).
    """
    code = child_path(parent, in_vivo_name(name))
    with open_project(path, coder=coder) as project:
        if parent:
            project.codes.get(parent)
        project.codings.add_many([CodingRequest(document, start, end, code)])
    return code


DETAIL_FIELDS = ("name_id", "definition", "when_to_use", "when_not_to_use", "example")
"""The codebook fields of a code that the details dialog edits (kept in ``codes.details``)."""


def update_details(path: Path, coder: str | None, code: str, values: dict[str, str]) -> bool:
    """Set what ``values`` holds of a code's colour (``color``), key (``shortcut``) and codebook
    texts (the ``DETAIL_FIELDS``), as one undoable action; an empty value clears it, a missing one
    stays. False when nothing changed."""
    from qcode.codebook.model import checked_color, checked_shortcut

    def typed(key: str) -> str:
        return " ".join(str(values.get(key, "")).split())

    fields: dict[str, object] = {}
    if "color" in values:
        fields["color"] = checked_color(typed("color")) if typed("color") else None
    if "shortcut" in values:
        fields["shortcut"] = checked_shortcut(typed("shortcut")) if typed("shortcut") else None
    with open_project(path, coder=coder) as project:
        current = project.codes.get(code)
        if "color" in fields and fields["color"] == (current.color.upper() if current.color else None):
            del fields["color"]
        if "shortcut" in fields and fields["shortcut"] == current.shortcut:
            del fields["shortcut"]
        details = dict(current.details)
        for key in DETAIL_FIELDS:
            if key in values:
                if typed(key):
                    details[key] = typed(key)
                else:
                    details.pop(key, None)
        if details != current.details:
            fields["details"] = details
        if not fields:
            return False
        project.code_editor.update(code, **fields)
    return True
