"""Split a memo into sharing events: one region of text per conversation, in the order told."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from datetime import datetime

from speakcase.pipelines.extract.counterpart import name_like
from speakcase.pipelines.extract.text import TextView, alternation, resource, rx
from speakcase.pipelines.extract.timeparse import find_mentions

_ANY_DAY = datetime(2026, 1, 7, 12, 0)
_LEAD = rx(r"\b(?:and|then|so|at|on|by|around|about|erm|um|er|right|ok|okay)\b")
_P = resource("patterns.json")
_LEX = resource("lexicon.json")


def expand(key: str, leave_out: tuple[str, ...] = ()) -> str:
    """A pattern of patterns.json with each "{list:NAME}" replaced by the alternation of the list NAME
    (verb phrases with their particles and inflections, kept as lists rather than one long regex);
    lists named in `leave_out` match nothing."""
    return re.sub(
        r"\{list:(\w+)\}",
        lambda m: "(?!)" if m.group(1) in leave_out else "(?:" + "|".join(_P[m.group(1)]) + ")",
        _P[key],
    )


_ROLES = resource("roles.json")
_CONTACT = rx(expand("contact"))
_BLOCKED = rx(_P["contact_blocked_before"])
_FAMILY_OBJECT = rx(_P["contact_family_object"])
_CUE = rx(_P["event_cue"])
_INFO = rx(_P["info_verb"])
# Where a memo's first telling opens, loose verbs do not count ("I have passed it on anyway" is not one).
_SHARE = rx(expand("share_verb", ("share_verb_loose",)))
_INCOMING = rx(_P["incoming"])
_ASK = rx(_P["ask_verb"])
_CALLED_BEFORE = rx(_P["called_ok_before"])
_CALLED_AFTER = rx(_P["called_ok_after"])
_CONSIDER = rx(_P["consider_verb"])
_SAME_CALL = rx(_P["same_call"])
_MID_CLAUSE = rx(r"\b(?:i|we|i've|we've|i\s+have|we\s+have)\s+$")
_WITHHELD = rx(expand("withheld"))
# "a neighbour called the out of hours team": a lay third party's contact with someone else is background.
_LAY_SUBJECT = rx(_P["contact_lay_subject"])
_US_OBJECT = rx(_P["contact_us_object"])
_CLAUSE_AFTER = rx(
    r"(?:\s+[\w'-]+)?\s+(?:has|had|is|was|were|'s|said|says|told|needs|wants|wanted|found|been|can't|cannot|"
    r"won't|isn't|wasn't|hasn't|doesn't|didn't)\b"
)
# A speech recogniser's "ran" for "rang": a contact only before a person, a service, "me", "back" or "asking".
_RAN = rx(r"\bran\b(?!\s+(?:away|off|out|over|into|up|down|around|round|past|through|after|home)\b)")
_RAN_OBJECT = rx(r"\s+(?:me|us|back|asking|to\s+ask|wanting|about)\b")
_PERSON = (
    "(?:"
    + alternation(_LEX["titles"] + _LEX["ranks"] + list(_ROLES["roles"]))
    + r"|\b(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}?"
    + alternation(_ROLES["role_heads"])
    + ")"
)
_SHARE_TO = rx(_P["decision_share_to"].replace("PERSON", _PERSON))
_SHARE_TO_BARE = rx(
    _P["decision_share_to_bare"].replace(
        "PERSON", _PERSON + r"|\b[\w'-]+'s\s+" + alternation(_ROLES["role_heads"])
    )
)
_SHARE_TO_LOOSE = rx(r"\b" + _SHARE_TO_BARE.pattern.split(")", 1)[1])
_ASKED_ME = rx(_P["decision_asked_me"])
# "I texted Marta afterwards to say it was done": word to someone that a telling happened is no telling.
_DONE_NOTE = rx(
    r"\s+(?:[\w'-]+\s+){0,3}?(?:afterwards\s+|after\s+|later\s+)?to\s+(?:say|let\s+\w+\s+know|tell\s+\w+)\s+"
    r"(?:that\s+)?(?:it\s+(?:was|had\s+been|has\s+been|'s)\s+done|(?:i'd|i\s+had|i've|we'd|we've)\s+"
    r"(?:done|told|passed|shared|rung|spoken|made)|what\s+(?:i'd|i\s+had|i|we'd|we)\s+(?:told|shared|passed|said))"
)
# "The offender manager told the meeting that...": a telling at a meeting, no call.
_TOLD_MEETING = rx(
    r"\b(?:told|informed|updated|advised|reported\s+to)\s+the\s+(?:meeting|conference|panel|core\s+group|"
    r"strategy\s+(?:meeting|discussion)|professionals(?:'|\s+meeting)?)\b"
)
# "I told Mrs Patel, deputy head at...", "I asked Joanne Pike, the probation officer at...": the act opens
# a conversation with someone not yet met.
_TOLD_ASKED = rx(r"\b(?:i|we)\s+(?:then\s+|also\s+|later\s+)?(?:told|asked|updated|filled\s+in)\s+")
_NAME_THEN_ROLE = rx(
    r"\s*[\w'-]+(?:\s+[\w'-]+)?,\s+(?:(?:the|a|an|our|their)\s+)?(?:[\w'-]+\s+){0,3}?"
    + alternation(_ROLES["role_heads"] + list(_ROLES["roles"]))
)
_WE_BEFORE = rx(r"\b(?:i|we)\s+(?:then\s+|later\s+|also\s+|just\s+)?$")
_KIN = frozenset(_LEX["kin"])
_PRONOUN_BEFORE = rx(r"\b(?:he|she|they)\s+(?:\w+\s+)?$")
_FOLLOW_UP = rx(_P["contact_follow_up"])
_OBJECT = rx(r"\s+(?:back\s+)?(?:(?:mr|mrs|ms|miss)\.?\s+)?([\w'-]+)")
_ACTS = {kind: rx(_P["decision_" + kind]) for kind in ("shared", "received", "asked")}
_WITHHELD_ACT = rx(_P["decision_withheld"])
_SUBJECT_WORD = rx(r"\b(?:i|we|he|she|they)\b")
_BACK = rx(r"(?:\s+(?:me|us))?\s+(?:back|again)\b")
_THAT_BEFORE = rx(r"\bthat\s+$")
_ACT_SKIP = rx(r"\b(?:what|which|whether|if|i'll|i\s+will|going\s+to)\s+(?:\w+\s+){0,3}$")


@dataclass(frozen=True)
class _Span:
    """A found phrase's bounds, standing in for a match whose start is a group's."""

    s: int
    e: int

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return ""


@dataclass(frozen=True)
class Event:
    """One conversation's stretch of the memo."""

    start: int
    """Offset where the event's text starts."""
    end: int
    """Offset just past its text."""
    anchor_start: int
    """Offset of the contact phrase that opened it (or of its first sharing verb)."""
    anchor_end: int
    """Offset just past that phrase."""
    contact: bool = True
    """Whether a contact phrase (rang, spoke to, had a call from) opened it, not only a sharing verb."""
    same_call: bool = False
    """Whether it continues the previous event's conversation ("then on the same call I shared...")."""
    decision: bool = False
    """Whether it is a further decision in the previous event's conversation, with the same counterpart."""
    kind: str | None = None
    """For such a decision, its kind as the act that opened it told it (shared, received, withheld)."""


