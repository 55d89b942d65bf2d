"""Find the counterpart of an event: name without title, role or rank, organisation and agency code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS

from speakcase.pipelines.extract.text import TextView, alternation, resource, rx

_LEX = resource("lexicon.json")
ROLES = resource("roles.json")
_ORGS = resource("organisations.json")
_ROLE_RX = rx(r"(?<![\w'])" + alternation(list(ROLES["roles"]))[2:])
_GENERIC_ROLE = rx(
    r"\b(?:the|a|an|their|his|her|\w+'s)\s+(?P<role>(?:[a-z-]+\s+){0,2}?(?:"
    + "|".join(ROLES["role_heads"])
    + r"))\b"
)
# A role between commas, without a determiner: "Joan Paley, estates officer, Brightside Homes, rang."
_APPOSED_ROLE = rx(
    r"(?<=,\s)(?P<role>(?:[a-z-]+\s+){0,2}?(?:" + "|".join(ROLES["role_heads"]) + r"))(?=\s*,)"
)
_MODIFIER_STOP = set(ROLES["role_modifiers_stop"]) | {
    "new",
    "old",
    "other",
    "same",
    "previous",
    "current",
    "duty",
}
_TITLE_RX = rx(alternation(_LEX["titles"] + _LEX["ranks"]) + r"\.?")
SUFFIX_RX = rx(alternation(_ORGS["suffixes"]))
_OWN_SIDE = rx(r"\b(?:my|our|i'm\s+(?:his|her|their)(?:\s+allocated)?|i\s+am\s+(?:his|her|their))\s*$")
_NAME_VERBS = rx(
    r"\b(?:spoke\s+to|spoken\s+to|speak\s+to|talked\s+to|rang|ran|phoned|called|emailed|texted|messaged|contacted|"
    r"call\s+from|call\s+with|phone\s+with|phone\s+to|email\s+from|message\s+from|confirmed\s+to|told|asked|"
    r"met\s+with|met|called|named|name\s+is|name's|name\s+as|known\s+as|goes\s+by|"
    r"gave|contacted\s+by|called\s+by|approached\s+by|shared\s+with|"
    r"passed\s+(?:it\s+|this\s+|that\s+)?on\s+to|spoke\s+with|spoken\s+with|talked\s+with|speaking\s+(?:to|with)|"
    r"forwarded\s+to|sent|wrote\s+to|informed|updated|let)\s+$"
)
_DETERMINERS = frozenset("a an the his her their our my your its some any this that".split())
_SURNAME_LIKE = {
    "grace",
    "will",
    "mark",
    "may",
    "joy",
    "ward",
    "young",
    "hall",
    "king",
    "price",
    "law",
    "green",
}
# Words of multi-word roles that also name places and bodies ("Station Road", "Quarry Bank"): not non-names.
_PLACE_WORDS = frozenset(
    "door station estate bank branch watch crew scheme safety press enforcement allocations options welfare "
    "learning approved professional occupational".split()
)
# Nouns for an unnamed person ("somebody called Andrea", "a family friend"): never a name.
_PERSON_NOUNS = frozenset(
    "somebody someone anybody bloke chap guy fella lad lass friend friends gentleman lady man woman "
    "person".split()
)


@dataclass(frozen=True)
class Mention:
    """A span of text and what it says."""

    start: int
    """Offset of the mention."""
    end: int
    """Offset just past it."""
    text: str
    """The mention as written in the memo."""
    strength: float = 1.0
    """How much the pattern that found it is trusted, 0 to 1."""


@dataclass(frozen=True)
class CounterpartFound:
    """The counterpart mentions chosen for one event."""

    name: Mention | None
    """Their name."""
    role: Mention | None
    """Their role or rank."""
    organisation: Mention | None
    """Their organisation."""
    agency: str | None
    """The agency code."""
    agency_evidence: Mention | None
    """Where the agency was read from."""


@cache
def _non_names() -> frozenset[str]:
    words = set(STOP_WORDS) | set(_LEX["non_names"]) | set(_LEX["fillers"]) | set(_LEX["weekdays"])
    words |= set(_LEX["numbers"]) | set(_LEX["ordinals"]) | set(_LEX["titles"]) | set(_LEX["ranks"])
    for phrase in list(ROLES["roles"]) + _ORGS["suffixes"] + _LEX["kin"] + ROLES["role_heads"]:
        words.update(w for w in phrase.split() if w not in _PLACE_WORDS)
    words |= _PERSON_NOUNS
    words |= {w.replace("'", "") for w in words}
    return frozenset(w for w in words if w not in _SURNAME_LIKE)


def name_like(word: str) -> bool:
    """Whether a folded word could be part of a person's name."""
    if len(word) < 2 or not word.replace("-", "").replace("'", "").isalpha() or word.endswith(("'s", "s'")):
        return False
    return word not in _non_names() and word.replace("'", "") not in _non_names()


