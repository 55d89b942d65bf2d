"""Assemble SharingRecords, with evidence per field, from the rule findings for each event."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from speakcase.models.records import Consent, Counterpart, Evidence, SharingRecord
from speakcase.pipelines.extract import consent as consent_rules
from speakcase.pipelines.extract import fields
from speakcase.pipelines.extract.counterpart import CounterpartFound, Mention, name_after, names_in, roles_in
from speakcase.pipelines.extract.legislation import legislation_in
from speakcase.pipelines.extract.organisation import agency_for, fallback_org, orgs_in
from speakcase.pipelines.extract.segment import Event, find_events
from speakcase.pipelines.extract.text import TextView, rx
from speakcase.pipelines.extract.timeparse import carry_day, find_mentions, resolve

_DOCTOR = rx(r"\b(?:dr|doctor)(?=\.?\s+$)")
_TOLD_ME = rx(r"\b(?:told|tell|telling)\s+(?:me|us)\b|\bto\s+say\b|\b(?:he|she|they)\s+said\b")
_FAMILY = {"mum", "mam", "dad", "mother", "father", "nan", "gran", "parents"}
_KIN_WORDS = (
    r"(?P<kin>mum|mam|mom|dad|mother|father|stepdad|stepfather|stepmum|stepmother|nan|gran|grandma|grandad|"
    r"aunt|auntie|uncle)"
)
_KIN_BEFORE = rx(r"\b(?:(?:his|her|their|the)\s+)?" + _KIN_WORDS + r"\s+(?:then\s+|also\s+|just\s+)?$")
_KIN_AFTER = rx(r"\s+(?:from\s+)?(?:(?:his|her|their|the)\s+)?" + _KIN_WORDS + r"\b")
_KIN_NAMED = rx(r"\b" + _KIN_WORDS + r"\s*,?\s*$")
_FAMILY_UPDATE = rx(
    r"\bwhat\s+(?:i|we)(?:'d|'ve|\s+had|\s+have)?\s+(?:told|shared|passed\s+on|given|sent|said)\b"
    r"|\b(?:about|of)\s+(?:the|my|our)\s+(?:referral|call|calls|conversation|sharing)\b"
)


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


_PRONOUN_BEFORE = rx(r"\b(?:he|she|they)\s+(?:then\s+|also\s+|later\s+|finally\s+|eventually\s+)?$")
_CORRECTED = rx(r"[\s,]*(?:no|sorry|i\s+mean|correction)\b")
_POSSESSIVE_BEFORE = rx(r"\b(?:their|its|his|her|our|my)\s+$")
_PRONOUN_AFTER = rx(r"\s+(?:him|her|them)\b")
_CALLED_BACK = rx(r"\s+(?:(?:me|us)\s+)?back\b|\s+(?:my|the|our)\s+call\b|\s+to\s+(?:me|us)\b")


def find_counterpart(view: TextView, event: Event, subject: Mention | None) -> CounterpartFound:
    """The person and body on the other side of the event."""
    start, end = _window(view, event)
    found = _counterpart_in(view, event, subject, start, end)
    if found.name or found.role or found.organisation:
        return found
    pronoun = _PRONOUN_BEFORE.search(view.norm, max(0, event.anchor_start - 20), event.anchor_start)
    called_back = _CALLED_BACK.match(view.norm, event.anchor_end)
    if pronoun is None and not called_back and not _PRONOUN_AFTER.match(view.norm, event.anchor_end):
        return found
    # "He wanted to know...", "She rang me back and confirmed...": the person is the one named just
    # before, within the event; before the event only for a call back (a pronoun without one goes
    # on about the previous conversation, and joins it).
    if view.punctuated:  # the two sentences before
        back = view.sentence_start_before(max(0, view.sentence_start_before(max(0, start - 2)) - 2))
    else:
        back = view.words[max(0, view.word_index(start) - 30)].start
    if pronoun is None or not called_back:
        back = max(back, event.start)
    if back >= start:
        return found
    earlier = _counterpart_in(view, event, subject, back, start, nearest_to=start)
    return earlier if earlier.name else found


def _counterpart_in(
    view: TextView, event: Event, subject: Mention | None, start: int, end: int, nearest_to: int | None = None
) -> CounterpartFound:
    """The counterpart found in [start, end); the name closest to the contact, or to `nearest_to`."""
    roles = roles_in(view, start, end)
    orgs = orgs_in(view, start, end, roles)
    roles = [r for r in roles if not any(o.start <= r.start < o.end for o in orgs)]
    subject_words = set(subject.text.lower().split()) if subject else set()
    subject_words |= {w + "s" for w in subject_words if not view.punctuated}
    names = [
        n
        for n in (
            _before_org(view, c, orgs)
            if _kin_named(view, c, subject_words)
            else _without_words(view, _before_org(view, c, orgs), subject_words)
            for c in names_in(view, start, end, roles, orgs)
        )
        if n is not None
        and (not subject_words.intersection(n.text.lower().split()) or _kin_named(view, n, subject_words))
        and not any(o.start <= n.start < o.end for o in orgs)
        and n.text.lower() not in _FAMILY
        and (view.original == view.norm or not view.original[n.start].islower())
    ]
    names = [
        n
        for n in names
        if not any(
            o.start > n.end and _CORRECTED.match(view.norm, n.end, min(o.start, n.end + 30)) for o in names
        )
    ]  # "Dr Imogen Castell, no, sorry, it was Dr Imogen Stroud": the corrected name goes
    if nearest_to is not None:
        names = [n for n in names if n.strength >= 0.75] or names
        name = max(names, key=lambda n: n.end) if names else None
    else:
        name = (
            max(names, key=lambda n: (n.strength - min(_distance(n, event), 150) / 1000, -n.start))
            if names
            else None
        )
    role = None
    if roles:
        near = [r for r in roles if name and (abs(r.end - name.start) < 40 or abs(name.end - r.start) < 40)]
        near.sort(
            key=lambda r: (
                r.text.lower() in ("doctor", "dr"),
                max(0, r.start - name.end, name.start - r.end) if name else 0,
            )
        )
        role = near[0] if near else roles[0]
    if role is None and name is not None and _DOCTOR.search(view.norm, max(0, name.start - 8), name.start):
        m = _DOCTOR.search(view.norm, max(0, name.start - 8), name.start)
        role = Mention(m.start(), m.end(), view.original[m.start() : m.end()], 0.5)
    org = orgs[0] if orgs else None
    if name is not None and len(orgs) > 1:
        # The organisation said with the person ("Mr Gavin Stroud from Hawthorn Junior School").
        # A unit of an organisation already said ("in their vulnerable customers team") is not it.
        own = [o for o in orgs if not _POSSESSIVE_BEFORE.search(view.norm, max(0, o.start - 7), o.start)]
        org = min(own or orgs, key=lambda o: max(0, o.start - name.end, name.start - o.end))
    if org is not None and org.text.lower().startswith("the "):
        for anchor in (name, role):
            named = fallback_org(view, anchor.end, end) if anchor is not None else None
            if (
                named is not None
                and named.end <= org.start
                and not view.norm[named.end : org.start].strip(" ,")
            ):
                org = named
                break
    if org is None:
        for anchor in (name, role):
            if anchor is not None:
                org = fallback_org(view, anchor.end, end)
                if org:
                    break
    if name is not None and role is None:
        role, org = _introduced_as(view, name, start, org)
    agency, agency_at = agency_for(view, org, role)
    for other in orgs[1:]:
        if agency is None:
            agency, agency_at = agency_for(view, other, None)
    return CounterpartFound(name, role, org, agency, agency_at)


def _earlier_counterpart(view: TextView, event: Event, subject: Mention | None) -> CounterpartFound | None:
    """The counterpart named in the event's sentence before the act ("I had a word with Ann Lee, the DSL.
    I told her that..."), when the act's own sentence names no one."""
    if not view.punctuated:
        return None
    sentence = view.sentence_start_before(event.anchor_start)
    before = view.sentence_start_before(sentence - 1) if sentence > 0 else sentence
    if before >= sentence or before < event.start:
        return None
    found = find_counterpart(view, replace(event, anchor_start=before, anchor_end=before), subject)
    return found if (found.name or found.organisation or found.role) else None


