"""What the form dialogs share (export, a code's details, narrowing the tables): a box in the
middle of the screen with one line a field, a label column, an error line and a hint."""

from __future__ import annotations


def form_css(name: str, width: int = 78) -> str:
    """The styles of form dialog class ``name``: its fields are ``Horizontal`` rows (class "row")
    of a ``Label`` and an ``Input`` or ``Select``; ``#...-error`` lines take class "error"."""
    return f"""
    {name} {{ align: center middle; }}
    {name} > Vertical {{ width: {width}; max-width: 100%; height: auto; max-height: 100%;
                         border: round $accent; background: $surface; padding: 0 1; }}
    {name} .title {{ text-style: bold; }}
    {name} .row {{ height: 1; }}
    {name} .row > Label {{ width: 12; }}
    {name} .row > Input, {name} .row > Select {{ width: 1fr; }}
    {name} .error {{ color: $text-error; height: auto; }}
    {name} .hint {{ color: $text-muted; }}
    """
