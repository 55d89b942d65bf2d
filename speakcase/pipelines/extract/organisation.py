"""Organisation mentions (by suffix patterns that generalise) and the agency code they imply."""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from speakcase.pipelines.extract.counterpart import (
    _TITLE_RX,
    ROLES,
    SUFFIX_RX,
    Mention,
    name_like,
)
from speakcase.pipelines.extract.text import TextView, resource, rx

_BOUNDARY = {
    "the",
    "a",
    "an",
    "at",
    "from",
    "to",
    "in",
    "with",
    "i",
    "and",
    "rang",
    "ran",
    "phoned",
    "called",
    "spoke",
    "emailed",
    "contacted",
    "referred",
    "for",
    "on",
    "by",
    "about",
    "me",
    "her",
    "him",
    "them",
    "our",
    "my",
    "his",
    "their",
    "is",
    "was",
    "who",
    "that",
    "this",
    "told",
    "shared",
    "asked",
    "of",
    "said",
    "we",
    "she",
    "he",
    "they",
    "it",
    "asking",
    "what",
    "whether",
    "how",
    "why",
    "where",
    "when",
    "which",
    "if",
    "had",
    "been",
    "has",
    "have",
}
_NUMBERS = frozenset(resource("lexicon.json")["numbers"])
_AGENCY_RULES = [(rx(pattern), code) for pattern, code in resource("organisations.json")["agency_rules"]]
_STANDALONE = {"mash", "the mash", "cafcass", "camhs", "cams", "dwp", "jobcentre plus", "jobcentre", "nspcc"}
_OF_HEADS = {
    "church",
    "university",
    "department",
    "institute",
    "society",
    "college",
    "borough",
    "city",
    "county",
}
_CHARITY = rx(r"\b(?:charity|voluntary\s+(?:sector|organisation|group)|not\s+for\s+profit)\b")
_FALLBACK = rx(r"\b(?:at|from|with)\s+$")


def _extend_back(view: TextView, suffix_start: int, floor: int) -> int:
    index = view.word_index(suffix_start) - 1
    start = suffix_start
    taken = 0
    while index >= 0 and taken < 5:
        word = view.words[index]
        if word.start < floor or view.norm[word.end : start].strip(" ") not in ("", "'"):
            break
        if word.text in _BOUNDARY and not (word.text in ("of", "and") and taken and index > 0):
            break
        if word.text not in ("of", "and") and (word.text in STOP_WORDS or word.text in _NUMBERS):
            break  # "there were two police call-outs": common words do not name a body
        if word.text == "of" and view.words[index - 1].text not in _OF_HEADS:
            break
        start, taken, index = word.start, taken + 1, index - 1
    while view.norm[start:suffix_start].split()[:1] in (["of"], ["and"]):
        start = view.norm.index(" ", start) + 1
    return start


_DEPARTMENT = rx(
    r"(?:'s)?\s+(?:(?:children'?s|childrens'|adults?'?|adult'?s)\s+(?:services|social\s+care|social\s+services)"
    r"|(?:adult\s+)?social\s+care|(?:housing|fostering|adoption|safeguarding|leaving\s+care|early\s+help)"
    r"\s+(?:team|service|services))\b"
)


def orgs_in(view: TextView, start: int, end: int, roles: list[Mention]) -> list[Mention]:
    """Organisation mentions in [start, end), joined when one sits inside another ("unit at X Police")."""
    found: list[Mention] = []
    for m in SUFFIX_RX.finditer(view.norm, start, end):
        if any(r.start < m.end() and m.start() < r.end for r in roles):
            continue
        org_start = _extend_back(view, m.start(), start)
        inside = [r.end for r in roles if org_start < r.end <= m.start()]
        inside += [t.end() for t in _TITLE_RX.finditer(view.norm, org_start, m.start())]
        if inside:
            org_start = view.words[view.word_index(max(inside))].start
            org_start = _past_name(view, org_start, m.start())
        if org_start == m.start() and m.group().lower() not in _STANDALONE and len(m.group().split()) < 2:
            continue
        modifiers = view.norm[org_start : m.start()].split()
        if len(modifiers) == 1 and modifiers[0].endswith(("'s", "s'")) and name_like(modifiers[0][:-2]):
            continue
        if org_start > start and view.norm[max(0, org_start - 4) : org_start] == "the ":
            org_start -= 4
        org_end = m.end()
        tail = _DEPARTMENT.match(view.norm, org_end)
        if tail and tail.end() <= end:
            org_end = tail.end()
        found.append(Mention(org_start, org_end, view.original[org_start:org_end], 0.85))
    return _join(view, found)


def _past_name(view: TextView, start: int, suffix_start: int) -> int:
    """Where an organisation starts after a role or title: the first words are the person's name.

    Unpunctuated speech runs a name into the organisation ("sergeant ruth carver avonmere police"):
    with three or more words before the suffix, the first two are the name; with two, the first.
    """
    words = view.words_between(start, suffix_start)
    if len(words) < 2 or not all(name_like(w.text) for w in words[:2]):
        return start
    return words[2 if len(words) >= 3 else 1].start


def _join(view: TextView, found: list[Mention]) -> list[Mention]:
    joined: list[Mention] = []
    for mention in found:
        if joined and re.fullmatch(
            r"\s*,?\s*(?:at|in|of|for)\s+(?:the\s+)?", view.norm[joined[-1].end : mention.start]
        ):
            last = joined.pop()
            mention = Mention(last.start, mention.end, view.original[last.start : mention.end], 0.85)
        if joined and mention.start < joined[-1].end:
            continue
        joined.append(mention)
    return joined


def fallback_org(view: TextView, after: int, end: int) -> Mention | None:
    """An organisation said after "at" or "from" that carries no known suffix ("at Safe Haven")."""
    m = rx(r"\s*,?\s*(?:at|from)\s+(?:the\s+)?").match(view.norm, after)
    if not m:
        return None
    words = view.words[view.word_index(m.end()) :]
    taken = []
    for word in words[:4]:
        if word.end > end:
            break
        if name_like(word.text) or (word.text in ("and", "&") and taken):
            taken.append(word)
            continue
        break
    while taken and taken[-1].text in ("and", "&"):
        taken.pop()
    if not taken:
        return None
    begin = m.start() + len(m.group()) - 4 if m.group().endswith("the ") else taken[0].start
    begin = begin if begin < taken[0].start else taken[0].start
    return Mention(begin, taken[-1].end, view.original[begin : taken[-1].end], 0.5)


def agency_for(
    view: TextView, org: Mention | None, role: Mention | None
) -> tuple[str | None, Mention | None]:
    """The agency code read from the organisation (and what follows it), else from the role."""
    if role is not None and role.text.lower() in ROLES["override_roles"]:
        return ROLES["roles"][role.text.lower()], role
    if org is not None:
        context = view.norm[org.end : view.advance_words(org.end, 8)]
        if _CHARITY.search(context) or _CHARITY.search(view.norm[org.start : org.end]):
            return "voluntary", org
        for pattern, code in _AGENCY_RULES:
            if pattern.search(view.norm[org.start : org.end]):
                return code, org
    if role is not None:
        code = ROLES["roles"].get(role.text.lower().replace("-", " "))
        if code:
            return code, role
        for pattern, rule_code in _AGENCY_RULES:
            if pattern.search(role.text.lower()):
                return rule_code, role
    return None, None