def _introduced_as(
    view: TextView, name: Mention, before: int, org: Mention | None
) -> tuple[Mention | None, Mention | None]:
    """The role (and organisation) said with the person where the memo first named them, before the window
    ("...the health visitor bethan at the heartfield clinic... so i told bethan that...")."""
    first = name.text.lower().split()[0]
    for m in rx(r"\b" + re.escape(first) + r"\b").finditer(view.norm, 0, before):
        roles = roles_in(view, max(0, m.start() - 40), min(len(view.norm), m.end() + 40))
        joined = [
            r
            for r in roles
            if re.fullmatch(r"[\s,]*(?:(?:erm|er|um)[\s,]*)?", view.norm[r.end : m.start()])
            or re.fullmatch(r"\s*,\s*(?:the|a|an|their|our|his|her)\s+", view.norm[m.end() : r.start])
        ]
        if joined:
            role = joined[0]
            if org is None:
                after = max(role.end, m.end())
                stop = min(len(view.norm), after + 80)
                said = [o for o in orgs_in(view, after, stop, roles) if o.start - after < 12]
                org = said[0] if said else fallback_org(view, after, stop)
            return role, org
    return None, org


def _family_counterpart(view: TextView, event: Event, subject: Mention | None) -> CounterpartFound | None:
    """A parent or relative on the other end ("dad rang asking..."), with the name the memo gave them."""
    kin = _KIN_BEFORE.search(view.norm, max(0, event.anchor_start - 24), event.anchor_start)
    if kin is None:
        kin = _KIN_AFTER.match(view.norm, event.anchor_end)
    if kin is None:
        return None
    word = kin.group("kin")
    role = Mention(kin.start("kin"), kin.end("kin"), view.original[kin.start("kin") : kin.end("kin")], 0.6)
    name = None
    for m in rx(r"\b" + re.escape(word) + r"\b\s*,?\s*").finditer(view.norm):
        found = name_after(view, m.end(), len(view.norm))
        shaped = found is not None and (
            view.original[found.start].isupper()
            if view.original != view.norm
            else len(found.text.split()) > 1
        )
        if (
            found
            and shaped
            and not (subject and found.text.lower().split()[0] in subject.text.lower().split())
        ):
            name = Mention(found.start, found.end, found.text, 0.6)
            break
    return CounterpartFound(name, role, None, None, None)


