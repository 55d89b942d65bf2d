"""Split a memo into sharing events: one region of text per conversation, in the order told."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from speakcase.pipelines.extract.text import TextView, resource, rx

_P = resource("patterns.json")
_CONTACT = rx(_P["contact"])
_BLOCKED = rx(_P["contact_blocked_before"])
_FAMILY_OBJECT = rx(_P["contact_family_object"])
_CUE = rx(_P["event_cue"])
_INFO = rx(_P["info_verb"])
_SHARE = rx(_P["share_verb"])
_INCOMING = rx(_P["incoming"])
_ASK = rx(_P["ask_verb"])
_CALLED_BEFORE = rx(_P["called_ok_before"])
_CALLED_AFTER = rx(_P["called_ok_after"])
_CONSIDER = rx(_P["consider_verb"])
_SAME_CALL = rx(_P["same_call"])
_MID_CLAUSE = rx(r"\b(?:i|we|i've|we've|i\s+have|we\s+have)\s+$")


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


def _anchors(view: TextView) -> list[tuple[int, int]]:
    norm = view.norm
    found = []
    for m in _CONTACT.finditer(norm):
        before = norm[max(0, m.start() - 24) : m.start()]
        if _BLOCKED.search(before):
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
    return found


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


def find_events(view: TextView) -> list[Event]:
    """The memo's sharing events in order; none when the text tells of no sharing at all."""
    norm = view.norm
    anchors = _anchors(view)
    info_starts = [m.start() for m in _INFO.finditer(norm)]
    groups: list[tuple[int, int]] = []
    for start, end in anchors:
        if groups:
            i = bisect.bisect_left(info_starts, groups[-1][1])
            if i >= len(info_starts) or info_starts[i] >= start:
                continue
        groups.append((start, end))
    contact = bool(groups)
    if not groups:
        found = [
            m
            for m in (_SHARE.search(norm), _INCOMING.search(norm), _ASK.search(norm), _CONSIDER.search(norm))
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
    return [Event(s, e, a, b, contact, a in same) for s, e, (a, b) in zip(starts, ends, groups, strict=True)]