def _anchors(view: TextView, subject_words: frozenset[str]) -> tuple[list[tuple[int, int]], set[int]]:
    """Contact phrases and sharing acts that open a conversation; the second set holds the acts' starts."""
    norm = view.norm
    found = []
    decisive: set[int] = set()
    for m in sorted([*_CONTACT.finditer(norm), *_ran_contacts(view)], key=lambda m: m.start()):
        before = norm[max(0, m.start() - 24) : m.start()]
        if _BLOCKED.search(before):
            continue
        if _LAY_SUBJECT.search(before) and not _US_OBJECT.match(norm, m.end()):
            continue
        if _FOLLOW_UP.match(norm, m.start()) and _WE_BEFORE.search(before):
            continue
        if rx(r"\s+(?:anyway|regardless|anyhow)\b").match(norm, m.end()):
            continue
        if _DONE_NOTE.match(norm, m.end()):
            continue
        if rx(r"\b(?:told\s+(?:\w+\s+)?|said\s+)that\s+(?!(?:i|we)\b)[\w'-]+(?:\s+[\w'-]+)?\s+$").search(
            before
        ):
            # "told her that Scarlett messaged a friend": a contact inside what was told.
            continue
        if m.group() in ("attended", "went to") and not _WE_BEFORE.search(before):
            continue
        obj = _OBJECT.match(norm, m.end())
        if (
            obj
            and obj.group(1) in subject_words
            and not m.group().endswith("from")
            and (view.punctuated or not _CLAUSE_AFTER.match(norm, obj.end()))
        ):
            # Ringing the subject is family contact; but "...nursing rang irene has a pressure sore",
            # unpunctuated, is a call closing its clause and the next clause's subject.
            continue
        if m.group() == "called" and not (
            _CALLED_BEFORE.search(before) or _CALLED_AFTER.match(norm, m.end())
        ):
            continue
        if not m.group().endswith(("from", "to", "with")) and _FAMILY_OBJECT.match(norm, m.end()):
            continue
        if m.group().endswith(("to", "with")) and rx(r"\s+(?:my|our)\b").match(norm, m.end()):
            continue
        found.append((m.start(), m.end()))
    for pattern in (
        _SHARE_TO,
        _ASKED_ME,
        _TOLD_ASKED,
        _SHARE_TO_BARE if view.punctuated else _SHARE_TO_LOOSE,
    ):
        for m in pattern.finditer(norm):
            if pattern in (_SHARE_TO_BARE, _SHARE_TO_LOOSE):
                if not view.punctuated and not _time_just_before(view, m.start("verb")):
                    continue
                if rx(r"\b(?:i|we|he|she|they|who|and)\b").search(norm, m.start(), m.start("verb")):
                    continue
                m = _Span(m.start("verb"), m.end())
            if pattern is _TOLD_ASKED and (
                not _new_person(view, m.end(), subject_words)
                or (not m.group().rstrip().endswith("asked") and not any(a < m.start() for a, _ in found))
            ):
                continue
            sentence = view.sentence_start_before(m.start()) if view.punctuated else max(0, m.start() - 40)
            if any(sentence <= a < m.end() + 40 for a, _ in found) or _ACT_SKIP.search(
                norm, max(0, m.start() - 30), m.start()
            ):
                continue
            person = rx(_PERSON).search(
                norm, sentence if view.punctuated else max(0, m.start() - 100), m.start()
            )
            if pattern is _ASKED_ME and (
                _PRONOUN_BEFORE.search(norm, max(0, m.start() - 16), m.start()) or not person
            ):
                continue
            # In unpunctuated text the requester, named before the request, opens the event.
            at = person.start() if pattern is _ASKED_ME and not view.punctuated else m.start()
            found.append((at, m.end()))
            decisive.add(at)
    return sorted(found), decisive


