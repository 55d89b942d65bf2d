"""The information-sharing record: the domain type every layer shares (see SCHEMA.md)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

KINDS = ("shared", "received", "refused", "withheld")
AGENCIES = (
    "police",
    "education",
    "health",
    "mental_health",
    "social_care",
    "probation",
    "youth_justice",
    "housing",
    "voluntary",
    "legal",
    "other",
)
LAWFUL_BASES = ("consent", "legal_obligation", "vital_interests", "public_task", "legitimate_interests")
CONSENT_STATUSES = ("obtained", "refused", "not_sought", "unknown")
CONSENT_REASONS = (
    "child_protection",
    "adult_at_risk",
    "increase_risk",
    "prejudice_investigation",
    "statutory_duty",
    "court_order",
    "other",
)
ADVICE = ("manager", "data_protection_officer", "caldicott_guardian", "legal")
PROTOCOLS = ("MASH", "MARAC", "MAPPA")

#: Every scored field, in SCHEMA.md's dotted names, in display order.
FIELD_NAMES = (
    "kind",
    "occurred_at",
    "counterpart.name",
    "counterpart.role",
    "counterpart.organisation",
    "counterpart.agency",
    "subject",
    "information",
    "reason",
    "lawful_basis",
    "legislation",
    "consent.status",
    "consent.given_by",
    "consent.reasons",
    "consent.explanation",
    "family_informed",
    "advice_sought",
    "protocols",
    "third_party",
)

_OCCURRED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")


class RecordError(ValueError):
    """A record's fields do not satisfy the contract."""


@dataclass(frozen=True)
class Evidence:
    """Where a field's value came from in the transcript, and how sure the extractor is."""

    start: int
    """Character offset of the evidence in the transcript text."""
    end: int
    """Character offset just past the evidence."""
    confidence: float
    """Extractor's confidence in the value, 0 to 1."""


@dataclass(frozen=True)
class Counterpart:
    """The person or body on the other side of the sharing decision."""

    name: str | None = None
    """Their name without title or rank."""
    role: str | None = None
    """Their role or rank as said."""
    organisation: str | None = None
    """Their organisation as said."""
    agency: str | None = None
    """The sector code (AGENCIES) or None."""


@dataclass(frozen=True)
class Consent:
    """The consent position for the decision."""

    status: str = "unknown"
    """One of CONSENT_STATUSES."""
    given_by: str | None = None
    """Who agreed, refused or would have been asked."""
    reasons: tuple[str, ...] = ()
    """Why sharing went ahead without consent (CONSENT_REASONS)."""
    explanation: str | None = None
    """The memo's own words on why consent was not obtained."""


