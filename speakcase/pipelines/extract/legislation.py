"""Acts and sections named in a memo, normalised to "<Act> <year> s<section>"."""

from __future__ import annotations

import re

from speakcase.pipelines.extract.counterpart import Mention
from speakcase.pipelines.extract.text import TextView, alternation, resource, rx

_L = resource("legislation.json")
_NUMS: dict[str, int] = resource("lexicon.json")["numbers"]
_MISHEARD: dict[str, int] = _L["misheard_numbers"]
_ALIASES = [(rx(p), key) for p, key in _L.get("misheard_acts", [])]
_ACT_RX = rx(
    r"(?:"
    + alternation(list(_L["acts"]))
    + "".join("|" + p for p, _ in _L.get("misheard_acts", []))
    + r")"
    + r"(?:\s+(?P<year>\d{4}|(?:nineteen|twenty|two\s+thousand)(?:\s+(?:and\s+)?[a-z]+){1,2}))?"
)
_NUMWORD = r"(?:\d{1,3}|" + "|".join(sorted(_NUMS, key=len, reverse=True)) + r"|to|too|for|ate|and|on|tee)"
_SECTION_RX = rx(
    rf"\b(?:section|sec\.?|s\.)\s*(?P<num>\d{{1,3}}[a-z]?|{_NUMWORD}(?:[\s-]+{_NUMWORD}){{0,3}})\b"
)
_IMPLIED = [(rx(p), canon) for p, canon in _L["implied"]]


def _number(words: str) -> int | None:
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w and w != "and"]
    if len(parts) > 1 and parts[0] == "for" and parts[1] in ("to", "too", "tee", "ty"):
        parts = ["forty", *parts[2:]]
    if not parts:
        return None
    if len(parts) == 1 and parts[0].isdigit():
        return int(parts[0])
    values: list[int] = []
    for i, part in enumerate(parts):
        value = int(part) if part.isdigit() else _NUMS.get(part)
        if value is None and part in _MISHEARD and values and values[-1] >= 20 and values[-1] % 10 == 0:
            value = _MISHEARD[part]
        if value is None and part in _MISHEARD and values and values[-1] < 10 and i + 1 < len(parts):
            value = _MISHEARD[part]
        if value is None:
            break
        values.append(value)
    if not values:
        return None
    if all(v < 10 for v in values) and len(values) > 1:
        return int("".join(str(v) for v in values))
    if len(values) == 2 and values[0] < 10 and 10 <= values[1] < 100:
        return int(f"{values[0]}{values[1]}")
    total = 0
    for value in values:
        total = total * 100 + value if value == 100 else total + value
    return total


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    words = [w for w in text.lower().split() if w != "and"]
    if words[:2] == ["two", "thousand"]:
        return 2000 + (_number(" ".join(words[2:])) or 0)
    century = {"nineteen": 1900, "twenty": 2000}.get(words[0])
    rest = _number(" ".join(words[1:])) if len(words) > 1 else None
    return century + rest if century and rest is not None else None


def _act(m: re.Match[str]) -> str:
    name = re.sub(r"[\s-]+", " ", m.group().lower())
    key = next((k for k in _L["acts"] if name.startswith(k)), None)
    if key is None:
        key = next(k for p, k in _ALIASES if p.match(name))
    year = _year(m.group("year")) or _L["acts"][key]["default_year"]
    title = " ".join(w if w in ("and", "of") else w.capitalize() for w in key.split())
    return f"{title} {year}"


def _said_act(act: re.Match[str], number: int) -> str:
    """The act as said, or the section's usual act when only its name was said ("Children Act section 11")."""
    named = _act(act)
    usual = _L["sections"].get(str(number))
    if act.group("year") is None and usual and usual.rsplit(" ", 1)[0] == named.rsplit(" ", 1)[0]:
        return usual
    return named


def _section_act(view: TextView, m: re.Match[str], number: int) -> tuple[str | None, int]:
    tail = view.norm[m.end() : view.advance_words(m.end(), 9)]
    act = _ACT_RX.search(tail)
    if act and re.match(r"^[\s,]*(?:(?:of|under|in)\s+)?(?:the\s+)?$", tail[: act.start()]):
        return _said_act(act, number), m.end() + act.end()
    if act and re.match(r"^\s*(?:\w+\s+){0,3}under\s+the\s+$", tail[: act.start()]):
        return _act(act), m.end() + act.end()
    head = view.norm[max(0, m.start() - 70) : m.start()]
    before = [a for a in _ACT_RX.finditer(head) if re.match(r"^[\s,]*$", head[a.end() :])]
    if before:
        return _said_act(before[-1], number), m.end()
    return _L["sections"].get(str(number)), m.end()


def legislation_in(view: TextView, start: int, end: int) -> list[Mention]:
    """Canonical legislation mentions in [start, end), once each, in text order."""
    found: list[Mention] = []
    used: list[tuple[int, int]] = []
    for pattern, canon in _IMPLIED:
        for m in pattern.finditer(view.norm, start, end):
            found.append(Mention(m.start(), m.end(), canon, 0.8))
            used.append(m.span())
    for m in _SECTION_RX.finditer(view.norm, start, end):
        number = _number(m.group("num"))
        if number is None or any(s <= m.start() < e for s, e in used):
            continue
        act, act_end = _section_act(view, m, number)
        if act:
            found.append(Mention(m.start(), act_end, f"{act} s{number}", 0.85))
            used.append((m.start(), act_end))
    for m in _ACT_RX.finditer(view.norm, start, end):
        after = _SECTION_RX.match(view.norm, m.end() + len(re.match(r"[\s,]*", view.norm[m.end() :]).group()))
        if after is not None and _number(after.group("num")) is not None:
            continue
        if not any(s <= m.start() < e for s, e in used):
            found.append(Mention(m.start(), m.end(), _act(m), 0.8))
    unique: dict[str, Mention] = {}
    for mention in sorted(found, key=lambda f: f.start):
        unique.setdefault(mention.text, mention)
    sectioned = {m.text.rsplit(" s", 1)[0] for m in unique.values() if re.search(r" s\d+$", m.text)}
    return [m for m in unique.values() if m.text not in sectioned]
