"""Corrections after recognition: glossary terms, section numbers and known names heard slightly wrong.

The recogniser's words are compared, one to four at a time, with the team's terms and with the names
the caller knows (a caseload, confirmed records): by spelling (rapidfuzz ratio of the letters) and by
sound (jellyfish metaphone codes). A close match replaces the heard words with the known spelling in
one `Word` whose `heard` keeps what the recogniser wrote, `source` says where the spelling came from
and `match` the confidence. A name that matches nobody stays as heard; a window close to two different
known names is left alone. Spoken numbers after "section" become the section number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import jellyfish
from rapidfuzz import fuzz

from speakcase.models.transcript import Segment, Word
from speakcase.pipelines import glossary

__all__ = ["KnownTerm", "correct_segments", "correct_words", "known_terms", "similarity"]

ALIASES: dict[str, tuple[str, ...]] = {
    "MAPPA": ("mapper", "mappa", "mapa", "mappers", "map a", "mapper's"),
    "CAMHS": ("cams", "camhs", "cam's", "kams", "camps", "calms", "cam s"),
    "MARAC": ("marac", "marak", "marrack", "marack", "my rack", "ma rack", "mirac"),
    "MASH": ("mash",),
    "LADO": ("lado", "lardo", "laydo", "lay doe", "lay do", "la doe"),
    "IDVA": ("idva", "id va", "idver", "ida va", "i d v a"),
    "DSL": ("d s l",),
    "Cafcass": ("cafcass", "cafe cass", "calf cass", "cath cass", "caf cass", "kafcass", "cafcas"),
    "Caldicott": ("caldicott", "caldecott", "caldicot", "cauldicot", "caldicote", "cold cot"),
}
"""Known mishearings of terms that fuzzy matching alone would miss or would risk on everyday words."""
TERM_THRESHOLD = 88.0
"""Lowest similarity (0-100) at which a multi-word glossary term replaces the heard words."""
NAME_THRESHOLD = 85.0
"""Lowest similarity at which a known name replaces heard words (one word alone needs SINGLE_THRESHOLD)."""
SINGLE_THRESHOLD = 90.0
LOWER_CASE_THRESHOLD = 92.0
"""Lowest similarity at which a known name of two or more words replaces heard words none capitalised."""
RARE_THRESHOLD = 78.0
"""Lowest similarity at which a one-word term (MAPPA, Cafcass) replaces a heard word English rarely uses."""
RARE_ZIPF = 3.0
"""wordfreq Zipf frequency under which a heard word is rare (3 = once per million words)."""
AMBIGUOUS_MARGIN = 3.0
"""A second different candidate within this many points leaves the words as heard."""
MAX_WINDOW = 4
KNOWN_SECTIONS = frozenset({2, 3, 4, 5, 7, 8, 11, 17, 20, 31, 37, 38, 42, 43, 44, 46, 47, 115, 135, 136})
"""Sections of the Children Act 1989, Care Act 2014, Mental Health Act 1983 and others practitioners cite;
a homophone unit ("forty to") is read as a digit only when the section it makes is one of these."""

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_HOMOPHONES = {"to": 2, "too": 2, "for": 4}
_PUNCT = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)


@dataclass(frozen=True)
class KnownTerm:
    """A spelling the transcript should use, where it came from, and the forms it is matched on."""

    text: str
    source: str
    forms: tuple[str, ...]
    """Lower-case letter strings (spaces kept) compared with the heard words."""
    alias: bool = False
    """Forms are known mishearings (matched exactly), not compared fuzzily."""


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


@lru_cache(maxsize=4096)
def _code(letters: str) -> str:
    return jellyfish.metaphone(letters) if letters else ""


def similarity(heard: str, known: str) -> float:
    """0-100: the mean of how alike the letters are and how alike they sound (metaphone)."""
    a, b = _letters(heard), _letters(known)
    if not a or not b:
        return 0.0
    return (fuzz.ratio(a, b) + fuzz.ratio(_code(a), _code(b))) / 2


def known_terms(
    names: Iterable[object] = (), user_file: Path | None = None, source: str = "caseload"
) -> list[KnownTerm]:
    """The glossary (aliases and terms) and the caller's names as match targets; a name with a
    `source` attribute (names.KnownName) keeps it, a plain string takes `source`."""
    out: list[KnownTerm] = []
    for text, forms in ALIASES.items():
        out.append(KnownTerm(text, "glossary", tuple(forms), alias=True))
    for term in (*ALIASES, *glossary.glossary_terms((), user_file=user_file)):
        words = term.split()
        if not any(w.isdigit() for w in words) and len(_letters(term)) >= 4:
            out.append(KnownTerm(term, "glossary", (term.casefold(),)))
    seen: set[str] = set()
    for item in names:
        name = " ".join(str(item).split())
        origin = getattr(item, "source", source)
        parts = name.split()
        for text in (name, *(parts if len(parts) > 1 else ())):
            if len(_letters(text)) >= 4 and text.casefold() not in seen:
                seen.add(text.casefold())
                out.append(KnownTerm(text, origin, (text.casefold(),)))
    return out


def _same_start(a: str, b: str) -> bool:
    """Same first letter, or the same first sound ("Kaldikot" and "Caldicott")."""
    if not (a and b):
        return False
    a_h, b_h = a.removeprefix("h") or a, b.removeprefix("h") or b  # "Ollie Brook", "Hollybrook"
    return a[0] == b[0] or _code(a)[:1] == _code(b)[:1] or a_h[0] == b_h[0]


def _rare(heard: str) -> bool:
    from wordfreq import zipf_frequency

    return all(zipf_frequency(w, "en") < RARE_ZIPF for w in heard.split())


def _split(word: str) -> tuple[str, str, str]:
    match = _PUNCT.match(word.strip())
    assert match is not None
    return match.group(1), match.group(2), match.group(3)


def _number(tokens: Sequence[str]) -> tuple[int, int] | None:
    """(value, tokens used) of a spoken or written section number at the start of `tokens`."""
    if not tokens:
        return None
    first = tokens[0].casefold()
    value: int | None = None
    if first.isdigit():
        value = int(first)
    elif first in _ONES:
        return _ONES[first], 1
    elif first in _TENS:
        value = _TENS[first]
    if value is None:
        return None
    if value % 10 == 0 and 20 <= value <= 90 and len(tokens) > 1:
        nxt = tokens[1].casefold()
        unit = _ONES.get(nxt) if nxt in _ONES and _ONES[nxt] < 10 else None
        if unit is None and nxt.isdigit() and len(nxt) == 1:
            unit = int(nxt)
        if unit is None and nxt in _HOMOPHONES and value + _HOMOPHONES[nxt] in KNOWN_SECTIONS:
            unit = _HOMOPHONES[nxt]
        if unit:
            return value + unit, 2
    return (value, 1) if first.isdigit() or first in _TENS else None


def _section_fix(words: list[Word], i: int) -> tuple[Word, int] | None:
    """A corrected number word after "section" at words[i], and how many heard words it replaces."""
    if _split(words[i - 1].word)[1].casefold() != "section":
        return None
    cores, trail = [], ""
    for w in words[i : i + 2]:
        lead, core, trail_w = _split(w.word)
        cores.append(core)
        if trail_w:  # the number ends at punctuation
            break
    if "-" in cores[0]:  # "forty-seven" in one word
        parsed = _number(cores[0].split("-"))
        if parsed is None or parsed[1] != len(cores[0].split("-")):
            return None
        value, used = parsed[0], 1
    else:
        parsed = _number(cores)
        if parsed is None:
            return None
        value, used = parsed
    trail = _split(words[i + used - 1].word)[2]
    heard = "".join(w.word for w in words[i : i + used])
    new = f" {value}{trail}"
    if new.strip() == heard.strip():
        return None
    span = words[i : i + used]
    word = Word(span[0].start, span[-1].end, new, min(w.probability for w in span), heard, "number", 1.0)
    return word, used


def _candidates(window: list[Word], terms: Sequence[KnownTerm]) -> list[tuple[float, KnownTerm]]:
    cores = [_split(w.word)[1] for w in window]
    if not all(cores):
        return []
    heard = " ".join(cores).casefold()
    heard_letters = _letters(heard)
    capitalised = any(c[:1].isupper() for c in cores)
    found: list[tuple[float, KnownTerm]] = []
    for term in terms:
        if term.alias:
            if heard in term.forms:
                found.append((100.0, term))
            continue
        for form in term.forms:
            n_form = len(form.split())
            if abs(n_form - len(window)) > 1 or not _same_start(_letters(form), heard_letters):
                continue
            form_letters = _letters(form)
            if form_letters == heard_letters:
                continue  # heard as known: nothing to correct here, and no rival to a correction
            if any(_letters(" ".join(cores[:k])) == form_letters for k in range(1, len(cores))):
                continue  # the known form heard right, followed by words that are not part of it
            if abs(len(form_letters) - len(heard_letters)) <= 2 and (
                form_letters.startswith(heard_letters) or heard_letters.startswith(form_letters)
            ):
                continue  # an inflection of the known form (plural, possessive), not a mishearing
            score = similarity(heard, form)
            if term.source == "glossary" and n_form == 1:
                ok = score >= RARE_THRESHOLD and len(window) <= 2 and _rare(heard)
            elif term.source == "glossary":
                ok = score >= TERM_THRESHOLD and len(window) >= 2
            elif len(window) == 1:
                ok = score >= SINGLE_THRESHOLD and capitalised and n_form == 1
            else:  # heard in lower case ("no fair brother"), a whole name must sound almost the same
                ok = score >= (NAME_THRESHOLD if capitalised else LOWER_CASE_THRESHOLD) and n_form >= 2
            if ok:
                found.append((score, term))
    return found


def correct_words(words: Sequence[Word], terms: Sequence[KnownTerm]) -> list[Word]:
    """The words with glossary terms, section numbers and known names corrected (heard forms kept)."""
    words = list(words)
    out: list[Word] = []
    i = 0
    while i < len(words):
        if words[i].heard:
            out.append(words[i])
            i += 1
            continue
        if i and (fix := _section_fix(words, i)):
            out.append(fix[0])
            i += fix[1]
            continue
        best: tuple[float, KnownTerm, int] | None = None
        rivals: list[tuple[float, str]] = []
        for size in range(min(MAX_WINDOW, len(words) - i), 0, -1):
            window = words[i : i + size]
            if any(w.heard for w in window):
                continue
            for score, term in _candidates(window, terms):
                rivals.append((score, term.text))
                if best is None or score > best[0]:
                    best = (score, term, size)
        if best is None:
            out.append(words[i])
            i += 1
            continue
        score, term, size = best
        if any(_rival(text, term.text) and score - s < AMBIGUOUS_MARGIN for s, text in rivals):
            out.append(words[i])
            i += 1
            continue
        window = words[i : i + size]
        lead = _split(window[0].word)[0]
        trail = _split(window[-1].word)[2]
        heard = "".join(w.word for w in window)
        if " ".join(_split(w.word)[1] for w in window) == term.text:
            out.extend(window)
        else:
            prob = min(w.probability for w in window)
            new = f" {lead}{term.text}{trail}"
            out.append(
                Word(window[0].start, window[-1].end, new, prob, heard, term.source, round(score / 100, 3))
            )
        i += size
    return out


def _rival(a: str, b: str) -> bool:
    """Two candidate spellings that are different names, not one inside the other."""
    a, b = a.casefold(), b.casefold()
    return a not in b and b not in a


def correct_segments(
    segments: Iterable[Segment],
    names: Iterable[object] = (),
    source: str = "caseload",
    user_file: Path | None = None,
) -> tuple[Segment, ...]:
    """Every segment with its words corrected; text rebuilt from the words (segments without words kept)."""
    terms = known_terms(names, user_file=user_file, source=source)
    out: list[Segment] = []
    for segment in segments:
        if not segment.words:
            out.append(segment)
            continue
        words = correct_words(segment.words, terms)
        if words == list(segment.words):
            out.append(segment)
            continue
        out.append(replace(segment, words=tuple(words), text="".join(w.word for w in words).strip()))
    return tuple(out)