@dataclass(frozen=True)
class SharingRecord:
    """One information-sharing decision, as SCHEMA.md defines it."""

    kind: str = "shared"
    """One of KINDS."""
    occurred_at: str | None = None
    """YYYY-MM-DDTHH:MM, YYYY-MM-DD or None."""
    counterpart: Counterpart = field(default_factory=Counterpart)
    """Whom the information went to or came from."""
    subject: str | None = None
    """The person the information is mainly about."""
    information: str = ""
    """What was shared, received or asked for."""
    reason: str | None = None
    """Why, in the memo's own words."""
    lawful_basis: tuple[str, ...] = ()
    """UK GDPR Article 6 bases named (LAWFUL_BASES)."""
    legislation: tuple[str, ...] = ()
    """Acts named, canonical form."""
    consent: Consent = field(default_factory=Consent)
    """Consent position."""
    family_informed: bool | None = None
    """Whether the family was or will be told."""
    advice_sought: tuple[str, ...] = ()
    """Whom the practitioner consulted (ADVICE)."""
    protocols: tuple[str, ...] = ()
    """Multi-agency arrangements (PROTOCOLS)."""
    third_party: bool = False
    """The information includes a third party's."""
    evidence: Mapping[str, Evidence] = field(default_factory=dict, compare=False)
    """Per dotted field name: its evidence span and confidence (not part of the contract)."""

    def to_dict(self, with_evidence: bool = False) -> dict[str, Any]:
        """The SCHEMA.md JSON object for this record."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "occurred_at": self.occurred_at,
            "counterpart": {
                "name": self.counterpart.name,
                "role": self.counterpart.role,
                "organisation": self.counterpart.organisation,
                "agency": self.counterpart.agency,
            },
            "subject": self.subject,
            "information": self.information,
            "reason": self.reason,
            "lawful_basis": list(self.lawful_basis),
            "legislation": list(self.legislation),
            "consent": {
                "status": self.consent.status,
                "given_by": self.consent.given_by,
                "reasons": list(self.consent.reasons),
                "explanation": self.consent.explanation,
            },
            "family_informed": self.family_informed,
            "advice_sought": list(self.advice_sought),
            "protocols": list(self.protocols),
            "third_party": self.third_party,
        }
        if with_evidence:
            out["evidence"] = {
                name: {"start": ev.start, "end": ev.end, "confidence": round(ev.confidence, 3)}
                for name, ev in self.evidence.items()
            }
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SharingRecord:
        """Build and validate a record from its SCHEMA.md JSON object (untrusted input)."""
        if not isinstance(data, Mapping):
            raise RecordError("a record must be a JSON object")
        cp = data.get("counterpart") or {}
        consent = data.get("consent") or {}
        evidence = {
            str(name): Evidence(int(ev["start"]), int(ev["end"]), float(ev.get("confidence", 1.0)))
            for name, ev in (data.get("evidence") or {}).items()
        }
        record = cls(
            kind=data.get("kind") or "shared",
            occurred_at=_opt_str(data.get("occurred_at")),
            counterpart=Counterpart(
                name=_opt_str(cp.get("name")),
                role=_opt_str(cp.get("role")),
                organisation=_opt_str(cp.get("organisation")),
                agency=_opt_str(cp.get("agency")),
            ),
            subject=_opt_str(data.get("subject")),
            information=str(data.get("information") or ""),
            reason=_opt_str(data.get("reason")),
            lawful_basis=tuple(data.get("lawful_basis") or ()),
            legislation=tuple(data.get("legislation") or ()),
            consent=Consent(
                status=consent.get("status") or "unknown",
                given_by=_opt_str(consent.get("given_by")),
                reasons=tuple(consent.get("reasons") or ()),
                explanation=_opt_str(consent.get("explanation")),
            ),
            family_informed=data.get("family_informed"),
            advice_sought=tuple(data.get("advice_sought") or ()),
            protocols=tuple(data.get("protocols") or ()),
            third_party=bool(data.get("third_party", False)),
            evidence=evidence,
        )
        record.validate()
        return record

    def validate(self) -> None:
        """Raise RecordError if any field breaks the contract's types or codes."""
        _check_code("kind", self.kind, KINDS)
        if self.occurred_at is not None and not _OCCURRED_AT.match(self.occurred_at):
            raise RecordError(f"occurred_at {self.occurred_at!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM")
        if self.counterpart.agency is not None:
            _check_code("counterpart.agency", self.counterpart.agency, AGENCIES)
        _check_code("consent.status", self.consent.status, CONSENT_STATUSES)
        for name, values, allowed in (
            ("lawful_basis", self.lawful_basis, LAWFUL_BASES),
            ("consent.reasons", self.consent.reasons, CONSENT_REASONS),
            ("advice_sought", self.advice_sought, ADVICE),
            ("protocols", self.protocols, PROTOCOLS),
        ):
            for value in values:
                _check_code(name, value, allowed)
        if self.family_informed not in (True, False, None):
            raise RecordError("family_informed must be true, false or null")

    def get(self, dotted: str) -> Any:
        """The value of a field by its dotted SCHEMA.md name."""
        value: Any = self
        for part in dotted.split("."):
            value = getattr(value, part)
        return value

    def with_field(self, dotted: str, value: Any) -> SharingRecord:
        """A copy with one field, named in dotted form, replaced."""
        if dotted not in FIELD_NAMES:
            raise RecordError(f"unknown field {dotted!r}")
        if isinstance(value, list):
            value = tuple(value)
        head, _, tail = dotted.partition(".")
        if tail:
            inner = replace(getattr(self, head), **{tail: value})
            return replace(self, **{head: inner})
        return replace(self, **{head: value})


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _check_code(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise RecordError(f"{name} {value!r} is not one of {', '.join(allowed)}")


def field_names() -> tuple[str, ...]:
    """Dotted names of every SharingRecord field in the contract."""
    return FIELD_NAMES


__all__ = [
    "ADVICE",
    "AGENCIES",
    "CONSENT_REASONS",
    "CONSENT_STATUSES",
    "FIELD_NAMES",
    "KINDS",
    "LAWFUL_BASES",
    "PROTOCOLS",
    "Consent",
    "Counterpart",
    "Evidence",
    "RecordError",
    "SharingRecord",
]
