"""Rules as data: the normalisers and gazetteers of extraction, as spaCy patterns in JSONL files.

The data lives in `rules/data/` (format and validation: `loader.py`):

- `lexicons.json`: every word list once (numbers, ordinals, months, weekdays, day parts, kin,
  titles, ranks, approximators, correction words, role head words, misheard numbers);
  patterns refer to one as `{"LOWER": {"IN": "@numbers"}}` written `["@numbers"]`;
- `legislation.jsonl`: Acts (canonical title, default year, misheard wordings), the usual Act of
  a bare section number, section words, implied phrases;
- `organisations.jsonl` / `roles.jsonl`: organisation head words and role wordings with the
  agency code each implies;
- `protocols.jsonl`, `lawful_basis.jsonl`, `consent_reasons.jsonl`, `advice.jsonl`: cue phrases
  per code, with medspaCy-style context cues (category in capitals, `direction`, `scope`);
- `times.jsonl`: time-expression patterns (clock times, days, "just now", corrections) that
  `time.py` resolves against the memo's recorded_at.

A new wording is one line in one of these files plus one case in tests/rules_cases/.

API (every text argument is a `str`, a spaCy `Doc` or a `Span`; character offsets in results are
relative to the Doc for a Span, else to the text; matching is on lower-cased tokens and each
literal also matches as a speech recogniser writes it, without punctuation)::

    rules = load_rules()                      # cached; matchers built once
    rules.legislation(text) -> list[str]      # ["Children Act 1989 s47"]; legislation_hits -> list[Hit]
    rules.agency(organisation, role) -> str | None
    rules.protocols(text) -> list[str]        # ["MASH"]; protocol_hits(text) -> list[Hit]
    rules.lawful_bases(text) -> list[str]     # ["legal_obligation"]
    rules.consent_reasons(text) -> list[str]  # ["increase_risk"]
    rules.advice(text) -> list[str]           # ["manager"]; advice_hits, advice_context (cues reaching)
    rules.roles(text) -> list[Hit]            # role mentions, value = agency code or ""
    rules.organisation_heads(text) -> list[Hit]
    rules.times(text, recorded_at) -> list[TimeHit]     # every time mention, resolved
    rules.occurred_at(text, recorded_at, anchor=None) -> str | None
    rules.gazetteer("kin") -> list[str] | dict[str, Any]
    rules.hits(table, text) -> list[Hit]      # raw matches of any table, with the rule's file:line

`Hit` carries start/end character offsets, the matched text, the value (a code) and the rule's
`file:line`, so every decision can be traced to one data line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from speakcase.models import records
from speakcase.pipelines.extract.rules import time as time_rules
from speakcase.pipelines.extract.rules.loader import (
    FileSpec,
    Match,
    Rule,
    RuleError,
    load_lexicons,
    read_rules,
)

__all__ = ["Hit", "RuleError", "Rules", "TimeHit", "load_rules"]

TextLike = str | Doc | Span

AGENCIES = frozenset(records.AGENCIES)
BASES = frozenset(records.LAWFUL_BASES)
REASONS = frozenset(records.CONSENT_REASONS)
ADVICE = frozenset(records.ADVICE)
PROTOCOLS = frozenset(records.PROTOCOLS)
TIME_KINDS = time_rules.KINDS

SPECS: dict[str, FileSpec] = {
    "legislation": FileSpec(
        "legislation.jsonl",
        frozenset({"act", "section_default", "section_word", "implied"}),
        extra=frozenset({"act", "default_year", "section", "canonical"}),
    ),
    "organisations": FileSpec("organisations.jsonl", frozenset(AGENCIES | {None}), extra=frozenset({"weak"})),
    "roles": FileSpec(
        "roles.jsonl", frozenset(AGENCIES | {None}), extra=frozenset({"overrides_organisation"})
    ),
    "protocols": FileSpec("protocols.jsonl", frozenset(PROTOCOLS | {"ELSEWHERE"}), context=True),
    "lawful_basis": FileSpec("lawful_basis.jsonl", BASES),
    "consent_reasons": FileSpec("consent_reasons.jsonl", REASONS),
    "advice": FileSpec(
        "advice.jsonl", frozenset(ADVICE | {"CONSULTED", "NOT_ADVICE", "OTHER_SIDE"}), context=True
    ),
    "times": FileSpec("times.jsonl", TIME_KINDS, extra=frozenset({"part"}), context=True),
}
"""Table name -> its file and what the file may hold."""

_UNIQUE_LITERALS = tuple(SPECS)


@dataclass(frozen=True)
class Hit:
    """One match of one rule."""

    start: int
    """Character offset of the match."""
    end: int
    """Character offset just past it."""
    text: str
    """The matched text as written."""
    value: str
    """What it means: the rule's category (an agency, basis or advice code, MASH...)."""
    rule: str
    """`file:line` of the rule that matched."""
    tokens: tuple[int, int] = (0, 0)
    """Token offsets [start, end) in the rules' own tokenisation (internal)."""


