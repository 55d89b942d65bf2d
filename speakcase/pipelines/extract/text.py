"""A case-folded view of a memo with word offsets, and regex helpers that tolerate lost apostrophes."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|&")
_SENTENCE_END = re.compile(r"[.!?;:\n]+(?=\s|$)|\n")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})


@cache
def resource(name: str) -> Any:
    """The parsed JSON resource file `name` shipped with the package."""
    text = (
        resources.files("speakcase.pipelines.extract").joinpath("resources").joinpath(name).read_text("utf-8")
    )
    return json.loads(text)


@cache
def rx(pattern: str) -> re.Pattern[str]:
    """Compile a rule pattern so every apostrophe in it is optional (speech recognisers drop them)."""
    return re.compile(pattern.replace("'", "'?"), re.IGNORECASE)


def alternation(phrases: list[str] | tuple[str, ...]) -> str:
    """A regex alternation matching any phrase as whole words, longest first."""
    ordered = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in ordered) + r")\b"


# Same-length rewrites of the folded text, so offsets stay valid: the full stop of a title
# ("Mr.", "Dr.", "St.") or of "a.m."/"p.m." does not end a sentence, and a recogniser's American
# spellings read as the British ones the rules know ("mom" -> "mum", "center" -> "centre").
_ABBREVIATION_DOT = re.compile(r"\b(?:mr|mrs|ms|dr|st|sgt|det|insp|supt|prof|cllr|rev)\.(?=\s+\w)")
_AM_PM = re.compile(r"\b([ap])\.m\.(?=\s+[a-z0-9])")
# "P.C. Cook", "section 1-1-5", "safe guarding lead", "co-ordinator": closed up, padded with spaces.
_DOTTED = re.compile(r"\b([a-z])\.([a-z])\.(?=\s+[a-z])")
_SPELT_DIGITS = re.compile(r"\b(\d)-(\d)(?:-(\d))?\b")
_SPLIT_WORDS = re.compile(r"\b(safe|co)[\s-](guarding|ordinator)\b")
_SPELLINGS = {"mom": "mum", "moms": "mums", "mommy": "mummy", "center": "centre", "centers": "centres"}
_SPELLING = re.compile(r"\b(?:" + "|".join(_SPELLINGS) + r")\b")


def fold(text: str) -> str:
    """Lower-case `text` character by character so offsets into the original stay valid."""
    plain = text.translate(_APOSTROPHES)
    folded = plain.lower()
    if len(folded) != len(plain):  # a character whose lower case is longer ("İ"): fold one by one
        folded = "".join(low if len(low := ch.lower()) == 1 else ch for ch in plain)
    folded = _ABBREVIATION_DOT.sub(lambda m: m.group().replace(".", " "), folded)
    folded = _AM_PM.sub(lambda m: m.group(1) + "m  ", folded)
    folded = _DOTTED.sub(lambda m: m.group(1) + m.group(2) + "  ", folded)
    folded = _SPELT_DIGITS.sub(lambda m: "".join(g for g in m.groups() if g).ljust(len(m.group())), folded)
    folded = _SPLIT_WORDS.sub(lambda m: (m.group(1) + m.group(2)).ljust(len(m.group())), folded)
    return _SPELLING.sub(lambda m: _SPELLINGS[m.group()], folded)


@dataclass(frozen=True)
class Word:
    """One word of the folded text with its character span."""

    start: int
    """Offset of the first character."""
    end: int
    """Offset just past the last character."""
    text: str
    """The folded word."""


@dataclass(frozen=True)
class TextView:
    """The original memo text plus its folded form, words and sentence boundaries."""

    original: str
    """The memo exactly as given."""

    @cached_property
    def norm(self) -> str:
        """The folded text, same length as the original."""
        return fold(self.original)

    @cached_property
    def words(self) -> tuple[Word, ...]:
        """Every word with its span."""
        return tuple(Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.norm))

    @cached_property
    def _starts(self) -> list[int]:
        return [w.start for w in self.words]

    @cached_property
    def sentence_ends(self) -> tuple[int, ...]:
        """Offsets where a sentence or clause-closing punctuation mark starts."""
        return tuple(m.start() for m in _SENTENCE_END.finditer(self.norm))

    @cached_property
    def punctuated(self) -> bool:
        """Whether the text carries enough sentence punctuation to trust it."""
        return len(self.sentence_ends) >= max(1, len(self.words) // 60)

    def word_index(self, offset: int) -> int:
        """Index of the first word starting at or after `offset`."""
        return bisect.bisect_left(self._starts, offset)

    def words_between(self, start: int, end: int) -> tuple[Word, ...]:
        """Words lying wholly inside [start, end)."""
        return tuple(w for w in self.words[self.word_index(start) :] if w.end <= end)

    def sentence_end_after(self, offset: int, limit: int | None = None) -> int:
        """The first sentence boundary at or after `offset`, or `limit`/the text end."""
        limit = len(self.norm) if limit is None else limit
        i = bisect.bisect_left(self.sentence_ends, offset)
        return min(self.sentence_ends[i], limit) if i < len(self.sentence_ends) else limit

    def sentence_start_before(self, offset: int) -> int:
        """Offset just after the last sentence boundary before `offset`."""
        i = bisect.bisect_left(self.sentence_ends, offset) - 1
        if i < 0:
            return 0
        m = _SENTENCE_END.match(self.norm, self.sentence_ends[i])
        return m.end() if m else self.sentence_ends[i] + 1

    def advance_words(self, offset: int, count: int) -> int:
        """Offset `count` words after `offset` (end of the text if fewer remain)."""
        i = self.word_index(offset) + count
        return self.words[i - 1].end if 0 < i <= len(self.words) else len(self.norm)

    def span_text(self, start: int, end: int) -> str:
        """The original text of a span, trimmed of spaces, commas and fillers at both ends."""
        return trim(self.original, start, end)[2]


_EDGE = re.compile(r"^(?:[\s,;:.\-]+|(?:erm|er|um|uh|and|but|that|then)\b)+", re.IGNORECASE)
_EDGE_END = re.compile(r"(?:[\s,;:.\-]+|\b(?:erm|er|um|uh|and|but|so|then))+$", re.IGNORECASE)


def trim(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Shrink [start, end) past edge punctuation and fillers; return the new span and its text."""
    piece = text[start:end]
    lead = _EDGE.match(piece)
    if lead:
        start += lead.end()
        piece = piece[lead.end() :]
    tail = _EDGE_END.search(piece)
    if tail and tail.start() > 0:
        end = start + tail.start()
        piece = piece[: tail.start()]
    return start, end, re.sub(r",?\s*\b(?:erm|er|um|uh)\b,?", "", piece).strip()