def _kin_named(view: TextView, name: Mention, subject_words: set[str]) -> bool:
    """A relative's full name after their kin word ("Noah's dad, Steven Fraser"): the family surname stays."""
    words = name.text.lower().split()
    return (
        len(words) == 2
        and words[0] not in subject_words
        and bool(_KIN_NAMED.search(view.norm, max(0, name.start - 30), name.start))
    )


def _before_org(view: TextView, name: Mention, orgs: list[Mention]) -> Mention:
    """The name cut where an organisation starts inside it ("quinn southfields health centre")."""
    for org in orgs:
        if name.start < org.start < name.end:
            words = list(view.words_between(name.start, org.start))
            if words:
                return Mention(
                    name.start, words[-1].end, view.original[name.start : words[-1].end], name.strength
                )
    return name


def _distance(mention: Mention, event: Event) -> int:
    """Characters between a mention and the contact phrase of its event."""
    return max(0, event.anchor_start - mention.end, mention.start - event.anchor_end)


def _without_words(view: TextView, name: Mention, drop: set[str]) -> Mention | None:
    """The name with words of `drop` (the subject's) trimmed from either end."""
    words = list(view.words_between(name.start, name.end))
    while words and words[0].text in drop:
        words.pop(0)
    while words and words[-1].text in drop:
        words.pop()
    if not words:
        return None
    return Mention(
        words[0].start, words[-1].end, view.original[words[0].start : words[-1].end], name.strength
    )


_THAT_WAS = rx(r"\b(?:that|this|it|which)\s+(?:was|went|were|happened|would\s+have\s+been)\b")


def _occurred_at(view: TextView, event: Event, info: Mention | None, recorded_at: datetime):
    scope_end = (
        info.start if info and info.start > event.anchor_end else view.advance_words(event.anchor_end, 6)
    )
    mentions = find_mentions(view, event.start, min(scope_end, event.end), recorded_at)
    later = _later_time(view, event, recorded_at)
    if view.punctuated:
        # A time said in the sentence of the contact beats one told in an earlier sentence; the
        # sentence may begin before the event does ("At ten tonight, after dad rang, I phoned...").
        begin = view.sentence_start_before(event.anchor_start)
        stop = min(
            view.sentence_end_after(event.anchor_end, event.end), view.advance_words(event.anchor_end, 20)
        )
        same = find_mentions(view, begin, stop, recorded_at)
        if same:
            found = resolve(same, view, recorded_at, event.anchor_start)
            if later is not None and "T" in later[0] and "T" not in (found[0] or "T"):
                return later
            return found
    if later is not None:
        return later
    return resolve(mentions, view, recorded_at, event.anchor_start)