def roles_in(view: TextView, start: int, end: int) -> list[Mention]:
    """Role and rank mentions in [start, end), excluding the practitioner's own colleagues."""
    norm = view.norm
    found: list[Mention] = []
    for m in _ROLE_RX.finditer(norm, start, end):
        if not _OWN_SIDE.search(norm[max(0, m.start() - 30) : m.start()]):
            found.append(Mention(m.start(), m.end(), view.original[m.start() : m.end()], 0.9))
    for m in _GENERIC_ROLE.finditer(norm, start, end):
        s, e = m.span("role")
        inner = [f for f in found if s < f.start and f.end == e]
        modifiers = norm[s : inner[0].start].split() if inner else []
        if inner and not any(w in _MODIFIER_STOP or not w.isalpha() for w in modifiers):
            found.remove(inner[0])
        if any(f.start <= s < f.end or s <= f.start < e for f in found):
            continue
        if not _OWN_SIDE.search(norm[max(0, m.start() - 30) : m.start() + 6]):
            found.append(Mention(s, e, view.original[s:e], 0.6))
    for m in _APPOSED_ROLE.finditer(norm, start, end):
        s, e = m.span("role")
        if any(w in _MODIFIER_STOP for w in norm[s:e].split()[:-1]):
            continue
        inner = [f for f in found if s <= f.start and f.end <= e and (f.start, f.end) != (s, e)]
        if any(f.start < e and s < f.end for f in found if f not in inner):
            continue
        found = [f for f in found if f not in inner] + [Mention(s, e, view.original[s:e], 0.6)]
    return sorted(found, key=lambda f: f.start)


def _verb_form(view: TextView, word) -> bool:
    """A lower-case word that reads as a verb form ("devlin advised", "emailed wanting"), not a name."""
    return (
        len(word.text) > 5
        and word.text.endswith(("ed", "ing"))
        and view.original[word.start : word.end].islower()
    )


def name_after(view: TextView, offset: int, limit: int) -> Mention | None:
    words = view.words[view.word_index(offset) :]
    taken = []
    for word in words[:4]:
        if (
            word.end > limit
            or not name_like(word.text)
            or _verb_form(view, word)
            or view.norm[(taken[-1].end if taken else offset) : word.start].strip(" ")
        ):
            if word.text.endswith(("'s", "s'")) and len(taken) < 3 and not taken:
                return None
            break
        taken.append(word)
        if len(taken) == 3:
            break
    if not taken:
        return None
    return Mention(taken[0].start, taken[-1].end, view.original[taken[0].start : taken[-1].end])


def name_before(view: TextView, offset: int, floor: int) -> Mention | None:
    index = view.word_index(offset) - 1
    taken = []
    while index >= 0 and len(taken) < 3:
        word = view.words[index]
        if word.start < floor or not name_like(word.text):
            break
        if taken and view.norm[word.end : taken[-1].start].strip(" "):
            break
        taken.append(word)
        index -= 1
    if not taken:
        return None
    if index >= 0 and view.words[index].text in _DETERMINERS:
        return None  # "a friend rang": a determiner makes a noun, not a name
    first, last = taken[-1], taken[0]
    return Mention(first.start, last.end, view.original[first.start : last.end])


_BEFORE_CONTACT = rx(
    r"[\s,]+(?:then\s+|also\s+|just\s+)?(?:rang|phoned|emailed|called|texted|messaged|wrote|got\s+in\s+touch"
    r"|ran(?=\s+(?:me|us|back|asking|to\s+ask|about|at|this|earlier|yesterday|today|first|late)\b))\b"
)


