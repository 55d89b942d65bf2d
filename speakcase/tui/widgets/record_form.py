"""The record form: one widget per SCHEMA.md field, telling its screen when a field is left or changed."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.strip import Strip
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Select, SelectionList, Switch, TextArea
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from speakcase.models.records import FIELD_NAMES, SharingRecord
from speakcase.models.wording import code_label
from speakcase.tui.fields import (
    FIELDS,
    SPECS,
    TRI_STATE,
    WHEN_HINT,
    FieldSpec,
    FieldValueError,
    check_occurred_at,
    dotted_name,
    from_widget,
    to_widget,
    widget_id,
)

PLACEHOLDERS = {
    "occurred_at": WHEN_HINT,
    "legislation": "e.g. Children Act 1989 s47; Data Protection Act 2018",
    "information": "what was shared, received or asked for",
    "reason": "why, in terms of safety and wellbeing",
}


class TickList(SelectionList[str]):
    """A multiple choice whose ticks and focus read without colour: "› [x] child protection"."""

    def _get_left_gutter_width(self) -> int:
        return 6

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        index = self.scroll_offset.y + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        here = self.has_focus and self.highlighted == index
        ticked = option.value in self._selected
        mark = ("› " if here else "  ") + ("[x] " if ticked else "[ ] ")
        style = next(iter(line)).style or self.rich_style
        if ticked:
            style = style + RichStyle(bold=True)
        return Strip([Segment(mark, style=style), *line])

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if self.option_count:
            self.highlighted = 0  # a list always starts at its first option, never where it was left


class LongText(TextArea):
    """A multi-line text field that selects its text on focus, as form fields do."""

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if not event.from_app_focus:
            self.select_all()


def _field_widget(spec: FieldSpec) -> Widget:
    wid = widget_id(spec.name)
    if spec.widget == "select":
        options = [(code_label(code), code) for code in spec.codes]
        return Select(options, allow_blank=spec.optional, prompt="(not said)", id=wid, compact=True)
    if spec.widget == "tri_state":
        return Select([(label, value) for label, value in TRI_STATE], allow_blank=False, id=wid, compact=True)
    if spec.widget == "multi":
        return TickList(*(Selection(code_label(c), c) for c in spec.codes), id=wid, compact=True)
    if spec.widget == "switch":
        return Switch(id=wid)
    if spec.widget == "long_text":
        return LongText(id=wid, compact=True, placeholder=PLACEHOLDERS.get(spec.name, ""))
    validators = [Function(lambda v: check_occurred_at(v) is None, f"Use {WHEN_HINT}.")]
    return Input(
        placeholder=PLACEHOLDERS.get(spec.name, ""),
        id=wid,
        compact=True,
        # As in a spreadsheet or a web form: arriving selects the value, so typing replaces it;
        # an arrow key or home/end keeps it for editing in place.
        select_on_focus=True,
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

    class FieldTyped(Message):
        """A field's content changed while it has focus (the pause timer starts again)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class FieldFocused(Message):
        """A field got focus (the transcript lights its evidence)."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._marks: dict[str, str] = {}

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

    def mark(self, missing: set[str], flagged: set[str]) -> None:
        """Mark the rows a confirmation lacks (✗) and those whose value must be checked (?)."""
        for spec in FIELDS:
            mark = "✗ " if spec.name in missing else "? " if spec.name in flagged else ""
            if self._marks.get(spec.name, "") == mark:
                continue  # restyling every row on each keystroke is what made the screen slow
            self._marks[spec.name] = mark
            row = self.widget_for(spec.name).parent
            if row is None:
                continue
            row.set_class(mark == "✗ ", "missing")
            row.set_class(mark == "? ", "flagged")
            row.query_one(".field-label", Label).update(mark + spec.label)

    def set_value(self, name: str, value: Any) -> None:
        """Show one record value in its field."""
        self._set(self.widget_for(name), SPECS[name].widget, to_widget(name, value))

    def _set(self, widget: Widget, kind: str, shown: Any) -> None:
        if isinstance(widget, Input):
            widget.value = shown
            widget.cursor_position = len(shown)
        elif isinstance(widget, TextArea):
            widget.load_text(shown)
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
        elif isinstance(widget, TextArea):
            shown = widget.text
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

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _typing(self, event: Input.Changed | TextArea.Changed) -> None:
        name = dotted_name(event.control.id)
        if name and event.control.has_focus:
            self.post_message(self.FieldTyped(name))

    @on(SelectionList.SelectedChanged)
    def _ticked(self, event: SelectionList.SelectedChanged) -> None:
        name = dotted_name(event.control.id)
        if name and event.control.has_focus:
            self.post_message(self.FieldEdited(name))

    def clear(self, name: str) -> None:
        """Empty one field (text cleared, ticks removed, choice back to not said)."""
        widget = self.widget_for(name)
        if isinstance(widget, Input):
            widget.value = ""
        elif isinstance(widget, TextArea):
            widget.load_text("")
        elif isinstance(widget, SelectionList):
            widget.deselect_all()
        elif isinstance(widget, Select) and SPECS[name].optional:
            widget.value = Select.NULL
        elif isinstance(widget, Select) and SPECS[name].widget == "tri_state":
            widget.value = "unknown"
        self.post_message(self.FieldEdited(name))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.screen.focus_next()


__all__ = ["FieldValueError", "RecordForm"]
