"""Assemble SharingRecords, with evidence per field, from the rule findings for each event."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from speakcase.models.records import Consent, Counterpart, Evidence, SharingRecord
from speakcase.pipelines.extract import consent as consent_rules
from speakcase.pipelines.extract import fields
from speakcase.pipelines.extract.counterpart import CounterpartFound, Mention, names_in, roles_in
from speakcase.pipelines.extract.legislation import legislation_in
from speakcase.pipelines.extract.organisation import agency_for, fallback_org, orgs_in
from speakcase.pipelines.extract.segment import Event, find_events
from speakcase.pipelines.extract.text import TextView, rx
from speakcase.pipelines.extract.timeparse import find_mentions, resolve

_DOCTOR = rx(r"\b(?:dr|doctor)(?=\.?\s+$)")
_TOLD_ME = rx(r"\b(?:told|tell|telling)\s+(?:me|us)\b|\bto\s+say\b")
_FAMILY = {"mum", "mam", "dad", "mother", "father", "nan", "gran", "parents"}


def _window(view: TextView, event: Event) -> tuple[int, int]:
    if view.punctuated:
        start = max(event.start, view.sentence_start_before(event.anchor_start))
        end = max(
            view.sentence_end_after(event.anchor_end, event.end), view.advance_words(event.anchor_end, 10)
        )
    else:
        start = max(event.start, view.words[max(0, view.word_index(event.anchor_start) - 14)].start)
        end = view.advance_words(event.anchor_end, 24)
    told = _TOLD_ME.search(view.norm, event.anchor_end, end)
    end = told.start() if told else end
    return start, min(end, event.end, view.advance_words(event.anchor_end, 32))


def find_counterpart(view: TextView, event: Event, subject: Mention | None) -> CounterpartFound:
    """The person and body on the other side of the event."""
    start, end = _window(view, event)
    roles = roles_in(view, start, end)
    orgs = orgs_in(view, start, end, roles)
    roles = [r for r in roles if not any(o.start <= r.start < o.end for o in orgs)]
    subject_words = set(subject.text.lower().split()) if subject else set()
    names = [
        n
        for n in names_in(view, start, end, roles, orgs)
        if not subject_words.intersection(n.text.lower().split())
        and not any(o.start <= n.start < o.end for o in orgs)
        and n.text.lower() not in _FAMILY
    ]
    name = max(names, key=lambda n: (n.strength, -n.start)) if names else None
    role = None
    if roles:
        near = [r for r in roles if name and (abs(r.end - name.start) < 40 or abs(name.end - r.start) < 40)]
        near.sort(key=lambda r: r.text.lower() in ("doctor", "dr"))
        role = near[0] if near else roles[0]
    if role is None and name is not None and _DOCTOR.search(view.norm, max(0, name.start - 8), name.start):
        m = _DOCTOR.search(view.norm, max(0, name.start - 8), name.start)
        role = Mention(m.start(), m.end(), view.original[m.start() : m.end()], 0.5)
    org = orgs[0] if orgs else None
    if org is None:
        for anchor in (name, role):
            if anchor is not None:
                org = fallback_org(view, anchor.end, end)
                if org:
                    break
    agency, agency_at = agency_for(view, org, role)
    return CounterpartFound(name, role, org, agency, agency_at)


def _occurred_at(view: TextView, event: Event, info: Mention | None, recorded_at: datetime):
    scope_end = (
        info.start if info and info.start > event.anchor_end else view.advance_words(event.anchor_end, 6)
    )
    mentions = find_mentions(view, event.start, min(scope_end, event.end), recorded_at)
    return resolve(mentions, view, recorded_at, event.anchor_start)


class _Evidence:
    """Collects evidence spans per dotted field while a record is built."""

    def __init__(self, event: Event) -> None:
        self.event = event
        self.spans: dict[str, Evidence] = {}

    def add(self, field: str, mention: Mention | None, confidence: float | None = None) -> None:
        if mention is None:
            self.spans[field] = Evidence(self.event.start, self.event.end, 0.3)
        else:
            self.spans[field] = Evidence(mention.start, mention.end, confidence or mention.strength)


def build_event(
    view: TextView, event: Event, recorded_at: datetime, subject: Mention | None, third_names: set[str]
) -> SharingRecord | None:
    """One record for one event, or None when the event holds nothing recognisable."""
    ev = _Evidence(event)
    cp = find_counterpart(view, event, subject)
    name_words = set(cp.name.text.lower().split()) if cp.name else set()
    kind, kind_at = fields.find_kind(view, event, name_words)
    spans = [m for m in (cp.name, cp.role, cp.organisation) if m is not None]
    info = fields.find_information(view, event, kind, spans)
    if (
        cp.name is None
        and cp.organisation is None
        and cp.role is None
        and (info is None or not event.contact)
    ):
        return None
    reason = fields.find_reason(view, event, kind, info, kind_at)
    occurred, t_start, t_end = _occurred_at(view, event, info, recorded_at)
    consent = consent_rules.find_consent(view, event.start, event.end, subject.text if subject else None)
    family, family_at = consent_rules.family_informed(view, event.start, event.end)
    advice = consent_rules.advice_sought(view, event.start, event.end)
    bases = consent_rules.coded_mentions(view, event.start, event.end, "lawful_basis")
    protocols = consent_rules.coded_mentions(view, event.start, event.end, "protocols")
    if (
        cp.organisation is not None
        and "mash" in cp.organisation.text.lower()
        and "MASH" not in {p.text for p in protocols}
    ):
        protocols.append(Mention(cp.organisation.start, cp.organisation.end, "MASH", 0.8))
    laws = legislation_in(view, event.start, event.end)
    skip = {w for m in (subject, cp.name) if m for w in m.text.lower().split()}
    third = fields.mentions_third_party(
        view,
        [info] + ([reason] if kind == "shared" else []),
        [reason] if kind == "withheld" else [],
        third_names - skip,
    )
    for field, mention in (
        ("kind", kind_at),
        ("counterpart.name", cp.name),
        ("counterpart.role", cp.role),
        ("counterpart.organisation", cp.organisation),
        ("counterpart.agency", cp.agency_evidence),
        ("subject", subject),
        ("information", info),
        ("reason", reason),
        ("consent.status", consent.status),
        ("consent.given_by", consent.given_by),
        ("consent.explanation", consent.explanation),
        ("family_informed", family_at),
        ("third_party", third),
    ):
        ev.add(field, mention)
    ev.add("occurred_at", Mention(t_start, t_end, "", 0.8) if occurred else None)
    for field, found in (
        ("lawful_basis", bases),
        ("legislation", laws),
        ("advice_sought", advice),
        ("protocols", protocols),
    ):
        ev.add(field, found[0] if found else None)
    ev.add("consent.reasons", consent.explanation if consent.reasons else None)
    return SharingRecord(
        kind=kind,
        occurred_at=occurred,
        counterpart=Counterpart(
            name=cp.name.text if cp.name else None,
            role=cp.role.text if cp.role else None,
            organisation=cp.organisation.text if cp.organisation else None,
            agency=cp.agency,
        ),
        subject=subject.text if subject else None,
        information=info.text if info else "",
        reason=reason.text if reason else None,
        lawful_basis=tuple(m.text for m in bases),
        legislation=tuple(m.text for m in laws),
        consent=Consent(
            status=consent.status.text if consent.status else "unknown",
            given_by=consent.given_by.text if consent.given_by else None,
            reasons=consent.reasons,
            explanation=consent.explanation.text if consent.explanation else None,
        ),
        family_informed=family,
        advice_sought=tuple(dict.fromkeys(m.text for m in advice)),
        protocols=tuple(dict.fromkeys(m.text for m in protocols)),
        third_party=third is not None,
        evidence=ev.spans,
    )


def build_records(text: str, recorded_at: datetime) -> list[SharingRecord]:
    """Every sharing record the memo tells of, in order; none for text that tells of no sharing."""
    if not text or not text.strip():
        return []
    view = TextView(text)
    events = find_events(view)
    if not events:
        return []
    subject = fields.find_subject(view, events[0].anchor_start)
    third_names = fields.third_party_names(view)
    records: list[SharingRecord] = []
    for event in events:
        record = build_event(view, event, recorded_at, subject, third_names)
        if record is not None:
            records.append(_carry_counterpart(record, records))
    return records


def _carry_counterpart(record: SharingRecord, earlier: list[SharingRecord]) -> SharingRecord:
    """Fill a counterpart's missing role and organisation from an earlier record naming the same person."""
    cp = record.counterpart
    if not cp.name or (cp.role and cp.organisation):
        return record
    words = set(cp.name.lower().split())
    for previous in reversed(earlier):
        if previous.counterpart.name and words & set(previous.counterpart.name.lower().split()):
            prev = previous.counterpart
            return replace(
                record,
                counterpart=Counterpart(
                    name=cp.name,
                    role=cp.role or prev.role,
                    organisation=cp.organisation or prev.organisation,
                    agency=cp.agency or prev.agency,
                ),
            )
    return record
