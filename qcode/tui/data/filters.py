"""Filters as the workbench's forms take them: names comma-separated, ``attribute=value`` items."""

from __future__ import annotations

from qcode.analysis.retrieval import Filters, parse_where
from qcode.core.errors import QcodeError

EVERY_CODING = Filters()  # no filter: every coding counts


def split_list(typed: str) -> tuple[str, ...]:
    """``"NGO Batam, BP2MI"`` -> the names, trimmed, empty ones dropped."""
    return tuple(item.strip() for item in typed.split(",") if item.strip())


def where_pairs(items) -> tuple[tuple[str, str], ...]:
    """``parse_where`` with the message a form shows (the command line's names ``--where``)."""
    try:
        return parse_where(items)
    except QcodeError:
        bad = next(item for item in items if "=" not in item or not item.partition("=")[0].strip())
        raise QcodeError(f"where: give attribute=value, not {bad!r}") from None
