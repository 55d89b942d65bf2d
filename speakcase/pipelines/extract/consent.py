"""Consent, telling the family, advice sought, lawful bases and protocols, with negation and corrections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from speakcase.pipelines.extract.counterpart import Mention, name_like
from speakcase.pipelines.extract.text import TextView, resource, rx, trim

_C = resource("consent.json")
_KIN = set(resource("lexicon.json")["kin"])
_WORD = rx(_C["consent_word"])
_IGNORE = rx(_C["ignore_context"])
_NOT_SOUGHT = rx(_C["not_sought"])
_REFUSED = rx(_C["refused"])
_OBTAINED = rx(_C["obtained"])
_EXPLAIN = rx(_C["explanation_cue"])
_CORRECTION = rx(_C["correction"])
_DOES_NOT_WANT = rx(r"(?=\b(?:she|he|they|[\w']+)\s+(?:doesn't|does\s+not|didn't|did\s+not)\s+want\b)")
_ASR_POSSESSIVE = rx(r"\b([a-z]+?)s\s+(mum|mam|dad|mother|father|parents|nan|gran|carer|partner)\b")
_STOP = rx(resource("patterns.json")["reason_stop"])
_REASONS = {code: rx(p) for code, p in _C["reasons"].items()}
_FAMILY_TRUE = [rx(p) for p in _C["family_true"]]
_FAMILY_FALSE = [rx(p) for p in _C["family_false"]]
_ADVICE = {code: rx(p) for code, p in _C["advice"].items()}
_ADVICE_VERB = rx(_C["advice_verb"])
_ADVICE_BLOCK = rx(_C["advice_block"])
_BASES = {code: rx(p) for code, p in _C["lawful_basis"].items()}
_PROTOCOLS = {code: rx(p) for code, p in _C["protocols"].items()}
_WHO_AFTER = rx(
    r"\b(?:seek|sought|ask|asked|asking|get|got|request|requested|from)\s+(?P<who>(?:the\s+|his\s+|her\s+)?[\w']+(?:\s+[\w']+)?)"
)
_PRONOUNS = {"she", "he", "they", "her", "him", "them", "i"}
_SKIP = {
    "both",
    "also",
    "had",
    "has",
    "have",
    "already",
    "verbally",
    "then",
    "did",
    "clearly",
    "happily",
}


@dataclass(frozen=True)
class ConsentFound:
    """The consent position read from one event's text."""

    status: Mention | None
    """The statement that set the status, with the status code as text."""
    given_by: Mention | None
    """Who agreed, refused or would have been asked."""
    reasons: tuple[str, ...]
    """Reason codes stated."""
    explanation: Mention | None
    """The memo's words on why consent was not obtained."""


def _window(view: TextView, m: re.Match[str], start: int, end: int) -> tuple[int, int]:
    lo = max(
        start,
        view.sentence_start_before(m.start()),
        view.words[max(0, view.word_index(m.start()) - 10)].start,
    )
    hi = min(end, view.sentence_end_after(m.end()), view.advance_words(m.end(), 8))
    corrections = list(_CORRECTION.finditer(view.norm, lo, m.start()))
    if corrections:
        lo = corrections[-1].end()
    later = _CORRECTION.search(view.norm, m.end(), hi)
    return lo, later.start() if later else hi


def _statements(view: TextView, start: int, end: int) -> list[tuple[str, int, int, re.Match[str]]]:
    found = []
    for m in _WORD.finditer(view.norm, start, end):
        lo, hi = _window(view, m, start, end)
        near_start = view.words[max(0, view.word_index(m.start()) - 5)].start
        if _IGNORE.search(view.norm, max(lo, near_start), min(hi, view.advance_words(m.end(), 2))):
            continue
        for status, pattern in (("not_sought", _NOT_SOUGHT), ("refused", _REFUSED), ("obtained", _OBTAINED)):
            hits = list(pattern.finditer(view.norm, lo, hi))
            hit = min(hits, key=lambda h: abs(h.start() - m.start())) if hits else None
            if hit and (status != "obtained" or abs(hit.start() - m.start()) < 40):
                found.append((status, min(hit.start(), m.start()), max(hit.end(), m.end()), hit))
                break
    return found


def _noun_phrase_before(view: TextView, offset: int, floor: int) -> Mention | None:
    index = view.word_index(offset) - 1
    taken = []
    while index >= 0 and len(taken) < 5:
        word = view.words[index]
        gap = view.norm[word.end : taken[-1].start if taken else offset]
        if word.start < floor or re.search(r"[.;!?]", gap):
            break
        if "," in gap and taken:
            break
        if word.text in _SKIP and not taken:
            index -= 1
            continue
        base = word.text.removesuffix("'s")
        if base.endswith(("ed", "ing")) and base not in _KIN:
            break
        if not (
            name_like(base)
            or base in _KIN
            or word.text in ("and", "his", "her", "their", "the", "mr", "mrs", "ms", "miss")
        ):
            break
        taken.append(word)
        index -= 1
    while taken and taken[-1].text in ("and", "his", "her", "their", "the"):
        taken.pop()
    if not taken:
        return None
    return Mention(taken[-1].start, taken[0].end, view.original[taken[-1].start : taken[0].end], 0.7)


