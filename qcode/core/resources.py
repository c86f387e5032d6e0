"""Where the files that ship with qcode live: the codebooks, the demo project and the seed abstract.

In an installed wheel they are package data under ``qcode/_data``; in a source checkout (an editable
install) they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def data_dir(name: str) -> Path:
    """The folder ``codebooks``, ``projects`` or ``seeds``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"qcode's {name} folder is missing from this installation")


def demo_dir() -> Path:
    return data_dir("projects") / "iom-indonesia"