def _time_just_before(view: TextView, at: int) -> bool:
    """Whether a clock time ends just before `at` ("quarter past three shared with...")."""
    times = find_mentions(view, max(0, at - 30), at, _ANY_DAY)
    return bool(times) and times[-1].kind == "clock" and not view.norm[times[-1].end : at].strip()


def _time_opened(view: TextView, at: int, prev_end: int) -> bool:
    """Whether the conversation at `at` opens its own sentence with a time ("Ten to four spoke his GP"),
    after the previous conversation's sentence: a fresh call in a terse note."""
    norm = view.norm
    if view.punctuated:
        sentence = view.sentence_start_before(at)
        if sentence <= prev_end or view.sentence_end_after(prev_end, at) >= at:
            return False
        # Something is told between the two calls: a sentence of its own, or more than the call's bare object.
        first_end = view.sentence_end_after(prev_end, at)
        if (
            view.sentence_end_after(first_end + 1, at) >= sentence
            and len(norm[prev_end:first_end].split()) <= 5
        ):
            return False
        times = find_mentions(view, sentence, at, _ANY_DAY)
        return (
            bool(times)
            and not rx(r"[^\s,]").search(_LEAD.sub(" ", norm[sentence : times[0].start]))
            and len(norm[sentence:at].split()) <= 8
        )
    if at - prev_end < 60:
        return False
    times = find_mentions(view, max(prev_end, at - 40), at, _ANY_DAY)
    between = norm[times[-1].end : at].split() if times else []
    return bool(times) and times[-1].kind == "clock" and len(between) <= 2 and "and" not in between


def _new_person(view: TextView, at: int, subject_words: frozenset[str]) -> bool:
    """Whether a title, rank or role, or a written name followed by ", the <role>", starts at `at`."""
    norm = view.norm
    if _FAMILY_OBJECT.match(norm, at) or rx(
        r"(?:my|our|his|her|their|him|them|it|if|whether|for|about|what|why|how)\b"
    ).match(norm, at):
        return False
    owner = rx(r"[\w-]+'s\s+").match(norm, at)
    if owner and rx(_PERSON).match(norm, owner.end()):
        return True
    obj = _OBJECT.match(norm, at - 1)
    if obj and obj.group(1) in subject_words:
        return False
    title = rx(alternation(_LEX["titles"] + _LEX["ranks"]) + r"\.?\s+").match(norm, at)
    person = rx(_PERSON).match(norm, at)
    if person and not title:
        return not re.search(r"\b" + re.escape(person.group()) + r"\b", norm[:at])
    word = rx(r"[\w'-]+").match(norm, title.end() if title else at)
    if word and re.search(r"\b" + re.escape(word.group()) + r"\b", norm[:at]):
        return False
    if person:
        return True
    if view.original == norm or not view.original[at].isupper():
        return False
    return bool(_NAME_THEN_ROLE.match(norm, at))