def _person(view: TextView, status: str, hit: re.Match[str], lo: int, subject: str | None) -> Mention | None:
    if status == "not_sought":
        who = _WHO_AFTER.search(view.norm, hit.start(), min(len(view.norm), hit.end() + 60))
        if who:
            s, e = who.span("who")
            text = re.sub(
                r"(?:'s|s')?(?:\s+(?:for|consent|permission)\b.*)?$", "", view.original[s:e], flags=re.I
            )
            return Mention(s, s + len(text), text, 0.8) if text.lower() not in ("for", "consent") else None
        return None
    person = _noun_phrase_before(view, hit.start(), lo)
    if person and person.text.lower() in _PRONOUNS or person is None:
        asked = list(rx(r"\basked\s+(?P<who>[\w']+(?:,?\s+[\w']+)?)").finditer(view.norm, lo, hit.start()))
        if asked:
            s, e = asked[-1].span("who")
            words = [w for w in re.split(r"[\s,]+", view.original[s:e]) if w]
            if words and words[0].lower() in _PRONOUNS and subject:
                return Mention(s, e, subject, 0.5)
            if len(words) > 1 and words[0].lower() in _KIN and name_like(words[1].lower()):
                return Mention(s, e, words[1], 0.8)
            return Mention(s, e, words[0], 0.6) if words else None
        return Mention(hit.start(), hit.end(), subject, 0.4) if subject else None
    return _strip_kin_apposition(view, person)


def _strip_kin_apposition(view: TextView, person: Mention) -> Mention:
    m = re.match(r"^(?:mum|mam|dad|mother|father)\s*,?\s+(\w+)$", person.text, re.I)
    if m and name_like(m.group(1).lower()):
        return Mention(person.start + m.start(1), person.end, m.group(1), 0.8)
    return person


def _explanation(
    view: TextView, status: str, span: tuple[int, int], lo: int, region: tuple[int, int]
) -> Mention | None:
    start, end = span
    region_start, region_end = region
    sentence_end = view.sentence_end_after(end, region_end)
    cue = _EXPLAIN.search(view.norm, end, min(sentence_end, view.advance_words(end, 12)))
    if cue is None and status == "not_sought":
        cues_before = list(_EXPLAIN.finditer(view.norm, lo, start))
        cue_before = cues_before[-1] if cues_before else None
        if cue_before:
            s, e, text = trim(view.original, cue_before.end(), start)
            text = re.sub(r"\s*\b(?:i|we)\s*$", "", text, flags=re.I)
            return Mention(s, s + len(text), text, 0.6) if text else None
    if status == "refused":
        cue = _DOES_NOT_WANT.search(view.norm, region_start, region_end) or cue
    if cue is None:
        return None
    stop = _STOP.search(view.norm, cue.end() + 1, sentence_end)
    s, e, text = trim(view.original, cue.end(), stop.start() if stop else sentence_end)
    return Mention(s, e, text, 0.7) if text else None


def find_consent(view: TextView, start: int, end: int, subject: str | None) -> ConsentFound:
    """The final consent position in [start, end): later statements and corrections win."""
    statements = _statements(view, start, end)
    if not statements:
        return ConsentFound(None, None, (), None)
    status, s, e, hit = statements[-1]
    lo = max(start, view.sentence_start_before(s))
    explanation = _explanation(view, status, (s, e), lo, (start, end)) if status != "obtained" else None
    reasons: tuple[str, ...] = ()
    if status != "obtained":
        scope = view.norm[
            min(s, explanation.start if explanation else s) : max(e, explanation.end if explanation else e)
        ]
        reasons = tuple(code for code, pattern in _REASONS.items() if pattern.search(scope))
        if not reasons and status == "not_sought" and explanation:
            reasons = ("other",)
    person = _person(view, status, hit, lo, subject)
    return ConsentFound(Mention(s, e, status, 0.8), _possessive(person), reasons, explanation)


def _possessive(person: Mention | None) -> Mention | None:
    """Put back the apostrophe a speech recogniser dropped ("kaylas mum", "mums") in a person's words."""
    if person is None or "'" in person.text:
        return person
    text = _ASR_POSSESSIVE.sub(r"\1's \2", person.text)
    words = text.split()
    if len(words) == 1 and words[0].lower() in {k + "s" for k in _KIN}:
        text = words[0][:-1]
    return Mention(person.start, person.end, text, person.strength)


def family_informed(view: TextView, start: int, end: int) -> tuple[bool | None, Mention | None]:
    """Whether the memo says the family was (or will be) told; a negative statement wins."""
    for value, patterns in ((False, _FAMILY_FALSE), (True, _FAMILY_TRUE)):
        for pattern in patterns:
            m = pattern.search(view.norm, start, end)
            if m:
                return value, Mention(m.start(), m.end(), view.original[m.start() : m.end()], 0.7)
    return None, None


def advice_sought(view: TextView, start: int, end: int) -> list[Mention]:
    """Advice codes for whom the practitioner consulted before deciding (not escalations after)."""
    found = []
    for code, pattern in _ADVICE.items():
        for m in pattern.finditer(view.norm, start, end):
            lo = max(start, view.sentence_start_before(m.start()), m.start() - 80)
            hi = min(end, view.sentence_end_after(m.end()), m.end() + 60)
            if _ADVICE_VERB.search(view.norm, lo, hi) and not _ADVICE_BLOCK.search(view.norm, lo, hi):
                found.append(Mention(m.start(), m.end(), code, 0.75))
                break
    return found


def coded_mentions(view: TextView, start: int, end: int, table: str) -> list[Mention]:
    """Codes from the `lawful_basis` or `protocols` table found in [start, end)."""
    patterns = _BASES if table == "lawful_basis" else _PROTOCOLS
    found = []
    for code, pattern in patterns.items():
        m = pattern.search(view.norm, start, end)
        if m:
            found.append(Mention(m.start(), m.end(), code, 0.85))
    return sorted(found, key=lambda f: f.start)
