"""Score predicted records against labelled cases by SCHEMA.md's rules (a faithful re-implementation)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

EXACT = ("kind", "occurred_at", "counterpart.agency", "consent.status", "family_informed", "third_party")
SETS = ("lawful_basis", "legislation", "consent.reasons", "advice_sought", "protocols")
NAMES = ("counterpart.name", "subject", "consent.given_by")
TEXTS = ("counterpart.role", "counterpart.organisation", "information", "reason", "consent.explanation")
FIELDS = EXACT + SETS + NAMES + TEXTS

_STOP = frozenset(
    "a an the of to and or for in on at by with about from that this these those is was were be been "
    "her his their our my its it he she they we i you them us me him as which who whom what".split()
)
_TITLES = frozenset("mr mrs ms miss dr doctor ds dc pc sgt sergeant detective inspector di nurse".split())
_KIN = {
    "mum": "mother",
    "mam": "mother",
    "mummy": "mother",
    "dad": "father",
    "daddy": "father",
    "nan": "grandmother",
    "nana": "grandmother",
    "gran": "grandmother",
    "grandma": "grandmother",
    "grandad": "grandfather",
    "grandpa": "grandfather",
    "parent": "parents",
}
_EMPTY = (None, "", [], False, "unknown")


def _get(record: Any, dotted: str) -> Any:
    value = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _tokens(text: Any) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+", str(text or "").lower()) if t not in _STOP]


def text_match(expected: Any, predicted: Any) -> bool:
    """Token F1 of at least 0.5 after dropping stop words; both empty also matches."""
    e, p = _tokens(expected), _tokens(predicted)
    if not e or not p:
        return not e and not p
    pool, common = list(p), 0
    for token in e:
        if token in pool:
            pool.remove(token)
            common += 1
    if common == 0:
        return False
    precision, recall = common / len(p), common / len(e)
    return 2 * precision * recall / (precision + recall) >= 0.5


def _name_tokens(text: Any) -> list[str]:
    words = re.findall(r"[a-z0-9]+(?:'s)?", str(text or "").lower())
    return [_KIN.get(t, t) for t in words if t not in _TITLES and t not in ("the", "his", "her", "their")]


def name_match(expected: Any, predicted: Any) -> bool:
    """Names match ignoring case, titles and punctuation; a first name alone matches the full name."""
    e, p = _name_tokens(expected), _name_tokens(predicted)
    if not e or not p:
        return not e and not p
    if e == p:
        return True
    shorter, longer = (p, e) if len(p) < len(e) else (e, p)
    return all(t in longer for t in shorter)


def _norm_set(values: Any) -> list[str]:
    return sorted({re.sub(r"\s+", " ", str(v).strip().lower()) for v in (values or [])})


def field_match(name: str, expected: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    """Whether one field of a predicted record matches the expected one."""
    e, p = _get(expected, name), _get(predicted, name)
    if name in EXACT:
        return e == p
    if name in SETS:
        return _norm_set(e) == _norm_set(p)
    if name in NAMES:
        return name_match(e, p)
    return text_match(e, p)


@dataclass
class Score:
    """Points won and possible, overall, per field and over fields whose expected value is not empty."""

    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    filled: list[int] = field(default_factory=lambda: [0, 0])
    extra_records: int = 0

    def add_case(self, expected: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> None:
        """Pair records in order and count every field's point."""
        for i, exp in enumerate(expected):
            pred = predicted[i] if i < len(predicted) else {}
            for name in FIELDS:
                ok = bool(pred) and field_match(name, exp, pred)
                self.fields[name][0] += ok
                self.fields[name][1] += 1
                if _get(exp, name) not in _EMPTY:
                    self.filled[0] += ok
                    self.filled[1] += 1
        self.extra_records += max(0, len(predicted) - len(expected))

    def summary(self) -> dict[str, Any]:
        """The overall score, the non-empty-field score and per-field scores, rounded like score.py."""
        won = sum(w for w, _ in self.fields.values())
        possible = sum(n for _, n in self.fields.values()) + self.extra_records * len(FIELDS)
        return {
            "score": round(won / possible, 4) if possible else 0.0,
            "points": won,
            "possible": possible,
            "extra_records": self.extra_records,
            "filled_fields": round(self.filled[0] / self.filled[1], 4) if self.filled[1] else None,
            "fields": {f: round(w / n, 4) if n else None for f, (w, n) in self.fields.items()},
        }


def asr_variant(text: str) -> str:
    """The text as a speech recogniser might give it: lower case, no punctuation."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower().replace("-", " "))).strip()
