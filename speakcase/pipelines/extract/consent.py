"""Consent, telling the family, advice sought, lawful bases and protocols, with negation and corrections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from speakcase.pipelines.extract.counterpart import Mention, name_like
from speakcase.pipelines.extract.fields import unpunctuated_clause_end
from speakcase.pipelines.extract.text import TextView, resource, rx, trim

_C = resource("consent.json")
_KIN = set(resource("lexicon.json")["kin"])
_WORD = rx(_C["consent_word"])
_IGNORE = rx(_C["ignore_context"])
_NOT_SOUGHT = rx(_C["not_sought"])
_REFUSED = rx(_C["refused"])
_OBTAINED = rx(_C["obtained"])
_EXPLAIN = rx(_C["explanation_cue"])
_FAMILY_OBTAINED = rx(r"\b(?:" + "|".join(_C["family_obtained"]) + r")")
_FAMILY_REFUSED = rx(r"\b(?:" + "|".join(_C["family_refused"]) + r")")
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
    r"\b(?:seek|sought|ask|asked|asking|get|got|request|requested|from|need|needed|tell|told|telling|inform|informing)"
    r"\s+(?:from\s+)?(?P<who>(?:the\s+|his\s+|her\s+|their\s+)?[\w'-]+(?:\s+[\w'-]+)?)"
)
_KIN_PHRASE = rx(
    r"\b(?:(?:his|her|their|the|[\w'-]+'s)\s+)?(?:" + "|".join(sorted(_KIN, key=len, reverse=True)) + r")\b"
)
_CAPACITY_WHO = rx(
    r"\b(?P<who>[\w'-]+(?:'s\s+[\w'-]+)?)\s+(?:lacks|doesn't\s+have|does\s+not\s+have|hasn't\s+got|has\s+no|lacked|didn't\s+have)"
    r"\s+(?:the\s+)?(?:mental\s+)?capacity\b"
)
_CONTRACTIONS = {
    w + "t"
    for w in (
        "doesn",
        "didn",
        "hasn",
        "hadn",
        "wasn",
        "isn",
        "won",
        "wouldn",
        "couldn",
        "haven",
        "don",
        "can",
    )
}
_NEED_NOT = rx(r"\b(?:didn't|did\s+not|don't|do\s+not|doesn't|does\s+not|no)\s+need\b")
_CLAUSE_OPEN = rx(r"\s*(?:,|;|\.|-|erm\b|um\b|uh\b|well\b|\s)*")
_REFUSAL_WHY = rx(
    r"(?:she|he|they|[\w'-]+)(?:'s|'re|\s+is|\s+was|\s+were|\s+are)?\s+(?:really\s+|very\s+|quite\s+)?"
    r"(?:worried|scared|afraid|frightened|anxious|concerned|embarrassed|doesn't\s+want|does\s+not\s+want|"
    r"didn't\s+want|don't\s+want|thinks|thought|feels|felt|believes|says|said|doesn't\s+trust|does\s+not\s+trust|"
    r"doesn't\s+see|sees\s+no)\b"
)
_PRONOUNS = {"she", "he", "they", "her", "him", "them", "i"}
_KIN_WORDS = "|".join(re.escape(k) for k in sorted(_KIN, key=len, reverse=True))
_PROFESSIONAL_BEFORE = rx(
    r"\b(?:school|schools|nursery|college|police|gp|staff|teachers?|the\s+\w+\s+team|agency|agencies|housing|probation|"
    r"employer|jobcentre|landlord|neighbours?|the\s+(?:ward|hospital|practice|council))\s+(?:\w+\s+)?$"
)
_ASKED_CONSENT = rx(
    r"\b(?:consent\w*|permission|agree\w*|okay|ok|happy|mind|objection|asked\s+(?:[\w'-]+\s+){0,3}?(?:if|whether))\b"
    r"|\bsaid\s+(?:yes|no)\s+to\s+(?:me|us|my|our|the|it|that|this|sharing|passing|telling)\b"
    r"|\b(?:asked|checked\s+with)\s+(?!(?:me|us|for|about|to|if|whether|what|why|how|when|where|them|him|her)\b)[\w'-]+"
    r"(?=\s*(?:[,.;]|this\b|today\b|yesterday\b|first\b|again\b|$))"
    r"|\bwhen\s+(?:i|we)\s+(?:asked|spoke\s+to|checked\s+with)\b|\basked\s+(?:him|her|them)\b(?!\s+(?:for|about|to)\b)"
)
_PROFESSIONAL_AGREED = rx(
    r"\b(?:manager|supervisor|senior|team|officer|guardian|dpo|lead|colleague|head|consultant|doctor|gp|police)\b"
    r"(?:\s+(?!and\b)[\w']+){0,3}?\s*,?\s*"
    r"(?:who|and\s+(?:she|he|they)|(?:she|he|they))\s+(?:also\s+|both\s+|fully\s+)?agreed\b"
    r"|\b(?:manager|supervisor|senior|leader|officer|guardian|dpo|lead|colleague|consultant|doctor|gp|police|legal|"
    r"solicitor)\b\s*,?(?:\s+(?!(?:and|mum|dad|she|he|they|i|we)\b)[\w']+){0,2}\s*,?\s+(?:also\s+|both\s+|fully\s+)?"
    r"agreed\b"
)
_PASSIVE = rx(
    r"^(?:(?:wasn't|was\s+not|weren't|were\s+not|(?:hasn't|has\s+not|haven't|have\s+not|hadn't|had\s+not)\s+been"
    r"|couldn't\s+be|could\s+not\s+be|can't\s+be|cannot\s+be)\s+(?:\w+\s+)?asked"
    r"|(?:not|\w+n't)\s+in\s+a|(?:unable|not\s+able|too\s+\w+)\s+to|(?:couldn't|could\s+not|can't|cannot)\s+(?:consent|give)"
    r"|(?:lacks?|lacked|lacking|(?:doesn't|does\s+not|didn't|did\s+not)\s+have|hasn't\s+got|has\s+no)\s+(?:the\s+)?"
    r"(?:mental\s+)?capacity)"
)
_MALE = {
    "dad",
    "daddy",
    "father",
    "stepfather",
    "stepdad",
    "uncle",
    "grandad",
    "granddad",
    "grandpa",
    "grandfather",
    "brother",
    "half brother",
    "son",
    "nephew",
    "stepson",
    "husband",
    "boyfriend",
    "ex husband",
}
_FEMALE = {
    "mum",
    "mam",
    "mom",
    "mummy",
    "mother",
    "stepmum",
    "stepmother",
    "aunt",
    "auntie",
    "aunty",
    "nan",
    "nana",
    "nanna",
    "gran",
    "granny",
    "grandma",
    "grandmother",
    "sister",
    "half sister",
    "daughter",
    "niece",
    "stepdaughter",
    "wife",
    "girlfriend",
    "ex wife",
}
_OVERRIDE = rx(_C["override"])
_OWN_ACT = rx(
    r"\b(?:i|we)\s+(?:discussed|rang|phoned|called|spoke|checked|emailed|sent|ran|run|consulted|went|will|shall)\b"
    r"|\b(?:so\s+yeah|anyway)\b|\blawful\s+basis\b|\bwill\s+(?:tell|let|inform|ring|call|speak|update)\b"
)
_INCAPABLE = rx(
    r"(?:lacks?|lacked|lacking|(?:doesn't|does\s+not|didn't|did\s+not)\s+have|hasn't\s+got|has\s+no)\s+(?:the\s+)?"
    r"(?:mental\s+)?capacity|(?:not|\w+n't)\s+in\s+a\s+(?:fit\s+)?(?:state|position)|(?:unable|not\s+able|too\s+\w+)\s+to"
)
_AT_RISK = rx(
    r"\b(?:at\s+(?:\w+\s+)?risk|risk\s+to\s+(?:his|her|their)\s+life|(?:his|her|their)\s+life'?s\s+at\s+risk"
    r"|risk\s+of\s+(?:serious\s+)?harm)\b"
)
_ELSEWHERE = rx(
    r"\b(?:they|he|she|you|them)\s+(?:can|could|should|would\s+need\s+to|need\s+to|will\s+have\s+to)\s+"
    r"(?:go|come|refer)\s+(?:through|via|to)\s+the\s+$"
)
_SELF_BEFORE = rx(r"\b(?:i|we)\s+(?:really\s+|also\s+|just\s+)?$")
_SELF_OK = rx(r"(?:didn't|did|hadn't|had|haven't|have|never|without|asked)\b")
_HEDGE_BEFORE = rx(
    r"\b(?:i\s+think|i\s+believe|i\s+assume|i'm\s+not\s+sure|not\s+sure\s+(?:if|whether)|i\s+can't\s+remember)\b"
)
_HEDGE_AFTER = rx(
    r"\b(?:need\s+to|needs\s+to|'d\s+need\s+to|have\s+to|will|i'll|must)\s+(?:double\s+)?(?:check|confirm|verify)\b"
    r"|\bnot\s+(?:sure|certain)\b|\bcan't\s+remember\b"
)
_NOT_ASKED_NAMED = rx(
    r"\b(?:didn't|did\s+not|hadn't|had\s+not|haven't|have\s+not|never|without)\s+(?:ask|asked|asking)\s+"
    r"(?P<who>[\w'-]+)(?:\s+(?:myself|directly|personally|yet))?"
    r"(?:\s+(?:first|beforehand|for\s+(?:her|his|their)\s+(?:consent|permission)))?"
    r"(?:\s*,?\s*(?:to\s+be\s+honest|if\s+i'm\s+honest|i\s+admit|though|either))?"
    r"(?=\s*(?:[,.;]|$|because\b|as\b|since\b|before\b)"
    r"|\s+(?:he|she|they|there|we|it|it's|there's|that|he's|she's|they're)\s"
    r"|\s+[\w'-]+\s+(?:lives|is|was|has|had|would|could|might|'s)\s)"
)
_CLAUSE_VERBS = frozenset(
    "said says agreed agrees didn't doesn't did does was is has had asked told wants wanted consented "
    "refused declined knows understood understands gave signed".split()
)
_POSSESSIVE_CONSENT = rx(
    r"(?P<who>(?:(?:his|her|their|the|[\w'-]+'s)\s+)?[\w'-]+?)(?:'s|s')\s+(?:written\s+|verbal\s+)?"
    r"(?:consent|permission|agreement)\b"
)
_CONTACT_BEFORE = rx(r"\b(?:rang|phoned|called|spoke\s+(?:to|with)|emailed|contacted)\b")
_SKIP = {
    "was",
    "is",
    "were",
    "been",
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
    "perfectly",
    "absolutely",
    "totally",
    "really",
    "quite",
    "all",
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


def _statements(
    view: TextView, start: int, end: int, subject: str | None = None
) -> list[tuple[str, int, int, re.Match[str]]]:
    found = []
    words = _WORD.finditer(view.norm, start, end)
    named = [m for m in _NOT_ASKED_NAMED.finditer(view.norm, start, end) if _names_family(view, m, subject)]
    for m in sorted([*words, *named], key=lambda w: w.start()):
        lo, hi = _window(view, m, start, end)
        if m.group().startswith("asked") and not _asker_is_family(view, m, subject):
            continue
        if not _SELF_OK.match(m.group()) and _SELF_BEFORE.search(
            view.norm, max(lo, m.start() - 20), m.start()
        ):
            continue
        if re.match(r"(?:refused|declined|objected)\b", m.group()) and not _asker_is_family(view, m, subject):
            continue
        if re.match(
            r"said\s+(?:no|yes)\b|refused|declined|objected", m.group()
        ) and not _ASKED_CONSENT.search(
            view.norm, max(start, view.sentence_start_before(m.start()) - 200), min(end, hi + 60)
        ):
            continue
        if _PROFESSIONAL_AGREED.search(view.norm, max(lo, m.start() - 80), m.end()):
            continue
        near_start = view.words[max(0, view.word_index(m.start()) - 5)].start
        if not view.punctuated:
            own = list(rx(r"\b(?:i|we)\b").finditer(view.norm, near_start, m.start()))
            near_start = own[-1].start() if own else near_start
        if _IGNORE.search(view.norm, max(lo, near_start), min(hi, view.advance_words(m.end(), 2))) and not (
            _NEED_NOT.search(view.norm, max(lo, near_start), m.end())
        ):
            continue
        for status, pattern in (("not_sought", _NOT_SOUGHT), ("refused", _REFUSED), ("obtained", _OBTAINED)):
            hits = list(pattern.finditer(view.norm, lo, hi))
            hit = min(hits, key=lambda h: abs(h.start() - m.start())) if hits else None
            if hit and (status != "obtained" or abs(hit.start() - m.start()) < 40):
                if found and found[-1][3].start() == hit.start() and found[-1][0] == status:
                    break
                found.append((status, min(hit.start(), m.start()), max(hit.end(), m.end()), hit))
                break
    taken = {h[1] for h in found} | {h[3].start() for h in found}
    for status, pattern in (("refused", _FAMILY_REFUSED), ("obtained", _FAMILY_OBTAINED)):
        for m in pattern.finditer(view.norm, start, end):
            if m.start() in taken or any(h[1] <= m.start() < h[2] for h in found):
                continue
            named = _noun_phrase_before(view, m.start(), max(0, m.start() - 80))
            if named is None or named.text.lower() in _PRONOUNS or not _asker_is_family(view, m, subject):
                continue
            lo = max(start, view.sentence_start_before(m.start()))
            if _PROFESSIONAL_AGREED.search(view.norm, max(lo, m.start() - 80), m.end()):
                continue
            found.append((status, m.start(), m.end(), m))
            taken.add(m.start())
    found.sort(key=lambda h: h[1])
    return found


def _names_family(view: TextView, m: re.Match[str], subject: str | None) -> bool:
    """Whether the person not asked ("I didn't ask Min-ji first") is the subject or named like a person."""
    who = m.group("who").removesuffix("'s")
    cased = view.original != view.norm
    if subject and who in subject.lower().replace("-", " ").split() + [subject.lower().split()[0]]:
        return True
    return name_like(who) and (not cased or view.original[m.start("who")].isupper())


def _asker_is_family(view: TextView, m: re.Match[str], subject: str | None) -> bool:
    """Whether the one who 'asked me to ring' is a relative or the subject, not the professional."""
    person = _noun_phrase_before(view, m.start(), max(0, m.start() - 80))
    pronoun = _pronoun_before(view, m.start(), max(0, m.start() - 80))
    if person is None and pronoun is not None:
        person = _nearest_person(view, pronoun, None)
    if person is None:
        return False
    words = set(person.text.lower().replace("'s", " ").replace("-", " ").split())
    if words & _KIN or (subject and words & set(subject.lower().replace("-", " ").split())):
        return True
    name = person.text.lower().split()[-1]
    return re.search(rf"\b(?:{_KIN_WORDS})\s*,?\s+{re.escape(name)}\b", view.norm) is not None


def _noun_phrase_before(view: TextView, offset: int, floor: int) -> Mention | None:
    index = view.word_index(offset) - 1
    cased = view.original != view.norm
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
            (name_like(base) and (not cased or view.original[word.start].isupper()))
            or base in _KIN
            or word.text in ("and", "his", "her", "their", "the", "mr", "mrs", "ms", "miss")
        ):
            break
        taken.append(word)
        index -= 1
    while taken and taken[-1].text in ("and", "his", "her", "their", "the"):
        taken.pop()
    while taken and taken[0].text == "and":
        taken.pop(0)
    if not taken:
        return None
    return Mention(taken[-1].start, taken[0].end, view.original[taken[-1].start : taken[0].end], 0.7)


def _person(view: TextView, status: str, hit: re.Match[str], lo: int, subject: str | None) -> Mention | None:
    if status == "not_sought" and _PASSIVE.search(hit.group()):
        before = _noun_phrase_before(view, hit.start(), lo)
        if before is not None and before.text.lower() not in _PRONOUNS:
            return _kin_tail(view, _strip_kin_apposition(view, before))
        pronoun = _pronoun_before(view, hit.start(), lo)
        return _nearest_person(view, pronoun, subject) if pronoun is not None else None
    if status == "not_sought":
        stop = min(len(view.norm), hit.end() + 60, view.sentence_end_after(hit.end()))
        who = _WHO_AFTER.search(view.norm, hit.start(), stop)
        if who:
            s, e = who.span("who")
            text = re.sub(
                r"(?:'s|')?(?:\s+(?:for|consent|permission|about|that|because|as|first|before|beforehand)\b.*)?$",
                "",
                view.original[s:e],
                flags=re.I,
            )
            words = text.split()
            if len(words) > 1 and words[-1].lower() in _PRONOUNS | {"we", "it", "was", "were"}:
                text = " ".join(words[:-1])
            kept = []
            for word in text.split():
                low = re.sub(r"[^\w'-]", "", word.lower()).replace("'s", "").rstrip("'")
                if low in _CONTRACTIONS or not (
                    low in _KIN
                    or low in ("the", "his", "her", "their", "mr", "mrs", "ms", "miss", "either", "both")
                    or name_like(low)
                    or low in _PRONOUNS
                ):
                    break
                kept.append(word)
            text = " ".join(kept)
            if not text:
                return None
            if text.lower() in _PRONOUNS:
                return _antecedent(view, s, subject)
            after = view.norm[s + len(text) : s + len(text) + 14]
            if (
                not view.punctuated
                and len(text.split()) == 1
                and text.lower().endswith("s")
                and text.lower() not in _KIN
                and re.match(r"\s+(?:consent|permission|agreement)\b", after)
                and name_like(text.lower()[:-1])
            ):
                text = text[:-1]
            return Mention(s, s + len(text), text, 0.8) if text.lower() not in ("for", "consent") else None
        return None
    person = _noun_phrase_before(view, hit.start(), lo)
    if person and person.text.lower() in _PRONOUNS or person is None:
        asked = [
            a
            for a in rx(r"\b(?:asked|ask)\s+(?P<who>[\w']+(?:,?\s+[\w']+)?)").finditer(
                view.norm, lo, hit.start()
            )
            if a.group("who").split()[0]
            not in (
                "that",
                "if",
                "whether",
                "me",
                "us",
                "for",
                "about",
                "to",
                "on",
                "at",
                "in",
                "by",
                "this",
                "last",
            )
        ]
        pronoun = person.start if person is not None else _pronoun_before(view, hit.start(), lo)
        if not asked and pronoun is not None:
            return _nearest_person(view, pronoun, subject)
        if asked:
            s, e = asked[-1].span("who")
            words = [w for w in re.split(r"[\s,]+", view.original[s:e]) if w]
            if len(words) > 1 and words[0].lower() in ("her", "his", "their") and words[1].lower() in _KIN:
                return Mention(s, s + len(" ".join(words[:2])), " ".join(words[:2]), 0.7)
            if words and words[0].lower() in _PRONOUNS and subject:
                near = _nearest_person(view, s, subject)
                if near is not None and near.start != near.end:
                    return near
                return Mention(s, e, subject, 0.5)
            if len(words) > 1 and words[0].lower() in _KIN and name_like(words[1].lower()):
                return Mention(s, e, words[1], 0.8)
            return Mention(s, e, words[0], 0.6) if words else None
        return Mention(hit.start(), hit.end(), subject, 0.4) if subject else None
    return _kin_tail(view, _strip_kin_apposition(view, person))


def _kin_tail(view: TextView, person: Mention) -> Mention:
    """A relative word ending a run of unpunctuated words ("safety check dad") stands alone."""
    words = person.text.split()
    if len(words) < 2 or words[-1].lower() not in _KIN or "and" in (w.lower() for w in words):
        return person
    keep = 1
    before = words[-2].lower()
    if before in ("his", "her", "their", "the") or before.endswith("'s") or before in _KIN:
        keep = 2
    elif not view.punctuated and before.endswith("s") and name_like(before[:-1]):
        keep = 2
    text = " ".join(words[-keep:])
    return Mention(person.end - len(text), person.end, text, person.strength)


def _strip_kin_apposition(view: TextView, person: Mention) -> Mention:
    m = re.match(
        rf"^(?:(?:his|her|their|[\w'-]+'s|[\w-]+s)\s+)?(?:{_KIN_WORDS})\s*,?\s+([\w-]+)$", person.text, re.I
    )
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
        near = max(lo, view.words[max(0, view.word_index(start) - 12)].start)
        cues_before = list(_EXPLAIN.finditer(view.norm, near, start))
        cue_before = cues_before[-1] if cues_before else None
        if cue_before:
            s, e, text = trim(view.original, cue_before.end(), start)
            text = re.sub(r"\s*\b(?:i|we)\s*$", "", text, flags=re.I)
            return Mention(s, s + len(text), text, 0.6) if text else None
    if status == "refused":
        override = _OVERRIDE.search(view.norm, end, region_end)
        if override is not None:
            why = _override_reason(view, end, override, region_end)
            if why is not None:
                return why
        wants = _DOES_NOT_WANT.search(view.norm, region_start, region_end)
        if wants is not None and (cue is None or wants.start() >= view.sentence_start_before(start)):
            cue = wants
    if cue is None:
        return _clause_after(view, status, end, sentence_end, region_end)
    sentence_end = unpunctuated_clause_end(view, cue.end(), sentence_end)
    stop = _STOP.search(view.norm, cue.end() + 1, sentence_end)
    if not view.punctuated:
        own = _OWN_ACT.search(
            view.norm, view.advance_words(cue.end(), 3), stop.start() if stop else sentence_end
        )
        stop = own or stop
    s, e, text = trim(view.original, cue.end(), stop.start() if stop else sentence_end)
    return Mention(s, e, text, 0.7) if text else None


def _override_reason(view: TextView, end: int, override: re.Match[str], region_end: int) -> Mention | None:
    """Why sharing went ahead over a refusal: 'anyway, because...', or a 'but...' before 'so I went ahead'."""
    norm = view.norm
    sentence_end = view.sentence_end_after(override.end(), region_end)
    after = rx(r"\s*(?:,\s*|\s)?(?:(?:because|as|since|given\s+that)\b|,)").match(norm, override.end())
    why = _clause_from(view, after.end(), sentence_end) if after is not None else None
    if why is not None:
        return why
    buts = list(rx(r"\bbut\b").finditer(norm, max(end, override.start() - 200), override.start()))
    if buts:
        close = rx(r",?\s*(?:so|and)\s+(?:i|we)\b[^.]*$").search(norm, buts[-1].end(), override.start())
        s, e, text = trim(view.original, buts[-1].end(), close.start() if close else override.start())
        if text and len(text.split()) >= 3:
            return Mention(s, e, text, 0.6)
    if not view.punctuated:
        return _clause_from(view, override.end(), sentence_end)
    return None


def _clause_from(view: TextView, begin: int, sentence_end: int) -> Mention | None:
    clause_end = unpunctuated_clause_end(view, begin, sentence_end)
    stop = _STOP.search(view.norm, begin + 1, clause_end)
    if not view.punctuated:
        own = _OWN_ACT.search(view.norm, view.advance_words(begin, 3), stop.start() if stop else clause_end)
        stop = own or stop
    s, e, text = trim(view.original, begin, stop.start() if stop else clause_end)
    return Mention(s, e, text, 0.6) if text and len(text.split()) >= 3 else None


def _clause_after(
    view: TextView, status: str, end: int, sentence_end: int, region_end: int
) -> Mention | None:
    """The justification said right after the statement without a cue ("no consent sought, no time")."""
    norm = view.norm
    comma = norm.find(",", end, sentence_end)
    if comma != -1:
        begin = comma + 1
    elif sentence_end < region_end and view.punctuated:
        begin = sentence_end + 1
    else:
        begin = end
    begin += _CLAUSE_OPEN.match(norm, begin).end() - begin
    lead = rx(r"for\s+(?:(?:his|her|their|the)\s+)?(?:consent|permission|agreement)\b\s*").match(norm, begin)
    begin = lead.end() if lead else begin
    clause_end = view.sentence_end_after(begin + 1, region_end)
    clause_end = min(clause_end, view.advance_words(begin, 25))
    clause_end = unpunctuated_clause_end(view, begin, clause_end)
    stop = _STOP.search(norm, begin, clause_end)
    if stop is not None and stop.start() <= begin + 1:
        return None
    clause_end = stop.start() if stop else clause_end
    clause = norm[begin:clause_end]
    if status == "refused":
        ok = _REFUSAL_WHY.match(clause) is not None
    else:
        ok = (
            any(p.search(clause) for p in _REASONS.values())
            or _AT_RISK.search(clause) is not None
            or (comma != -1 and begin - end < 60)
        )
    if not ok or rx(
        r"(?:and|but|so|then|which|who|i'll|we'll|i\s+will|we\s+will|mum\s+knows|they\s+know)\b"
    ).match(clause):
        return None
    s, e, text = trim(view.original, begin, clause_end)
    return Mention(s, e, text, 0.55) if text and len(text.split()) >= 2 else None


def _pronoun_before(view: TextView, offset: int, floor: int) -> int | None:
    """Where the subject pronoun right before a consent verb starts ("she didn't want"), if there is one."""
    index = view.word_index(offset) - 1
    while (
        index >= 0
        and view.words[index].start >= floor
        and view.words[index].text in _SKIP | {"also", "really"}
    ):
        index -= 1
    if (
        index >= 0
        and view.words[index].start >= floor
        and re.sub(r"'(?:s|d|ve|ll|re)$", "", view.words[index].text) in ("she", "he", "they")
    ):
        return view.words[index].start
    return None


def _nearest_person(view: TextView, offset: int, subject: str | None) -> Mention | None:
    """The relative or named person a pronoun most likely stands for: the nearest one said before it."""
    cased = view.original != view.norm
    index = view.word_index(offset) - 1
    pronoun = view.norm[offset : offset + 4].split()[0] if view.norm[offset : offset + 4].strip() else ""
    pronoun = {"her": "she", "him": "he"}.get(pronoun, pronoun)
    floor = max(0, index - 40)
    while index >= floor:
        word = view.words[index]
        base = word.text.removesuffix("'s")
        if not view.punctuated and base not in _KIN and base.endswith("s") and base[:-1] in _KIN:
            base = base[:-1]
        if base in _KIN and base in (_FEMALE if pronoun == "he" else _MALE if pronoun == "she" else ()):
            index -= 1
            continue
        if base in _KIN:
            kin = list(_KIN_PHRASE.finditer(view.norm, max(0, word.start - 30), word.end))
            m = kin[-1] if kin else None
            if m is not None and m.end() == word.end:
                return Mention(m.start(), m.end(), view.original[m.start() : m.end()], 0.6)
            text = view.original[word.start : word.start + len(base)]
            return Mention(word.start, word.start + len(text), text, 0.6)
        titled = index > 0 and view.words[index - 1].text in ("mr", "mrs", "ms", "miss")
        titled = titled or (index + 1 < len(view.words) and view.words[index + 1].text in _CLAUSE_VERBS)
        known = subject is not None and base in subject.lower().replace("-", " ").split()
        if name_like(base) and (not cased or view.original[word.start].isupper()) and (titled or known):
            kin_before = {w.text for w in view.words[max(0, index - 3) : index]}
            if kin_before & (_FEMALE if pronoun == "he" else _MALE if pronoun == "she" else set()):
                index -= 1
                continue
            has_title = index > 0 and view.words[index - 1].text in ("mr", "mrs", "ms", "miss")
            begin = view.words[index - 1].start if has_title else word.start
            if known and not titled and view.punctuated:
                kin = _kin_in_sentence(view, word.start, offset, pronoun)
                if kin is not None:
                    return kin
            return Mention(begin, word.end, view.original[begin : word.end], 0.55)
        index -= 1
    return Mention(offset, offset, subject, 0.4) if subject else None


def _kin_in_sentence(view: TextView, start: int, offset: int, pronoun: str) -> Mention | None:
    """A relative named earlier in the sentence than the subject the pronoun would otherwise stand for."""
    floor = max(view.sentence_start_before(start), start - 120)
    found = None
    for m in _KIN_PHRASE.finditer(view.norm, floor, start):
        base = m.group().split()[-1]
        if base not in (_FEMALE if pronoun == "he" else _MALE if pronoun == "she" else ()):
            found = m
    if found is None:
        return None
    text = re.sub(r"'s$", "", view.original[found.start() : found.end()])
    return Mention(found.start(), found.start() + len(text), text, 0.55)


def _antecedent(view: TextView, offset: int, subject: str | None) -> Mention | None:
    """The family member a pronoun ("I haven't asked her") most likely stands for, else the subject."""
    found = None
    for m in _KIN_PHRASE.finditer(view.norm, max(0, offset - 200), offset):
        first = m.group().split()[0]
        if (
            len(m.group().split()) > 1
            and first.endswith("s")
            and "'" not in first
            and not name_like(first[:-1])
        ):
            continue
        found = m
    if found is not None:
        return Mention(found.start(), found.end(), view.original[found.start() : found.end()], 0.6)
    return Mention(offset, offset, subject, 0.4) if subject else None


def _possessive_person(view: TextView, lo: int, hi: int) -> Mention | None:
    """Whose consent it was, said as a possessive ("Parents' consent wasn't needed", "mum's consent")."""
    for m in _POSSESSIVE_CONSENT.finditer(view.norm, lo, hi):
        s, e = m.span("who")
        text = view.original[s:e]
        base = text.split()[-1].lower()
        if base in _KIN or base + "s" in _KIN or name_like(base):
            plural = view.norm[e : e + 2] == "s'" or (view.norm[e : e + 1] == "s" and base + "s" in _KIN)
            return Mention(s, e + (1 if plural else 0), text + ("s" if plural else ""), 0.6)
    return None


def _capacity_person(view: TextView, explanation: Mention | None) -> Mention | None:
    """Who lacks capacity, when the explanation says so ("Gloria doesn't have capacity")."""
    if explanation is None:
        return None
    m = _CAPACITY_WHO.search(view.norm, explanation.start, explanation.end)
    if m is None or m.group("who") in _PRONOUNS or m.group("who") in ("who", "that", "it"):
        return None
    s, e = m.span("who")
    return Mention(s, e, view.original[s:e], 0.7)


def find_consent(view: TextView, start: int, end: int, subject: str | None) -> ConsentFound:
    """The final consent position in [start, end): later statements and corrections win."""
    statements = _statements(view, start, end, subject)
    if not statements:
        return ConsentFound(None, None, (), None)
    last = len(statements) - 1
    while (
        last > 0
        and statements[last - 1][0] == statements[last][0]
        and (
            _PASSIVE.search(statements[last][3].group())
            or _INCAPABLE.match(statements[last - 1][3].group())
            or re.match(r"(?:doesn't|does\s+not|didn't|did\s+not)\s+want", statements[last][3].group())
        )
        and statements[last][1] - statements[last - 1][2] < 80
        and view.sentence_start_before(statements[last][1]) <= statements[last - 1][1]
    ):
        last -= 1
    status, s, e, hit = statements[last]
    lo = max(start, view.sentence_start_before(s))
    explanation = _explanation(view, status, (s, e), lo, (start, end)) if status != "obtained" else None
    if status == "not_sought" and _INCAPABLE.match(hit.group()):
        explanation = _incapacity_clause(view, s, end) or explanation
    reasons: tuple[str, ...] = ()
    if status != "obtained":
        scope = view.norm[
            min(s, explanation.start if explanation else s) : max(e, explanation.end if explanation else e)
        ]
        reasons = tuple(code for code, pattern in _REASONS.items() if pattern.search(scope))
        if (
            "adult_at_risk" not in reasons
            and "child_protection" not in reasons
            and _AT_RISK.search(scope)
            and _adult_subject(view, subject)
        ):
            reasons = ("adult_at_risk", *reasons)
        if not reasons and status == "not_sought" and explanation:
            reasons = ("other",)
    person = _person(view, status, hit, lo, subject)
    if person is None and status == "not_sought":
        person = _capacity_person(view, explanation) or _possessive_person(view, lo, e)
    sentence_end = view.sentence_end_after(e, end)
    lo = max(lo, view.words[max(0, view.word_index(s) - 12)].start)
    hedged = _HEDGE_BEFORE.search(view.norm, lo, s) or (
        _HEDGE_AFTER.search(view.norm, e, sentence_end) and _HEDGE_BEFORE.search(view.norm, lo, sentence_end)
    )
    if hedged:
        status = "unknown"
    return ConsentFound(Mention(s, e, status, 0.8), _possessive(person), reasons, explanation)


def _adult_subject(view: TextView, subject: str | None) -> bool:
    """Whether the memo is about an adult: titled by name ("Mr Brian Howell") or given an adult age."""
    if not subject:
        return False
    first = re.escape(subject.lower().split()[0])
    if rx(rf"\b(?:mr|mrs|ms|miss)\.?\s+{first}\b").search(view.norm):
        return True
    m = rx(
        rf"\b{first}(?:\s+[\w'-]+)?\s*,?\s+(?:who's\s+|who\s+is\s+|aged\s+|age\s+)?(?P<age>[\w-]+)"
    ).search(view.norm)
    if m is None:
        return False
    age = m.group("age")
    return bool(
        (age.isdigit() and 18 <= int(age) < 120)
        or re.match(r"(?:eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)", age)
    )


def _incapacity_clause(view: TextView, s: int, end: int) -> Mention | None:
    """'He doesn't have capacity to consent because he's so unwell': the statement is its own explanation."""
    index = view.word_index(s) - 1
    begin = s
    while index >= 0 and view.words[index].start >= view.sentence_start_before(s):
        word = view.words[index].text.removesuffix("'s")
        if word in _SKIP or word in ("she", "he", "they", "currently", "now", "still", "also"):
            begin = view.words[index].start
            index -= 1
            continue
        if name_like(word) or word in _KIN:
            begin = view.words[index].start
        break
    sentence_end = view.sentence_end_after(s, end)
    limit = unpunctuated_clause_end(view, s, sentence_end)
    stop = _STOP.search(view.norm, view.advance_words(s, 4), limit)
    stop2 = rx(r"\b(?:so|and)\s+(?:i|we)\b|\bthe\s+lawful\s+basis\b").search(view.norm, s, limit)
    cut = min([x.start() for x in (stop, stop2) if x is not None] + [limit])
    b, e, text = trim(view.original, begin, cut)
    return Mention(b, e, text, 0.6) if text and len(text.split()) >= 3 else None


def _possessive(person: Mention | None) -> Mention | None:
    """Put back the apostrophe a speech recogniser dropped ("kaylas mum", "mums") in a person's words."""
    if person is None or "'" in person.text:
        return person
    text = _ASR_POSSESSIVE.sub(r"\1's \2", person.text)
    words = text.split()
    if len(words) == 1 and words[0].lower() in {k + "s" for k in _KIN} - _KIN:
        text = words[0][:-1]
    return Mention(person.start, person.end, text, person.strength)