def _later_time(view: TextView, event: Event, recorded_at: datetime):
    """A time told after the contact in its own clause ("...and told him. That was at ten to two.")."""
    for m in _THAT_WAS.finditer(view.norm, event.anchor_end, event.end):
        stop = view.advance_words(m.end(), 10)
        if view.punctuated:
            stop = min(stop, view.sentence_end_after(m.end(), event.end))
        found = find_mentions(view, m.start(), min(stop, event.end), recorded_at)
        if found and found[0].start - m.end() < 12:
            return resolve(found, view, recorded_at)
    return None


@dataclass(frozen=True)
class EventFindings:
    """Everything the rules found for one event, each value with its mention in the text."""

    event: Event
    """The event's stretch of text."""
    kind: tuple[str, Mention]
    """The record kind and where it was read."""
    occurred: tuple[str | None, int, int]
    """The resolved time and its span."""
    counterpart: CounterpartFound
    """Name, role, organisation and agency."""
    subject: Mention | None
    """The person the memo is about."""
    info: Mention | None
    """What was shared, received or asked for."""
    reason: Mention | None
    """Why."""
    consent: consent_rules.ConsentFound
    """The consent position."""
    family: tuple[bool | None, Mention | None]
    """Whether the family was told."""
    coded: dict[str, list[Mention]]
    """Mentions per list field: lawful_basis, legislation, advice_sought, protocols."""
    third: Mention | None
    """The first mention of a third party in the information."""


def _find(
    view: TextView, event: Event, recorded_at: datetime, subject: Mention | None, third_names: set[str]
) -> EventFindings | None:
    cp = find_counterpart(view, event, subject)
    if not (cp.name or cp.organisation or cp.role):
        cp = _earlier_counterpart(view, event, subject) or _family_counterpart(view, event, subject) or cp
    elif cp.name and not (cp.role or cp.organisation):
        family = {w for n in third_names for w in n.split("-")}
        if family & set(re.split(r"[\s-]+", cp.name.text.lower())) and _FAMILY_UPDATE.search(
            view.norm, event.anchor_end, event.end
        ):
            return None
        kin = _KIN_NAMED.search(view.norm, max(0, cp.name.start - 24), cp.name.start)
        if kin:
            s, e = kin.span("kin")
            cp = replace(cp, role=Mention(s, e, view.original[s:e], 0.6))
    kind, kind_at = fields.find_kind(view, event, set(cp.name.text.lower().split()) if cp.name else set())
    if event.kind and kind != event.kind:
        kind, kind_at = event.kind, Mention(event.anchor_start, event.anchor_end, event.kind, 0.7)
    info = fields.find_information(view, event, kind, [m for m in (cp.name, cp.role, cp.organisation) if m])
    if not (cp.name or cp.organisation or cp.role or event.decision) and (info is None or not event.contact):
        return None
    reason = fields.find_reason(view, event, kind, info, kind_at)
    start, end = event.start, event.end
    protocols = consent_rules.coded_mentions(view, start, end, "protocols")
    org = cp.organisation
    if org is not None and "mash" in org.text.lower() and "MASH" not in {p.text for p in protocols}:
        protocols.append(Mention(org.start, org.end, "MASH", 0.8))
    skip = {w for m in (subject, cp.name) if m for w in m.text.lower().split()}
    third = fields.mentions_third_party(
        view,
        [info] + ([reason] if kind == "shared" else []),
        [reason] if kind == "withheld" else [],
        third_names - skip,
        skip,
    )
    coded = {
        "lawful_basis": consent_rules.coded_mentions(view, start, end, "lawful_basis"),
        "legislation": legislation_in(view, start, end),
        "advice_sought": consent_rules.advice_sought(view, start, end),
        "protocols": protocols,
    }
    occurred = _occurred_at(view, event, info, recorded_at)
    if occurred[0] is None and kind in ("withheld", "refused"):
        begin = max(event.start, view.sentence_start_before(kind_at.start))
        occurred = resolve(find_mentions(view, begin, kind_at.end, recorded_at), view, recorded_at)
    return EventFindings(
        event,
        (kind, kind_at),
        occurred,
        cp,
        subject,
        info,
        reason,
        consent_rules.find_consent(view, start, end, subject.text if subject else None),
        consent_rules.family_informed(view, start, end, subject.text if subject else None),
        coded,
        third,
    )