def _ran_contacts(view: TextView) -> list[re.Match[str]]:
    """Each "ran" that reads as a mis-heard "rang": followed by someone to ring, or by me/back/asking."""
    norm = view.norm
    found = []
    for m in _RAN.finditer(norm):
        nxt = re.compile(r"\s+").match(norm, m.end())
        at = nxt.end() if nxt else m.end()
        if (
            _RAN_OBJECT.match(norm, m.end())
            or rx(r"\s*" + _PERSON).match(norm, m.end())
            or (view.original != norm and at < len(norm) and view.original[at].isupper())
        ):
            found.append(m)
    return found


def _named_before(view: TextView, who: str, at: int, seen_from: int) -> bool:
    """Whether `who` at `at` reads as a name: capitalised as written, or named earlier in the event."""
    if view.original != view.norm:
        return view.original[at].isupper()
    return bool(rx(r"\b" + re.escape(who) + r"\b").search(view.norm, seen_from, at))


def _acts(
    view: TextView, start: int, end: int, subject_words: frozenset[str], seen_from: int | None = None
) -> list[tuple[int, int, str]]:
    """The sharing decisions told in [start, end): (start, end, kind), a request as kind 'asked'."""
    seen_from = start if seen_from is None else seen_from
    norm = view.norm
    acts = [(m.start(), m.end(), "withheld") for m in _WITHHELD.finditer(norm, start, end)]
    for m in _WITHHELD_ACT.finditer(norm, start, end):
        sentence = max(start, view.sentence_start_before(m.start()))
        subjects = _SUBJECT_WORD.findall(norm, sentence, m.start())
        # "Didn't tell him about mum's drinking.": the writer's, with no subject said.
        bare = view.punctuated and not norm[sentence : m.start()].strip(" ,\n")
        if (bare or (subjects and subjects[-1] in ("i", "we"))) and not any(
            a <= m.start() < b for a, b, _ in acts
        ):
            acts.append((m.start(), m.end(), "withheld"))
    for kind, pattern in _ACTS.items():
        for m in pattern.finditer(norm, start, end):
            who = m.groupdict().get("who")
            if (
                who
                and who not in ("he", "she", "they")
                and (
                    who in subject_words
                    or who in _KIN
                    or not name_like(who)
                    or not _named_before(view, who, m.start("who"), seen_from)
                )
            ):
                continue
            if who and _THAT_BEFORE.search(norm, max(0, m.start() - 8), m.start()):
                continue
            acts.append((m.start(), m.end(), kind))
    acts = [
        a
        for a in acts
        if not _ACT_SKIP.search(norm, max(0, a[0] - 30), a[0])
        and not (a[2] in ("shared", "withheld") and _to_family(norm, a[1], subject_words))
    ]
    return sorted(acts)


_TELL_VERB = rx(r"\s+(?:inform|tell|update|notify|let)\b")


def _to_family(norm: str, offset: int, subject_words: frozenset[str]) -> bool:
    """Whether the act at `offset` is addressed to the family or the subject ("didn't tell dad", "agreed
    not to inform the parents")."""
    verb = _TELL_VERB.match(norm, offset)
    offset = verb.end() if verb else offset
    obj = _OBJECT.match(norm, offset)
    if obj and obj.group(1) in ("him", "her", "them"):
        # "I told him ...": the one spoken to, whoever that is.
        return False
    return bool(_FAMILY_OBJECT.match(norm, offset)) or bool(obj and obj.group(1) in subject_words)


def _split_decisions(view: TextView, event: Event, subject_words: frozenset[str]) -> list[Event]:
    """The event cut where the conversation turns to another kind of decision (shared, then withheld...)."""
    cuts: list[tuple[int, int, int, str]] = []
    current = None
    pending = None
    for a_start, a_end, kind in _acts(view, event.anchor_start, event.end, subject_words, event.start):
        if kind == "asked":
            if current is not None and pending is None:
                pending = (a_start, a_end)
            continue
        if kind == "shared" and current == "withheld" and view.norm.endswith("told", a_start, a_end):
            # "I told her I'd pass on any cards": what follows a refusal to share is no new decision.
            continue
        if current is None:
            current = kind
        elif kind != current:
            at, at_end = pending or (a_start, a_end)
            floor = cuts[-1][0] if cuts else event.anchor_end
            start = max(view.sentence_start_before(at), floor) if view.punctuated else at
            if start > floor:
                cuts.append((start, at, at_end, kind))
                current = kind
        pending = None
    if not cuts:
        return [event]
    out = [replace(event, end=cuts[0][0])]
    for (start, at, at_end, kind), nxt in zip(cuts, [c[0] for c in cuts[1:]] + [event.end], strict=True):
        out.append(Event(start, nxt, at, at_end, event.contact, True, True, kind))
    return out


