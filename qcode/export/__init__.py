"""Exports of excerpts, codings and memos: Word, CSV, XLSX, Markdown and HTML."""