def _evidence(found: EventFindings) -> dict[str, Evidence]:
    cp, consent = found.counterpart, found.consent
    occurred, t_start, t_end = found.occurred
    mentions: dict[str, Mention | None] = {
        "kind": found.kind[1],
        "occurred_at": Mention(t_start, t_end, "", 0.8) if occurred else None,
        "counterpart.name": cp.name,
        "counterpart.role": cp.role,
        "counterpart.organisation": cp.organisation,
        "counterpart.agency": cp.agency_evidence,
        "subject": found.subject,
        "information": found.info,
        "reason": found.reason,
        "consent.status": consent.status,
        "consent.given_by": consent.given_by,
        "consent.reasons": consent.explanation if consent.reasons else None,
        "consent.explanation": consent.explanation,
        "family_informed": found.family[1],
        "third_party": found.third,
    }
    mentions.update({name: values[0] if values else None for name, values in found.coded.items()})
    event = found.event
    return {
        name: Evidence(m.start, m.end, m.strength) if m else Evidence(event.start, event.end, 0.3)
        for name, m in mentions.items()
    }


def _record(found: EventFindings) -> SharingRecord:
    cp, consent = found.counterpart, found.consent

    def text(mention: Mention | None) -> str | None:
        return mention.text if mention else None

    def codes(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.text for m in found.coded[name]))

    return SharingRecord(
        kind=found.kind[0],
        occurred_at=found.occurred[0],
        counterpart=Counterpart(text(cp.name), text(cp.role), text(cp.organisation), cp.agency),
        subject=text(found.subject),
        information=text(found.info) or "",
        reason=text(found.reason),
        lawful_basis=codes("lawful_basis"),
        legislation=codes("legislation"),
        consent=Consent(
            consent.status.text if consent.status else "unknown",
            text(consent.given_by),
            consent.reasons,
            text(consent.explanation),
        ),
        family_informed=found.family[0],
        advice_sought=codes("advice_sought"),
        protocols=codes("protocols"),
        third_party=found.third is not None,
        evidence=_evidence(found),
    )


def build_event(
    view: TextView, event: Event, recorded_at: datetime, subject: Mention | None, third_names: set[str]
) -> SharingRecord | None:
    """One record for one event, or None when the event holds nothing recognisable."""
    found = _find(view, event, recorded_at, subject, third_names)
    return _record(found) if found else None


def build_records(text: str, recorded_at: datetime) -> list[SharingRecord]:
    """Every sharing record the memo tells of, in order; none for text that tells of no sharing."""
    if not text or not text.strip():
        return []
    view = TextView(text)
    events = find_events(view) or _whole_memo(view)
    if not events:
        return []
    subject = fields.find_subject(view, events[0].anchor_start)
    third_names = fields.third_party_names(view)
    if subject is None:
        exclude = set(third_names)
        for event in events:
            name = find_counterpart(view, event, None).name
            exclude.update(name.text.lower().split() if name else ())
        subject = fields.frequent_subject(view, exclude)
    if subject is not None:
        events = find_events(view, frozenset(subject.text.lower().split())) or events
    records: list[SharingRecord] = []
    kept: list[Event] = []
    for event in events:
        record = build_event(view, event, recorded_at, subject, third_names)
        if record is None and not records:
            continue
        cp = record.counterpart if record is not None else Counterpart()
        if record is not None and records and event.same_call:
            previous = records[-1]
            if event.decision and record.kind == previous.kind:
                continue
            if event.decision or not (cp.name or cp.role or cp.organisation):
                record = replace(record, counterpart=previous.counterpart)
            if record.occurred_at is None:
                record = replace(record, occurred_at=previous.occurred_at)
        elif records and not (cp.name or cp.role or cp.organisation):
            # No one new is spoken to: the text goes on about the previous conversation ("She rang
            # because..."), so it joins that event, whose fields may be told there.
            merged = replace(kept[-1], end=event.end)
            again = build_event(view, merged, recorded_at, subject, third_names)
            if again is not None and again.kind == records[-1].kind:
                kept[-1] = merged
                records[-1] = _carry_counterpart(again, records[:-1])
            else:
                # Its kind reads differently, but its consent, family and advice sentences still tell of
                # the previous conversation.
                records[-1] = _fill_from(records[-1], view, event.start, event.end, subject)
            continue
        kept.append(event)
        if records and record.occurred_at and records[-1].occurred_at:
            at = record.evidence["occurred_at"]
            carried = carry_day(view, at.start, at.end, recorded_at, records[-1].occurred_at)
            record = replace(record, occurred_at=carried) if carried else record
        records.append(_carry_counterpart(record, records))
    pairs = [(r, e) for r, e in zip(records, kept, strict=True) if not _nothing_told(r)] or list(
        zip(records, kept, strict=True)
    )
    if pairs and pairs[0][1].start > 0:
        # A preamble before the first conversation ("so the lawful basis is vital interests") is its.
        pairs[0] = (_fill_from(pairs[0][0], view, 0, pairs[0][1].start, subject), pairs[0][1])
    if len(pairs) > 1:
        # "Mum consented to both disclosures", "she hasn't been told about either call": every record
        # told before the statement.
        for m in _COVERS_ALL.finditer(view.norm):
            lo = view.sentence_start_before(m.start()) if view.punctuated else max(0, m.start() - 60)
            hi = (
                view.sentence_end_after(m.end()) + 1 if view.punctuated else min(len(view.norm), m.end() + 40)
            )
            covered = [i for i, (_, e) in enumerate(pairs) if e.start < lo]
            if m.group(1) in ("both", "either"):
                covered = covered[-2:]  # the two calls just told
            pairs = [
                (_fill_from(r, view, lo, hi, subject, coded=False) if i in covered else r, e)
                for i, (r, e) in enumerate(pairs)
            ]
    return [r for r, _ in pairs]