def _clause_start(view: TextView, anchor: int, floor: int) -> int:
    sentence = max(view.sentence_start_before(anchor), floor)
    window_start = max(sentence, view.words[max(0, view.word_index(anchor) - 14)].start if view.words else 0)
    cues = [m.start() for m in _CUE.finditer(view.norm, window_start, anchor)]
    if cues:
        opening = [c for c in cues if view.punctuated and not view.norm[sentence:c].strip(" ,\n")]
        if opening:
            return opening[0]
        if len(cues) > 1 and _MID_CLAUSE.search(view.norm, max(0, cues[-1] - 8), cues[-1]):
            return cues[-2]
        return cues[-1]
    if view.punctuated and anchor - sentence < 400:
        return sentence
    return window_start if window_start > floor else floor


def find_events(view: TextView, subject_words: frozenset[str] = frozenset()) -> list[Event]:
    """The memo's sharing events in order; none when the text tells of no sharing at all.

    A new event starts at a new conversation (a contact phrase, or a sharing act naming a new
    counterpart) and at a new kind of decision within one conversation; calls to the subject and
    call-backs to tell someone an earlier decision start none.
    """
    norm = view.norm
    anchors, decisive = _anchors(view, subject_words)
    info_starts = [m.start() for m in _INFO.finditer(norm)]
    groups: list[tuple[int, int]] = []
    for start, end in anchors:
        if groups:
            # A conversation opened by a sharing act ("I told Mrs Patel...") tells its information there.
            prev_act = groups[-1][0] in decisive
            i = bisect.bisect_left(info_starts, groups[-1][0] if prev_act else groups[-1][1])
            if (
                start not in decisive
                and (i >= len(info_starts) or info_starts[i] >= start)
                and not _time_opened(view, start, groups[-1][1])
            ):
                prev = groups[-1][0]
                if (
                    view.punctuated
                    and _WE_BEFORE.search(norm, max(0, start - 16), start)
                    and not _WE_BEFORE.search(norm, max(0, prev - 16), prev)
                    and view.sentence_end_after(prev, start) < start
                    and not rx(r"\b(?:me|us)\b").match(norm, groups[-1][1] + 1)
                ):
                    groups[-1] = (start, end)
                continue
        groups.append((start, end))
    contact = bool(groups)
    if not groups:
        found = [
            m
            for m in (
                _SHARE.search(norm),
                _INCOMING.search(norm),
                _ASK.search(norm),
                _CONSIDER.search(norm),
                _TOLD_MEETING.search(norm),
            )
            if m
        ]
        if not found:
            return []
        first = min(found, key=lambda m: m.start())
        groups = [(first.start(), first.end())]
    else:
        earlier = _SHARE.search(norm, 0, groups[0][0])
        if earlier and (
            view.sentence_end_after(earlier.end(), groups[0][0]) < groups[0][0]
            or _CUE.search(norm, earlier.end(), groups[0][0])
        ):
            groups.insert(0, (earlier.start(), earlier.end()))
    same = set()
    for m in _SAME_CALL.finditer(norm, groups[0][1]):
        if not any(a <= m.start() < b + 80 for a, b in groups):
            same.add(m.start())
    groups = sorted(groups + [(m, _SAME_CALL.match(norm, m).end()) for m in same])
    starts = [0]
    for (start, _), (_prev_start, prev_end) in zip(groups[1:], groups, strict=False):
        starts.append(_clause_start(view, start, prev_end))
    ends = starts[1:] + [len(norm)]
    events = []
    for s, e, (a, b) in zip(starts, ends, groups, strict=True):
        pronoun = (
            bool(events)
            and bool(_PRONOUN_BEFORE.search(norm, max(0, a - 16), a))
            and bool(_BACK.match(norm, b))
        )
        acts = (
            [k for *_, k in _acts(view, max(s, a - 16), e, subject_words) if k != "asked"] if pronoun else []
        )
        event = Event(s, e, a, b, contact, a in same or pronoun, pronoun, acts[0] if acts else None)
        events.extend(_split_decisions(view, event, subject_words))
    return events
