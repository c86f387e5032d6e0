"""Which codings the tables count: documents, cases, attribute values and coders, as ``qcode stats``
takes them (``--document``, ``--case``, ``--where``, ``--coder``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from qcode.analysis.retrieval import Filters
from qcode.core import QcodeError
from qcode.tui.data.filters import EVERY_CODING, split_list, where_pairs
from qcode.tui.screens.forms import form_css

# (Filters field, label, placeholder): the rows of this dialog and of the export dialog
FILTER_ROWS = (
    ("documents", "documents", "every document (or names, comma-separated)"),
    ("cases", "cases", "every case (or names, comma-separated)"),
    ("where", "where", "attribute=value, comma-separated (e.g. organisation=IOM)"),
    ("coders", "coders", "every coder (or names, comma-separated)"),
)


def shown(filters: Filters, field: str) -> str:
    """What a form shows for one field of ``filters``."""
    if field == "where":
        return ", ".join(f"{name}={value}" for name, value in filters.where)
    return ", ".join(getattr(filters, field))


def filter_rows(prefix: str, filters: Filters = EVERY_CODING) -> list[Horizontal]:
    """One form row (label and field, ``#<prefix>-<field>``) for each of ``FILTER_ROWS``."""
    return [Horizontal(Label(label), Input(shown(filters, field), placeholder=placeholder, compact=True,
                                           id=f"{prefix}-{field}"), classes="row")
            for field, label, placeholder in FILTER_ROWS]


class NarrowDialog(ModalScreen[Filters | None]):
    """Edit the filters; enter or ctrl+s applies them (empty fields count everything), ctrl+r clears
    them all, escape leaves them as they were. Dismisses with the new ``Filters`` or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="narrow-cancel"),
        Binding("down", "app.focus_next", "Next field", show=False, id="narrow-next-field"),
        Binding("up", "app.focus_previous", "Previous field", show=False, id="narrow-previous-field"),
        Binding("ctrl+s", "apply", "Apply", id="narrow-apply"),
        Binding("ctrl+r", "clear", "Count everything", id="narrow-clear"),
    ]
    DEFAULT_CSS = form_css("NarrowDialog")

    def __init__(self, filters: Filters):
        super().__init__()
        self.filters = filters

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Count only the codings of"), classes="title")
            yield from filter_rows("narrow", self.filters)
            yield Static(Text(""), id="narrow-error", classes="error")
            yield Static(Text("↑↓ fields · enter or ctrl+s: apply · ctrl+r: count everything · escape: cancel"),
                         classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def error(self) -> str:
        return str(self.query_one("#narrow-error", Static).content)

    def chosen(self) -> Filters:
        """The filters typed; QcodeError for a where item that is not attribute=value."""
        def typed(field: str) -> tuple[str, ...]:
            return split_list(self.query_one(f"#narrow-{field}", Input).value)

        return Filters(documents=typed("documents"), cases=typed("cases"), where=where_pairs(typed("where")),
                       coders=typed("coders"))

    def on_input_changed(self) -> None:
        self.query_one("#narrow-error", Static).update(Text(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        try:
            filters = self.chosen()
        except QcodeError as exc:
            self.query_one("#narrow-error", Static).update(Text(str(exc)))
            return
        self.dismiss(filters)

    def action_clear(self) -> None:
        self.dismiss(Filters())

    def action_cancel(self) -> None:
        self.dismiss(None)
