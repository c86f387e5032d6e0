"""A codebook file with problems: every problem with its line, so a researcher can fix them all at once."""

from __future__ import annotations

from qcode.core.errors import QcodeError


class CodebookError(QcodeError):
    def __init__(self, source: str, problems: list[tuple[int | None, str]]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.source}:{line}: {message}" if line else f"{self.source}: {message}"
                for line, message in self.problems]