def family_informed(
    view: TextView, start: int, end: int, subject: str | None = None
) -> tuple[bool | None, Mention | None]:
    """Whether the memo says the family was (or will be) told; a negative statement wins."""
    # Relatives' names are only trusted as written with a capital; in a transcript the word after
    # "dad" may be a verb ("dad knows").
    names = set(_relative_names(view)) if view.original != view.norm else set()
    if subject:
        names |= {w.lower() for w in subject.split() if len(w) > 1}
    norm = _masked(view.norm, names)
    told = _told_family()
    false_more, true_more = _family_phrases()
    for value, patterns in (
        (False, [*_FAMILY_FALSE, *false_more]),
        (True, [*_FAMILY_TRUE, told, *true_more]),
    ):
        for pattern in patterns:
            for m in pattern.finditer(norm, start, end):
                if value is False and _PROFESSIONAL_BEFORE.search(
                    view.norm, max(start, m.start() - 30), m.start()
                ):
                    continue
                if value is True and _is_the_sharing(view, m, start):
                    continue
                return value, Mention(m.start(), m.end(), view.original[m.start() : m.end()], 0.7)
    return None, None


def _relative_names(view: TextView) -> tuple[str, ...]:
    """First names given to relatives in the memo ("mum, Gina,", "her dad Lee")."""
    names = set()
    cased = view.original != view.norm
    for m in _KIN_NAMED.finditer(view.norm):
        name = m.group("name")
        if name_like(name) and name not in _KIN and (not cased or view.original[m.start("name")].isupper()):
            names.add(name)
    return tuple(sorted(names))