@dataclass(frozen=True)
class TimeHit:
    """One time mention, resolved on its own ("yesterday" -> the date, "ten past two" -> a clock)."""

    start: int
    end: int
    text: str
    kind: str
    """The time table category: CLOCK, NOW, YESTERDAY, WEEKDAY..."""
    value: str | None
    """Contract form "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", or None when it cannot be resolved alone."""
    rule: str


def _asr_form(text: str) -> str:
    """A literal as a speech recogniser writes it (scoring.asr_variant's rule)."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower().replace("-", " "))).strip()


class _Table:
    """The compiled matchers of one rule file."""

    def __init__(self, nlp: Any, rules: list[Rule], unique: bool) -> None:
        self.rules = rules
        self._last: tuple[Doc, list[Match]] | None = None
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab, validate=True)
        seen: dict[str, str] = {}
        for index, rule in enumerate(rules):
            key = str(index)
            if rule.pattern is not None:
                _check_tokens(nlp, rule)
                try:
                    self.matcher.add(key, [list(rule.pattern)])
                except Exception as exc:  # spaCy's MatchPatternError and friends
                    raise RuleError(f"{rule.where}: bad token pattern: {exc}") from None
                continue
            assert rule.literal is not None
            forms = dict.fromkeys([rule.literal.lower(), _asr_form(rule.literal)])
            if unique:
                # a hyphenated literal ("multi-agency") needs its own line: the text keeps the hyphen
                for form in [rule.literal.lower()] if "-" in rule.literal else forms:
                    if form in seen and seen[form] != rule.where:
                        raise RuleError(f"{rule.where}: {rule.literal!r} is already a rule at {seen[form]}")
                    seen[form] = rule.where
            self.phrases.add(key, [nlp.make_doc(form) for form in forms if form])

    def matches(self, doc: Doc) -> list[tuple[int, int, Rule]]:
        """Every match in `doc`, ordered by start, longest first (the last doc's are kept)."""
        if self._last is not None and self._last[0] is doc:
            return self._last[1]
        found = {(s, e, int(doc.vocab.strings[k])) for k, s, e in self.phrases(doc)}
        if len(self.matcher):
            found |= {(s, e, int(doc.vocab.strings[k])) for k, s, e in self.matcher(doc)}
        result = [(s, e, self.rules[i]) for s, e, i in sorted(found, key=lambda m: (m[0], -m[1], m[2]))]
        self._last = (doc, result)
        return result


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # set operators hold words; REGEX and the like do not
        return [w for k, v in value.items() if k in ("IN", "NOT_IN") for w in _words(v)]
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    return []


def _check_tokens(nlp: Any, rule: Rule) -> None:
    """A pattern word the tokenizer splits ("can't" -> ca n't) could never match one token: an error."""
    assert rule.pattern is not None
    for token in rule.pattern:
        for key in ("LOWER", "TEXT", "ORTH", "NORM"):
            for word in _words(token.get(key)):
                if word.startswith("'") or word == "n't":  # a clitic: one token after its host ("I've")
                    if len(nlp.make_doc(("do" if word == "n't" else "i") + word)) == 2:
                        continue
                if len(nlp.make_doc(word)) > 1:
                    raise RuleError(
                        f"{rule.where}: pattern word {word!r} is several tokens to spaCy "
                        f"({' '.join(t.text for t in nlp.make_doc(word))}): write a literal or one token each"
                    )


def _longest(matches: Sequence[tuple[int, int, Rule]]) -> list[tuple[int, int, Rule]]:
    """Non-overlapping matches, longest first, then earliest, then the earlier rule line."""
    taken: list[tuple[int, int, Rule]] = []
    for m in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0], m[2].line)):
        if all(m[1] <= t[0] or m[0] >= t[1] for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m[0])


