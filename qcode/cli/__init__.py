"""The command line: a thin face on the library, for scripts and for people.

Every listing takes ``--json``. Errors are one line on stderr (``qcode: ...``) and a non-zero exit
code, never a traceback (set ``QCODE_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys

import click

from qcode.cli import (  # noqa: F401
    analysis,
    cases,
    codebook,
    coding,
    demo,
    documents,
    export,
    workbench,
)
from qcode.cli.common import EXIT_INTERNAL, EXIT_REFUSED, _report, cli
from qcode.core import QcodeError

__all__ = ["cli", "main"]


def main() -> None:
    """The console script: run the command line, turning every failure into one line."""
    stdout = sys.stdout
    try:
        code = cli.main(prog_name="qcode", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except SystemExit:
        if sys.stdout is not stdout:  # click met a closed pipe (qcode ... | head) and quietened it
            sys.exit(0)
        raise
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except QcodeError as exc:
        sys.exit(_report(str(exc), EXIT_REFUSED))
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # the last guard: a bug is still one line, not a traceback
        if os.environ.get("QCODE_DEBUG"):
            raise
        sys.exit(_report(f"internal error ({type(exc).__name__}: {exc}); set QCODE_DEBUG=1 for details",
                         EXIT_INTERNAL))


if __name__ == "__main__":
    main()
