"""Pure helpers for the review form: field kinds, widget values and revision diffs (no Textual)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from speakcase.models.records import (
    ADVICE,
    AGENCIES,
    CONSENT_REASONS,
    CONSENT_STATUSES,
    FIELD_NAMES,
    KINDS,
    LAWFUL_BASES,
    PROTOCOLS,
    SharingRecord,
)

TRI_STATE = (("not said", "unknown"), ("yes", "yes"), ("no", "no"))
_TRI_TO_VALUE = {"unknown": None, "yes": True, "no": False}
#: The formats the When field accepts: the ones the screens show, and the UK day-first form.
WHEN_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y")
WHEN_HINT = "YYYY-MM-DD HH:MM, YYYY-MM-DD or DD/MM/YYYY HH:MM"


@dataclass(frozen=True)
class FieldSpec:
    """How one record field is shown and edited."""

    name: str
    """Dotted SCHEMA.md name."""
    label: str
    """Short label for the form."""
    widget: str
    """text, long_text, date, list_text, select, tri_state, multi or switch."""
    codes: tuple[str, ...] = ()
    """Allowed codes for select and multi fields."""
    optional: bool = False
    """A select may be left empty (None)."""


FIELDS = (
    FieldSpec("kind", "Kind", "select", KINDS),
    FieldSpec("occurred_at", "When", "date"),
    FieldSpec("counterpart.name", "With: name", "text"),
    FieldSpec("counterpart.role", "With: role", "text"),
    FieldSpec("counterpart.organisation", "With: org.", "text"),
    FieldSpec("counterpart.agency", "Agency", "select", AGENCIES, optional=True),
    FieldSpec("subject", "Subject", "text"),
    FieldSpec("information", "What", "long_text"),
    FieldSpec("reason", "Why", "long_text"),
    FieldSpec("lawful_basis", "Lawful basis", "multi", LAWFUL_BASES),
    FieldSpec("legislation", "Legislation", "list_text"),
    FieldSpec("consent.status", "Consent", "select", CONSENT_STATUSES),
    FieldSpec("consent.given_by", "Consent by", "text"),
    FieldSpec("consent.reasons", "No-consent why", "multi", CONSENT_REASONS),
    FieldSpec("consent.explanation", "Explanation", "long_text"),
    FieldSpec("family_informed", "Family told", "tri_state"),
    FieldSpec("advice_sought", "Advice sought", "multi", ADVICE),
    FieldSpec("protocols", "Protocols", "multi", PROTOCOLS),
    FieldSpec("third_party", "Third party", "switch"),
)
SPECS = {spec.name: spec for spec in FIELDS}


class FieldValueError(ValueError):
    """A value typed in the form is not valid for its field."""


def widget_id(dotted: str) -> str:
    """The widget id for a dotted field name."""
    return "f-" + dotted.replace(".", "--").replace("_", "-")


def dotted_name(widget_id_: str | None) -> str | None:
    """The dotted field name a widget id stands for, if any."""
    if not widget_id_ or not widget_id_.startswith("f-"):
        return None
    return _BY_ID.get(widget_id_)


_BY_ID = {widget_id(name): name for name in FIELD_NAMES}


def parse_when(text: str) -> str | None:
    """The occurred_at for a typed When (None when empty); raises FieldValueError when not a date."""
    text = " ".join(text.split())
    if not text:
        return None
    for fmt in WHEN_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m-%dT%H:%M" if "%H" in fmt else "%Y-%m-%d")
    raise FieldValueError(f"When: use {WHEN_HINT} (a real date and time).")


def check_occurred_at(text: str) -> str | None:
    """Why `text` is not a valid When, or None when it is (empty means unknown)."""
    try:
        parse_when(text)
    except FieldValueError as exc:
        return str(exc)
    return None


def to_widget(dotted: str, value: Any) -> Any:
    """The value a field's widget shows for a record value."""
    kind = SPECS[dotted].widget
    if kind == "date":
        return (value or "").replace("T", " ")
    if kind in ("text", "long_text"):
        return value or ""
    if kind == "list_text":
        return "; ".join(value)
    if kind == "tri_state":
        return {None: "unknown", True: "yes", False: "no"}[value]
    if kind == "multi":
        return list(value)
    return value


def from_widget(dotted: str, shown: Any) -> Any:
    """The record value for what a field's widget holds; raises FieldValueError when invalid."""
    kind = SPECS[dotted].widget
    if kind == "date":
        return parse_when(str(shown))
    if kind in ("text", "long_text"):
        text = " ".join(str(shown).split()) if kind == "text" else str(shown).strip()
        return text if text or dotted == "information" else None
    if kind == "list_text":
        return tuple(part.strip() for part in re.split(r"[;\n]", str(shown)) if part.strip())
    if kind == "tri_state":
        return _TRI_TO_VALUE[str(shown)]
    if kind == "multi":
        codes = SPECS[dotted].codes
        return tuple(code for code in codes if code in set(shown))
    if kind == "switch":
        return bool(shown)
    return shown if shown in SPECS[dotted].codes else None


def changed_fields(before: SharingRecord, after: SharingRecord) -> list[tuple[str, Any, Any]]:
    """(field, old value, new value) for every field that differs between two revisions."""
    return [
        (name, before.get(name), after.get(name))
        for name in FIELD_NAMES
        if before.get(name) != after.get(name)
    ]