_SENTENCE_END = frozenset({".", "?", "!", ";"})


class Rules:
    """Compiled rule tables; build once (load_rules caches one) and share."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        """Load and validate the packaged data; `texts` (file name -> content) replaces files (tests)."""
        texts = texts or {}
        self.nlp = spacy.blank("en")
        self._docs: dict[str, Doc] = {}
        self.lexicons = load_lexicons(texts.get("lexicons.json"))
        self.tables: dict[str, _Table] = {}
        for name, spec in SPECS.items():
            rules = read_rules(spec, self.lexicons, texts.get(spec.name))
            self.tables[name] = _Table(self.nlp, rules, unique=name in _UNIQUE_LITERALS)
        from speakcase.pipelines.extract.rules import legislation as _legislation

        self._by_where = {r.where: r for t in self.tables.values() for r in t.rules}
        self._legislation = _legislation.Legislation(self)
        self._time = time_rules.TimeRules(self)

    # --- plumbing --------------------------------------------------------------------------------

    def doc(self, text: TextLike) -> tuple[Doc, int]:
        """The text in the rules' own tokenisation, and the character offset to add to results."""
        if isinstance(text, Span):
            return self._make_doc(text.text), text.start_char
        if isinstance(text, Doc):
            return (text, 0) if text.vocab is self.nlp.vocab else (self._make_doc(text.text), 0)
        return self._make_doc(text), 0

    def _make_doc(self, text: str) -> Doc:
        """Tokenise once per text: callers ask several tables about the same memo or span."""
        doc = self._docs.get(text)
        if doc is None:
            if len(self._docs) >= 256:
                self._docs.clear()
            doc = self._docs[text] = self.nlp.make_doc(text)
        return doc

    def _hit(self, doc: Doc, offset: int, start: int, end: int, rule: Rule, value: str | None = None) -> Hit:
        span = doc[start:end]
        category = rule.category if value is None else value
        return Hit(
            span.start_char + offset,
            span.end_char + offset,
            span.text,
            category or "",
            rule.where,
            (start, end),
        )

    def hits(self, table: str, text: TextLike, longest: bool = True) -> list[Hit]:
        """Matches of one table's rules (targets and cues alike), longest non-overlapping unless told."""
        doc, offset = self.doc(text)
        matches = self.tables[table].matches(doc)
        chosen = _longest(matches) if longest else matches
        return [self._hit(doc, offset, s, e, r) for s, e, r in chosen]

    def _targets_with_context(self, table: str, text: TextLike) -> list[tuple[Hit, set[str]]]:
        """Target hits (lower-case or code categories) with the context cue categories that reach them."""
        doc, offset = self.doc(text)
        matches = self.tables[table].matches(doc)
        cues = [m for m in matches if m[2].direction is not None]
        targets = _longest([m for m in matches if m[2].direction is None])
        bounds = [i for i, t in enumerate(doc) if t.text in _SENTENCE_END]
        out = []
        for s, e, rule in targets:
            sentence = (
                max([b + 1 for b in bounds if b < s], default=0),
                min([b for b in bounds if b >= e], default=len(doc)),
            )
            reached: set[str] = set()
            for cs, ce, cue in cues:
                if cs < sentence[0] or ce > sentence[1]:
                    continue
                scope = cue.scope or 8
                overlaps = cs < e and s < ce
                forward = cue.direction in ("forward", "bidirectional") and ce <= s and s - ce < scope
                backward = cue.direction in ("backward", "bidirectional") and cs >= e and cs - e < scope
                if overlaps or forward or backward:
                    reached.add(cue.category or "")
            out.append((self._hit(doc, offset, s, e, rule), reached))
        return out

    @staticmethod
    def _codes(hits: Sequence[Hit]) -> list[str]:
        return list(dict.fromkeys(h.value for h in hits))

    # --- coded fields ----------------------------------------------------------------------------

    def legislation(self, text: TextLike) -> list[str]:
        """Canonical Acts and sections named in the text, once each, in text order."""
        return [h.value for h in self._legislation.hits(text)]

    def legislation_hits(self, text: TextLike) -> list[Hit]:
        """As `legislation`, with where each was said."""
        return self._legislation.hits(text)

    def protocols(self, text: TextLike) -> list[str]:
        """MASH / MARAC / MAPPA named, except where others should go ("they can refer to the MASH")."""
        return self._codes(self.protocol_hits(text))

    def protocol_hits(self, text: TextLike) -> list[Hit]:
        """As `protocols`, every mention with where it was said."""
        return [h for h, ctx in self._targets_with_context("protocols", text) if "ELSEWHERE" not in ctx]

    def lawful_bases(self, text: TextLike) -> list[str]:
        """UK GDPR Article 6 basis codes the text states."""
        return self._codes(self.hits("lawful_basis", text))

    def consent_reasons(self, text: TextLike) -> list[str]:
        """Consent reason codes whose cue phrases the text holds (the caller picks the consent passage)."""
        return self._codes(self.hits("consent_reasons", text))

    def advice(self, text: TextLike) -> list[str]:
        """Advice codes: a target (my manager, the DPO) with a consultation cue near it, not an escalation."""
        return self._codes(self.advice_hits(text))

    def advice_hits(self, text: TextLike) -> list[Hit]:
        """As `advice`, every accepted mention with where it was said."""
        return [
            h
            for h, ctx in self.advice_context(text)
            if "CONSULTED" in ctx and "NOT_ADVICE" not in ctx and "OTHER_SIDE" not in ctx
        ]

    def advice_context(self, text: TextLike) -> list[tuple[Hit, set[str]]]:
        """Every advice target with the cue categories reaching it (for confidence and evidence)."""
        return self._targets_with_context("advice", text)

    # --- agencies --------------------------------------------------------------------------------

    def roles(self, text: TextLike) -> list[Hit]:
        """Role mentions; value is the agency code the role implies, "" when none."""
        return self.hits("roles", text)

    def organisation_heads(self, text: TextLike) -> list[Hit]:
        """Organisation head words and agency words; value is the agency code, "" when none."""
        return self.hits("organisations", text)

    def agency(self, organisation: TextLike | None, role: TextLike | None = None) -> str | None:
        """The agency code of a counterpart: an overriding role, else the organisation, else the role."""
        role_hits = self.roles(role) if role is not None else []
        for hit in role_hits:
            if hit.value and self.rule(hit).extra.get("overrides_organisation"):
                return hit.value
        if organisation is not None:
            code = self._strongest(self.organisation_heads(organisation))
            if code:
                return code
        for hit in role_hits:
            if hit.value:
                return hit.value
        if role is not None:
            return self._strongest(self.organisation_heads(role))
        return None

    def rule(self, hit: Hit) -> Rule:
        """The rule a hit came from."""
        return self._by_where[hit.rule]

    def _strongest(self, hits: list[Hit]) -> str | None:
        """The agency of the longest match with a code; weak words only when nothing else has one."""
        coded = [h for h in hits if h.value]
        if not coded:
            return None
        strong = [h for h in coded if not self.rule(h).extra.get("weak")] or coded
        best = max(strong, key=lambda h: (h.tokens[1] - h.tokens[0], -strong.index(h)))
        return best.value

    # --- times -----------------------------------------------------------------------------------

    def times(self, text: TextLike, recorded_at: datetime | str) -> list[TimeHit]:
        """Every time mention in text order, each resolved on its own against recorded_at."""
        return self._time.hits(text, _when(recorded_at))

    def occurred_at(
        self, text: TextLike, recorded_at: datetime | str, anchor: int | None = None
    ) -> str | None:
        """When the event happened: the time group nearest before `anchor` (a character offset in the
        same coordinates as results, so doc-relative for a Span; the first group when None), day and
        clock joined, a self-correction winning; None when no time is said."""
        return self._time.occurred_at(text, _when(recorded_at), anchor)

    # --- lexicons --------------------------------------------------------------------------------

    def gazetteer(self, name: str) -> Any:
        """One lexicon of lexicons.json (a list of words, or a mapping word -> value), or a table's literals
        ("roles", "organisations": mapping wording -> agency code or None)."""
        if name in self.lexicons:
            return self.lexicons[name]
        if name in self.tables:
            return {r.literal: r.category for r in self.tables[name].rules if r.literal}
        raise KeyError(f"no lexicon or table named {name!r}")


def _when(recorded_at: datetime | str) -> datetime:
    return recorded_at if isinstance(recorded_at, datetime) else datetime.fromisoformat(recorded_at)


@functools.cache
def load_rules() -> Rules:
    """The packaged rules, loaded and compiled once per process."""
    return Rules()
