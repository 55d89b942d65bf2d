"""The record form: one widget per SCHEMA.md field, telling its screen when a field is left or changed."""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Switch
from textual.widgets.selection_list import Selection

from speakcase.models.records import FIELD_NAMES, SharingRecord
from speakcase.tui.fields import (
    FIELDS,
    SPECS,
    TRI_STATE,
    FieldSpec,
    FieldValueError,
    check_occurred_at,
    dotted_name,
    from_widget,
    to_widget,
    widget_id,
)

PLACEHOLDERS = {
    "occurred_at": "YYYY-MM-DD or YYYY-MM-DDTHH:MM",
    "legislation": "e.g. Children Act 1989 s47; Data Protection Act 2018",
    "information": "what was shared, received or asked for",
    "reason": "why, in terms of safety and wellbeing",
}


def _field_widget(spec: FieldSpec) -> Widget:
    wid = widget_id(spec.name)
    if spec.widget == "select":
        options = [(code.replace("_", " "), code) for code in spec.codes]
        return Select(options, allow_blank=spec.optional, prompt="(not said)", id=wid, compact=True)
    if spec.widget == "tri_state":
        return Select([(label, value) for label, value in TRI_STATE], allow_blank=False, id=wid, compact=True)
    if spec.widget == "multi":
        return SelectionList[str](
            *(Selection(c.replace("_", " "), c) for c in spec.codes), id=wid, compact=True
        )
    if spec.widget == "switch":
        return Switch(id=wid)
    validators = [Function(lambda v: check_occurred_at(v) is None, "Use YYYY-MM-DD or YYYY-MM-DDTHH:MM.")]
    return Input(
        placeholder=PLACEHOLDERS.get(spec.name, ""),
        id=wid,
        compact=True,
        # Keep the text on focus: correcting one word must not start by selecting (and losing) the lot.
        select_on_focus=False,
        validators=validators if spec.widget == "date" else None,
        validate_on=["changed", "blur"] if spec.widget == "date" else None,
    )


class RecordForm(VerticalScroll, can_focus=False):
    """Every field of a record, editable or read-only."""

    class FieldEdited(Message):
        """A field was left or changed: the screen decides whether its value is new."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class FieldFocused(Message):
        """A field got focus (the transcript lights its evidence)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def compose(self) -> ComposeResult:
        for spec in FIELDS:
            with Horizontal(classes=f"field-row {spec.widget}"):
                yield Label(spec.label, classes="field-label")
                yield _field_widget(spec)

    def widget_for(self, name: str) -> Widget:
        """The widget editing a field."""
        return self.query_one(f"#{widget_id(name)}")

    def load(self, record: SharingRecord, editable: bool) -> None:
        """Show a record's fields."""
        for name in FIELD_NAMES:
            self._set(self.widget_for(name), SPECS[name].widget, to_widget(name, record.get(name)))
            self.widget_for(name).disabled = not editable

    def mark_missing(self, names: set[str]) -> None:
        """Flag the rows of the fields a confirmation needs and lacks."""
        for name in FIELD_NAMES:
            parent = self.widget_for(name).parent
            if parent is not None:
                parent.set_class(name in names, "missing")

    def set_value(self, name: str, value: Any) -> None:
        """Show one record value in its field."""
        self._set(self.widget_for(name), SPECS[name].widget, to_widget(name, value))

    def _set(self, widget: Widget, kind: str, shown: Any) -> None:
        if isinstance(widget, Input):
            widget.value = shown
            widget.cursor_position = 0
        elif isinstance(widget, Select):
            widget.value = Select.NULL if shown is None else shown
        elif isinstance(widget, SelectionList):
            widget.deselect_all()
            for value in shown:
                widget.select(value)
        elif isinstance(widget, Switch):
            widget.value = bool(shown)

    def read(self, name: str) -> Any:
        """The record value a field holds now; raises FieldValueError if it is invalid."""
        widget = self.widget_for(name)
        if isinstance(widget, Select):
            shown = None if widget.value is Select.NULL else widget.value
        elif isinstance(widget, SelectionList):
            shown = list(widget.selected)
        else:
            shown = widget.value  # type: ignore[attr-defined]
        return from_widget(name, shown)

    def read_all(self, base: SharingRecord) -> SharingRecord:
        """`base` with every field as the form holds it; raises FieldValueError on the first invalid one."""
        record = base
        for name in FIELD_NAMES:
            record = record.with_field(name, self.read(name))
        return record

    def focused_field(self) -> str | None:
        """The field that has focus, if any."""
        focused = self.screen.focused
        return dotted_name(focused.id) if focused is not None else None

    @on(events.DescendantFocus)
    def _focused(self, event: events.DescendantFocus) -> None:
        name = dotted_name(event.widget.id)
        if name:
            self.post_message(self.FieldFocused(name))

    @on(events.DescendantBlur)
    def _left(self, event: events.DescendantBlur) -> None:
        name = dotted_name(event.widget.id)
        if name:
            self.post_message(self.FieldEdited(name))

    @on(Select.Changed)
    @on(Switch.Changed)
    def _changed(self, event: Select.Changed | Switch.Changed) -> None:
        name = dotted_name(event.control.id)
        if name:
            self.post_message(self.FieldEdited(name))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.screen.focus_next()


__all__ = ["FieldValueError", "RecordForm"]