# The relatives' first names and the subject's name are masked in the text with this letter (same
# length, so offsets hold) and the patterns know only the letter: they are compiled once, not per memo.
_NAME_MARK = "\u00f1"
_NAME_SLOT = _NAME_MARK + "+"


def _masked(norm: str, names: set[str]) -> str:
    """`norm` with every whole-word occurrence of `names` replaced by the name mark."""
    for name in sorted(names, key=len, reverse=True):
        norm = re.sub(r"\b" + re.escape(name) + r"\b", lambda m: _NAME_MARK * len(m.group()), norm)
    return norm


@cache
def _family_phrases() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """The consent.json family phrase lists, WHO a relative (or a masked name), TAIL a clause end."""
    bare = r"(?:" + _KIN_WORDS + "|" + _NAME_SLOT + r")"
    one = r"(?:(?:his|her|their|the|both|[\w'-]+'s|[\w-]+s)\s+)?" + bare
    who = r"(?:them\s+both|both\s+of\s+them|" + one + r"(?:\s+(?:or|and)\s+" + one + r")?)"
    # Opening a pattern, the relative needs no "his"/"Amy's" before it: leaving it out lets the
    # scan start at the kin word instead of trying a generic word at every position.
    lead = r"(?:them\s+both|both\s+of\s+them|" + bare + r"(?:\s+(?:or|and)\s+" + one + r")?)"

    def build(keys: tuple[str, ...]) -> list[re.Pattern[str]]:
        return [
            rx(
                r"\b"
                + (lead + p[3:] if p.startswith("WHO") else p)
                .replace("WHO", who)
                .replace("TAIL", _C["family_tail"])
            )
            for k in keys
            for p in _C[k]
        ]

    return build(("family_false_told", "family_false_state")), build(
        ("family_true_told", "family_true_state")
    )


