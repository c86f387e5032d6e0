"""The child process that reads a PDF: bytes on stdin, JSON ``{"pages": [...], "title": ...}`` on stdout.

Exit code 3 with one line on stderr is a refusal the user should read (encrypted, damaged).
"""

from __future__ import annotations

import io
import json
import sys


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # no resource limits on this platform: the parent's time limit still holds


def _page_text(page) -> str:
    """The page's text with its layout (blank lines between paragraphs); plain order as a fallback."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # the layout mode fails on some odd fonts; the plain mode is more forgiving
        return page.extract_text() or ""


def main() -> int:
    _limit_memory(int(sys.argv[1]) if len(sys.argv) > 1 else 1024 ** 3)
    data = sys.stdin.buffer.read()
    import logging

    logging.disable(logging.CRITICAL)
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    def refuse(message: str) -> int:
        print(message, file=sys.stderr)
        return 3

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return refuse("the PDF is encrypted with a password")
            except (PyPdfError, NotImplementedError):
                return refuse("the PDF is encrypted with a password")
        pages = [_page_text(page) for page in reader.pages]
        title = None
        try:
            title = (reader.metadata.title or "").strip() or None if reader.metadata else None
        except (PyPdfError, AttributeError, TypeError, ValueError):
            title = None
    except FileNotDecryptedError:
        return refuse("the PDF is encrypted with a password")
    except MemoryError:
        return refuse("the PDF needs too much memory to read (damaged, or built to exhaust readers)")
    except RecursionError:
        return refuse("damaged PDF (nested too deeply)")
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        return refuse(f"damaged PDF ({type(exc).__name__})")
    sys.stdout.write(json.dumps({"pages": pages, "title": title}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