# A statement about every conversation at once.
_COVERS_ALL = rx(
    r"\b(both|either|all|each|any)\s+(?:of\s+(?:the|these|those|them|my)\s+)?(?:two\s+|three\s+)?"
    r"(?:disclosures?|calls?|phone\s+calls|referrals?|conversations?|shares|sharings?|requests?|agencies|"
    r"professionals|services|contacts?|updates?|of\s+(?:them|these|those))\b"
)


def _fill_from(
    record: SharingRecord, view: TextView, start: int, end: int, subject: Mention | None, coded: bool = True
) -> SharingRecord:
    """The record with its empty consent, family-told and (with `coded`) advice, basis and protocol fields
    filled from what [start, end) says."""
    who = subject.text if subject else None
    changes: dict = {}
    if record.consent.status == "unknown":
        found = consent_rules.find_consent(view, start, end, who)
        if found.status is not None and found.status.text != "unknown":
            changes["consent"] = Consent(
                found.status.text,
                found.given_by.text if found.given_by else None,
                found.reasons,
                found.explanation.text if found.explanation else None,
            )
    if record.family_informed is None:
        told, _ = consent_rules.family_informed(view, start, end, who)
        if told is not None:
            changes["family_informed"] = told
    for name, found in (
        ()
        if not coded
        else (
            ("advice_sought", consent_rules.advice_sought(view, start, end)),
            ("lawful_basis", consent_rules.coded_mentions(view, start, end, "lawful_basis")),
            ("protocols", consent_rules.coded_mentions(view, start, end, "protocols")),
        )
    ):
        if not getattr(record, name) and found:
            changes[name] = tuple(dict.fromkeys(m.text for m in found))
    return replace(record, **changes) if changes else record


def _nothing_told(record: SharingRecord) -> bool:
    """A contact in which no one shared, told, asked or refused anything and nothing was said to pass
    ("a neighbour called the out of hours line"): beside real records it is background, not a record."""
    kind = record.evidence.get("kind")
    cp = record.counterpart
    return (
        not record.information
        and (kind is None or kind.confidence <= 0.4)
        and not (cp.name or cp.organisation)
    )


# Any word for getting in touch or passing something on, in any wording the event rules may not know
# ("reached me on the duty line", "dropped an email to", "gave me a bell", "briefed", "flagged up").
_ANY_CONTACT = rx(
    r"\b(?:rang|rung|ring|phoned|called|telephoned|emailed|e-?mailed|texted|messaged|wrote|spoke|spoken|talked|"
    r"contacted|reached|caught\s+up|got\s+(?:hold\s+of|in\s+touch|through)|put\s+through|popped|buzzed|bell|"
    r"word\s+with|call|email|message|meeting|referral|referred|visit|told|tell|shared|share|passed|handed|gave|"
    r"sent|forwarded|informed|updated|briefed|outlined|alerted|flagged|filled|relayed|fed\s+back|explained|"
    r"disclosed|asked|requested|refused|declined)\b"
)


def _whole_memo(view: TextView) -> list[Event]:
    """When no rule finds where a conversation starts, the memo as one event from its first word of contact.

    A dictated memo is almost always about one sharing decision; a draft with what can be found beats
    none, and the record is only kept when it names someone on the other side.
    """
    m = _ANY_CONTACT.search(view.norm)
    if m is None:
        return []
    return [Event(0, len(view.norm), m.start(), m.end(), contact=True)]


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
