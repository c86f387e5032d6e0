"""Codebooks: the model and its formats (YAML, REFI-QDA .qdc, Word, Markdown), applied to projects."""

from qcode.codebook.errors import CodebookError
from qcode.codebook.model import Codebook, CodebookCode

__all__ = ["Codebook", "CodebookCode", "CodebookError"]
