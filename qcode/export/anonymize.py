"""Pseudonyms: every listed name, wherever it appears in an export, becomes its pseudonym.

The list is a two-column table (.csv or .xlsx): a name and its pseudonym, with or without a header
row ``name,pseudonym``. Names are matched as whole words, ignoring case, longest first (so that "Siti
Aminah" is replaced before "Siti"); the pseudonym is written as given.
"""

from __future__ import annotations

import re
from qcode.core.errors import QcodeError
from qcode.core.text import clean_name


class Anonymizer:
    def __init__(self, pairs: list[tuple[str, str]]):
        cleaned = [(clean_name(name), pseudonym.strip()) for name, pseudonym in pairs if clean_name(name)]
        self.pairs = sorted(cleaned, key=lambda pair: -len(pair[0]))
        self._lookup = {name.casefold(): pseudonym for name, pseudonym in self.pairs}
        if self.pairs:
            alternatives = "|".join(re.escape(name) for name, _ in self.pairs)
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        else:
            self._pattern = None

    def __call__(self, text: str | None) -> str | None:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._lookup.get(m.group(0).casefold(), m.group(0)), text)

    def __len__(self) -> int:
        return len(self.pairs)


def anonymizer_from_rows(rows: list[list[str]], source: str) -> Anonymizer:
    """Build an ``Anonymizer`` from the rows of a names table (a header row ``name,pseudonym`` is skipped).

    Refuses a table that is empty or has a row without both a name and a pseudonym.
    """
    if rows and [cell.strip().lower() for cell in rows[0][:2]] in (["name", "pseudonym"], ["nama", "samaran"]):
        rows = rows[1:]
    pairs = []
    for number, row in enumerate(rows, start=1):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise QcodeError(f"{source}, row {number}: a row holds a name and its pseudonym")
        pairs.append((row[0], row[1]))
    if not pairs:
        raise QcodeError(f"{source}: no names in it")
    return Anonymizer(pairs)


def identity(text):
    """No anonymisation: what exports use when no names table is given."""
    return text
