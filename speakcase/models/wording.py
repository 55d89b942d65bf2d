"""Records in plain words: field labels and code meanings for screens and exports (no Textual)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from speakcase.models.records import SharingRecord

FIELD_LABELS = {
    "kind": "Kind",
    "occurred_at": "When",
    "counterpart.name": "With (name)",
    "counterpart.role": "With (role)",
    "counterpart.organisation": "With (organisation)",
    "counterpart.agency": "Agency",
    "subject": "Subject",
    "information": "What",
    "reason": "Why",
    "lawful_basis": "Lawful basis",
    "legislation": "Legislation",
    "consent.status": "Consent",
    "consent.given_by": "Consent asked of",
    "consent.reasons": "Why no consent",
    "consent.explanation": "Consent explanation",
    "family_informed": "Family told",
    "advice_sought": "Advice sought",
    "protocols": "Protocols",
    "third_party": "Third-party information",
}

CODE_LABELS = {
    "shared": "shared",
    "received": "received",
    "refused": "refused (they would not share)",
    "withheld": "withheld (we decided not to share)",
    "obtained": "obtained",
    "not_sought": "not sought",
    "unknown": "not said",
    "mental_health": "mental health",
    "social_care": "social care",
    "youth_justice": "youth justice",
    "legal_obligation": "legal obligation",
    "vital_interests": "vital interests",
    "public_task": "public task",
    "legitimate_interests": "legitimate interests",
    "child_protection": "child protection concerns",
    "adult_at_risk": "an adult may be at risk",
    "increase_risk": "seeking consent would increase risk",
    "prejudice_investigation": "seeking consent would prejudice an investigation",
    "statutory_duty": "a statutory duty to share",
    "court_order": "a court order",
    "data_protection_officer": "data protection officer",
    "caldicott_guardian": "Caldicott guardian",
}


def code_label(code: str) -> str:
    """The plain words for a code (the code itself, spaced, when it needs no gloss)."""
    return CODE_LABELS.get(code, code.replace("_", " "))


def value_text(name: str, value: Any) -> str:
    """A field's value in plain words ("" when empty)."""
    if value is None:
        return "not said" if name == "family_informed" else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return "; ".join(code_label(v) if name != "legislation" else v for v in value)
    if name == "occurred_at":
        return when_text(value)
    if name in ("kind", "consent.status", "counterpart.agency"):
        return code_label(value)
    return str(value)


def when_text(value: str | None) -> str:
    """An occurred_at as a reader says it: "Tue 24 Nov 2026, 14:10"."""
    if not value:
        return "time not set"
    try:
        if "T" in value:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M").strftime("%a %d %b %Y, %H:%M")
        return datetime.strptime(value, "%Y-%m-%d").strftime("%a %d %b %Y (no time)")
    except ValueError:
        return value


def counterpart_text(record: SharingRecord) -> str:
    """The counterpart as one phrase: "Helen Price (Detective Sergeant, Thames Valley Police)"."""
    cp = record.counterpart
    detail = ", ".join(v for v in (cp.role, cp.organisation) if v)
    head = cp.name or ""
    if head and detail:
        return f"{head} ({detail})"
    return head or detail or "nobody named"


def consent_text(record: SharingRecord) -> str:
    """The consent position as a sentence fragment."""
    consent = record.consent
    text = code_label(consent.status)
    if consent.given_by:
        text += f" ({'from' if consent.status != 'obtained' else 'given by'} {consent.given_by})"
    if consent.reasons:
        text += "; because " + "; ".join(code_label(r) for r in consent.reasons)
    if consent.explanation:
        text += f'; "{consent.explanation}"'
    return text


def summary_lines(record: SharingRecord) -> list[tuple[str, str]]:
    """The record as (label, plain words) lines, for a confirmation summary or a printed log."""
    verb = {"shared": "Shared with", "received": "Received from", "refused": "Refused by"}
    lines = [
        (verb.get(record.kind, "Withheld from"), counterpart_text(record)),
        ("When", when_text(record.occurred_at)),
        ("About", record.subject or "no subject named"),
        ("What", record.information or "nothing said"),
        ("Why", record.reason or "no reason given"),
        ("Consent", consent_text(record)),
        ("Family told", value_text("family_informed", record.family_informed)),
    ]
    for name in ("lawful_basis", "legislation", "advice_sought", "protocols"):
        shown = value_text(name, record.get(name))
        if shown:
            lines.append((FIELD_LABELS[name], shown))
    if record.third_party:
        lines.append(("Third party", "includes third-party information"))
    return lines


__all__ = ["CODE_LABELS", "FIELD_LABELS", "code_label", "summary_lines", "value_text", "when_text"]
