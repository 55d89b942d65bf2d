"""Checks that judge a draft's values, not just their presence: unsure, contradicted or fragmentary fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from speakcase.models.records import SharingRecord
from speakcase.models.wording import FIELD_LABELS

#: Below this extractor confidence a value is flagged for the practitioner to check.
CONFIDENCE_THRESHOLD = 0.8
#: What and Why of this many words or fewer are fragments, not statements.
FRAGMENT_WORDS = 2
#: Words before a consent phrase that may negate it ("Daniel had not consented").
NEGATION_WINDOW_WORDS = 4

_NEGATION = re.compile(
    r"\b(?:not|no|never|without|refused|declined|didn't|hadn't|wasn't|wouldn't|won't|doesn't|"
    r"don't|couldn't|isn't|against)\b|n't\b",
    re.IGNORECASE,
)
#: A What or Why ending on one of these words stops mid-sentence ("... his appointment tomorrow Daniel had").
_DANGLING = frozenset(
    "a an and are because but for had has have is of or so that the to was were which who with".split()
)
_PREVIOUS_DAY = re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE)
_SAME_DAY = re.compile(
    r"\b(?:today|tonight|this (?:morning|afternoon|evening)|earlier today|just now)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Flag:
    """A value the practitioner must check before confirming."""

    field: str
    """Dotted name of the field concerned."""
    code: str
    """unsure, contradicted, after_recording, fragment or not_a_name."""
    message: str
    """What looks wrong, as a sentence for the practitioner."""

    @property
    def key(self) -> tuple[str, str]:
        """What an acknowledgement refers to."""
        return (self.field, self.code)


def value_flags(
    record: SharingRecord,
    transcript_text: str | None = None,
    recorded_at: datetime | None = None,
    extracted: SharingRecord | None = None,
) -> list[Flag]:
    """Every flag on `record`; evidence-based ones only while a field still holds the extracted value."""
    text = transcript_text or ""
    baseline = extracted if extracted is not None else record

    def machine_value(name: str) -> bool:
        return name in record.evidence and record.get(name) == baseline.get(name)

    flags: list[Flag] = []
    for name, evidence in record.evidence.items():
        value = record.get(name) if name in FIELD_LABELS else None
        # An empty value is "not said", not a reading to doubt: the missing-field checks cover it.
        said = value not in (None, "", (), False)
        if said and machine_value(name) and evidence.confidence < CONFIDENCE_THRESHOLD:
            flags.append(
                Flag(
                    name,
                    "unsure",
                    f"{FIELD_LABELS[name]}: the extraction was unsure ({evidence.confidence:.0%}).",
                )
            )
    if record.consent.status == "obtained" and machine_value("consent.status"):
        flags += _consent_negated(record, text)
    flags += _when_flags(record, text, recorded_at, machine_value("occurred_at"))
    for name in ("information", "reason"):
        words = (record.get(name) or "").split()
        if words and len(words) <= FRAGMENT_WORDS:
            flags.append(
                Flag(
                    name,
                    "fragment",
                    f'{FIELD_LABELS[name]}: "{" ".join(words)}" is a fragment; say it in full.',
                )
            )
        elif words and words[-1].lower().strip(",;:") in _DANGLING:
            tail = " ".join(words[-4:])
            flags.append(
                Flag(
                    name,
                    "fragment",
                    f'{FIELD_LABELS[name]}: it stops mid-sentence ("…{tail}"); check the end.',
                )
            )
    subject = (record.subject or "").strip()
    if subject and not any(word[:1].isupper() for word in subject.split()):
        flags.append(Flag("subject", "not_a_name", f'Subject: "{subject}" does not look like a name.'))
    return flags


def _consent_negated(record: SharingRecord, text: str) -> list[Flag]:
    evidence = record.evidence["consent.status"]
    sentence = re.split(r"[.!?]\s", text[: evidence.start])[-1]
    before = sentence.split()[-NEGATION_WINDOW_WORDS:]
    said = " ".join([*before, text[evidence.start : evidence.end]])
    if not _NEGATION.search(said):
        return []
    return [
        Flag(
            "consent.status",
            "contradicted",
            f'Consent: drafted as obtained, but the memo says "{said.strip()}".',
        )
    ]


def _when_flags(
    record: SharingRecord, text: str, recorded_at: datetime | None, from_memo: bool
) -> list[Flag]:
    flags: list[Flag] = []
    occurred = _parse(record.occurred_at)
    if occurred is not None and recorded_at is not None:
        has_time = "T" in (record.occurred_at or "")
        late = occurred > recorded_at if has_time else occurred.date() > recorded_at.date()
        if late:
            flags.append(
                Flag(
                    "occurred_at",
                    "after_recording",
                    f"When: {record.occurred_at.replace('T', ' ')} is after the memo was recorded"  # type: ignore[union-attr]
                    f" ({recorded_at:%Y-%m-%d %H:%M}).",
                )
            )
    evidence = record.evidence.get("occurred_at")
    if not from_memo or evidence is None:
        return flags
    said = text[evidence.start : evidence.end]
    elsewhere = text[: evidence.start] + " " + text[evidence.end :]
    previous, same = _PREVIOUS_DAY.search(said), _SAME_DAY.search(elsewhere)
    if previous and same:
        flags.append(
            Flag(
                "occurred_at",
                "contradicted",
                f'When: taken from "{previous.group(0)}", but the memo also says "{same.group(0)}".',
            )
        )
    elif occurred is not None and recorded_at is not None:
        expected = recorded_at.date() - timedelta(days=1) if _PREVIOUS_DAY.search(said) else None
        if _SAME_DAY.search(said):
            expected = recorded_at.date()
        if expected is not None and occurred.date() != expected:
            flags.append(
                Flag(
                    "occurred_at",
                    "contradicted",
                    f'When: the memo says "{said.strip()}", which is {expected:%Y-%m-%d},'
                    " not the date given.",
                )
            )
    return flags


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


__all__ = ["CONFIDENCE_THRESHOLD", "Flag", "value_flags"]
