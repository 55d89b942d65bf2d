"""The golden rules as checks: what blocks confirming a record, and what only warns."""

from __future__ import annotations

from dataclasses import dataclass

from speakcase.models.records import SharingRecord

LONG_INFORMATION_WORDS = 60


@dataclass(frozen=True)
class Finding:
    """One check's result on a record."""

    field: str
    """Dotted name of the field concerned."""
    message: str
    """What is wrong, as a sentence for the practitioner."""


def missing_for_confirmation(record: SharingRecord) -> list[Finding]:
    """What the guide's "what to record" list requires and the record lacks."""
    found: list[Finding] = []
    if not record.occurred_at:
        found.append(Finding("occurred_at", "When: the date (and time) of the decision is missing."))
    cp = record.counterpart
    if not (cp.name or cp.role):
        found.append(Finding("counterpart.name", "With whom: give the counterpart's name or role."))
    if not cp.organisation:
        found.append(
            Finding("counterpart.organisation", "With whom: the counterpart's organisation is missing.")
        )
    if not record.information.strip():
        found.append(
            Finding("information", "What: the information shared, received or asked for is missing.")
        )
    if not (record.reason or "").strip():
        found.append(Finding("reason", "Why: the reason for the decision is missing."))
    consent = record.consent
    if consent.status == "unknown":
        found.append(
            Finding("consent.status", "Consent: say whether consent was obtained, refused or not sought.")
        )
    elif consent.status != "obtained" and not consent.reasons and not (consent.explanation or "").strip():
        found.append(
            Finding(
                "consent.reasons", "Consent: give a reason or an explanation for proceeding without consent."
            )
        )
    return found


def proportionality_warnings(record: SharingRecord) -> list[Finding]:
    """Warnings that do not block: rule 6 (necessary, proportionate) and a named lawful basis."""
    found: list[Finding] = []
    if len(record.information.split()) > LONG_INFORMATION_WORDS:
        found.append(
            Finding("information", "The information is long: share only what is necessary and proportionate.")
        )
    if record.third_party:
        found.append(
            Finding("third_party", "Includes third-party information: check it is needed for the purpose.")
        )
    if not record.lawful_basis and record.kind in ("shared", "withheld"):
        found.append(Finding("lawful_basis", "No lawful basis is named."))
    return found