def _names_around(view: TextView, start: int, end: int, orgs: list[Mention]) -> list[Mention]:
    found = []
    for m in _BEFORE_CONTACT.finditer(view.norm, start, end):
        name = name_before(view, m.start() + 1, start)
        if name:
            found.append(Mention(name.start, name.end, name.text, 0.75))
    for org in orgs:
        link = re.search(
            r"\s+(?:from|at|of|with)\s+(?:the\s+)?$", view.norm[max(start, org.start - 12) : org.start]
        )
        name = name_before(view, org.start - len(link.group()) + 1, start) if link else None
        if name:
            found.append(Mention(name.start, name.end, name.text, 0.75))
        comma = re.match(r"\s*,\s*" if view.punctuated else r"\s*,?\s*", view.norm[org.end : end])
        name = name_after(view, org.end + comma.end(), end) if comma else None
        if name:
            trusted = 0.8 if view.punctuated or comma.group().strip() else 0.65
            found.append(Mention(name.start, name.end, name.text, trusted))
    return found


def names_in(
    view: TextView, start: int, end: int, roles: list[Mention], orgs: list[Mention]
) -> list[Mention]:
    """Person-name candidates in [start, end) from titles, roles in apposition and contact verbs."""
    norm = view.norm
    found: list[Mention] = _names_around(view, start, end, orgs)
    for m in _TITLE_RX.finditer(norm, start, end):
        name = name_after(view, m.end(), end)
        if name:
            found.append(Mention(name.start, name.end, name.text, 0.95))
    for role in roles:
        after = re.match(
            r"[\s,]*(?:(?:erm|er|um|uh)\b[\s,]*)*(?:(?:mr|mrs|ms|miss|dr|doctor)\.?\s+)?",
            norm[role.end : end],
        )
        name = name_after(view, role.end + (after.end() if after else 0), end)
        if name:
            again = re.match(r"\s*,?\s*" + re.escape(name.text.lower()) + r"\b", norm[name.end : end])
            longer = name_after(view, name.end + again.end() - len(name.text), end) if again else None
            if longer and len(longer.text.split()) > len(name.text.split()):
                name = longer
            found.append(Mention(name.start, name.end, name.text, 0.85))
        before = re.search(
            r"(?:,|\s)\s*(?:(?:erm|er|um|uh)\s*,?\s*)?(?:(?:he|she|they)'s\s+|who's\s+|who\s+is\s+|is\s+)?"
            r"(?:the|a|an|their|our|his|her)\s+$",
            norm[max(start, role.start - 30) : role.start],
        )
        if before:
            name = name_before(view, role.start - (len(before.group()) - 1), start)
            if name:
                found.append(Mention(name.start, name.end, name.text, 0.85))
        elif not view.punctuated and view.original == view.norm and role.start > start:
            # "sent nicola brandt family court adviser at...": a name run straight into the role
            name = name_before(view, role.start, start)
            last = name.text.split()[-1] if name else ""
            possessive = last.endswith("s") and any(w.text == last[:-1] for w in view.words)
            if name and len(name.text.split()) == 2 and not possessive:
                found.append(Mention(name.start, name.end, name.text, 0.75))
        elif view.punctuated and re.search(r"\w,\s*$", norm[max(start, role.start - 4) : role.start]):
            # "Kofi Mensah, tenancy officer, Ridgeway Homes, rang": a name in apposition to the role
            name = name_before(view, norm.rindex(",", start, role.start), start)
            if name and view.original[name.start].isupper():
                found.append(Mention(name.start, name.end, name.text, 0.8))
    for word in view.words_between(start, end):
        if name_like(word.text) and _NAME_VERBS.search(norm[max(start, word.start - 16) : word.start]):
            name = name_after(view, word.start, end)
            role_next = name is not None and any(r.start == name.end + 1 for r in roles)
            if name and (role_next or not SUFFIX_RX.match(norm, name.end + 1)):
                found.append(Mention(name.start, name.end, name.text, 0.7))
    return _dedupe(found)


def _dedupe(found: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda f: (-(f.end - f.start), -f.strength)):
        if not any(k.start <= mention.start and mention.end <= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda f: f.start)