_KIN_NAMED = rx(r"\b(?:" + _KIN_WORDS + r")\s*,?\s+(?P<name>[\w'-]+)")


@cache
def _told_family() -> re.Pattern[str]:
    """Telling a relative (or the adult subject by name, masked) about the sharing, request or decision."""
    who = _KIN_WORDS + "|" + _NAME_SLOT
    return rx(
        r"\b(?:told|tell|telling|informed|inform|updated|update|let|explained\s+to|spoken\s+to|spoke\s+to)\s+"
        r"(?:(?:his|her|their|the|both)\s+|[\w'-]+'s\s+)?(?:" + who + r")(?:'s)?\s+"
        r"(?:(?:today|now|since|afterwards|already|too|as\s+well)\s+)?"
        r"(?:know\s+(?!(?:me|us)\b)\w+|about\s+(?:the|this|my|our|it|what|why)\b|what\b|why\b|that\s+(?:i|we|it|the|this)\b"
        r"|(?:i|we)(?:'d|\s+was|\s+were|\s+would|'ll|\s+will|\s+had|'ve|\s+have)\s+)"
    )


def _is_the_sharing(view: TextView, m: re.Match[str], start: int) -> bool:
    """A 'let her know that...' that is the sharing itself, said to the counterpart just contacted."""
    if not re.match(r"(?:let|told|tell|informed)\s+(?:her|him|them)\b", m.group()):
        return False
    lo = max(
        start,
        view.sentence_start_before(m.start()),
        view.words[max(0, view.word_index(m.start()) - 12)].start,
    )
    return _CONTACT_BEFORE.search(view.norm, lo, m.start()) is not None


_OTHER_SIDE = rx(r"\b(?:their|his|her|its|the\s+\w+'s)\s+(?:own\s+)?(?:\w+\s+)?$")


def advice_sought(view: TextView, start: int, end: int) -> list[Mention]:
    """Advice codes for whom the practitioner consulted before deciding (not escalations after)."""
    found = []
    for code, pattern in _ADVICE.items():
        for m in pattern.finditer(view.norm, start, end):
            if _OTHER_SIDE.search(view.norm, max(0, m.start() - 30), m.start()):
                continue
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
        for m in pattern.finditer(view.norm, start, end):
            if table != "lawful_basis" and _ELSEWHERE.search(
                view.norm, max(start, m.start() - 40), m.start()
            ):
                continue
            found.append(Mention(m.start(), m.end(), code, 0.85))
            break
    return sorted(found, key=lambda f: f.start)
