"""Legislation from legislation.jsonl: Acts with their year, sections tied to the Act said with them.

"section 47 of the Children Act 1989", "Children Act section 47", "a section forty seven enquiry",
"s47", "Care Act" all become "<Act> <year>[ s<section>]"; a bare Act is dropped when the same Act
is also named with a section.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from speakcase.pipelines.extract.rules.loader import Match

if TYPE_CHECKING:
    from speakcase.pipelines.extract.rules import Hit, Rules, TextLike

_JOIN_AFTER = frozenset({"of", "under", "in", "the", ","})


class Legislation:
    """The legislation table's resolver."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        lex = rules.lexicons
        self.numbers: dict[str, int] = dict(lex["numbers"])
        self.misheard: dict[str, int] = {k: v for k, v in lex["misheard_numbers"].items() if " " not in k}
        self.misheard_pairs: dict[tuple[str, str], int] = {
            (k.split()[0], k.split()[1]): v for k, v in lex["misheard_numbers"].items() if " " in k
        }
        table = rules.tables["legislation"]
        self.defaults: dict[int, str] = {
            int(r.extra["section"]): str(r.extra["act"])
            for r in table.rules
            if r.category == "section_default"
        }

    # numbers ----------------------------------------------------------------------------------

    def number(self, words: list[str]) -> tuple[int | None, int]:
        """The number spoken in `words` (digits, number words, misheard digits) and how many words it took."""
        parts: list[str] = []
        used = 0
        for word in words[:5]:
            used += 1
            if word in ("-", "and"):
                continue
            parts.append(word)
        if len(parts) > 1 and (parts[0], parts[1]) in self.misheard_pairs:
            parts = [str(self.misheard_pairs[(parts[0], parts[1])]), *parts[2:]]
        values: list[int] = []
        taken = 0
        for i, part in enumerate(parts):
            value = int(part) if part.isdigit() else self.numbers.get(part)
            if value is None and part in self.misheard and values:
                if (values[-1] >= 20 and values[-1] % 10 == 0) or (
                    len(values) == 1 and values[0] < 10 and i + 1 < len(parts)
                ):
                    value = self.misheard[part]
            spelt = len(part) == 1 and all(v < 10 for v in values)  # "1-1-5": digit by digit
            if value is None or (i and part.isdigit() and not spelt):
                break
            values.append(value)
            taken = i + 1
        if not values:
            return None, 0
        # words consumed: count up to the taken-th non-filler word
        consumed, seen = 0, 0
        for word in words:
            consumed += 1
            if word not in ("-", "and"):
                seen += 1
            if seen == taken:
                break
        if all(v < 10 for v in values) and len(values) > 1:
            return int("".join(str(v) for v in values)), consumed
        if len(values) == 2 and values[0] < 10 and 10 <= values[1] < 100:
            return int(f"{values[0]}{values[1]}"), consumed
        total = 0
        for value in values:
            total = total * 100 if value == 100 else total + value
        return total, consumed

    def year(self, words: list[str]) -> tuple[int | None, int]:
        """A year said after an Act: "1989", "nineteen eighty nine", "two thousand and four"."""
        if not words:
            return None, 0
        if re.fullmatch(r"(19|20)\d\d", words[0]):
            if words[0] == "2000" and words[1:2] == ["and"]:  # "2000 and 4", as heard
                rest, used = self.number(words[2:3])
                if rest is not None and rest < 100:
                    return 2000 + rest, 2 + used
            return int(words[0]), 1
        if words[:2] == ["two", "thousand"]:
            rest, used = self.number(words[2:5])
            if words[2:3] == ["and"] and rest is None:
                return None, 0
            return 2000 + (rest or 0), 2 + used
        century = {"nineteen": 1900, "twenty": 2000}.get(words[0])
        if century is None:
            return None, 0
        rest, used = self.number(words[1:4])
        if rest is None or not 0 < rest < 100:
            return None, 0
        return century + rest, 1 + used

    # resolution -------------------------------------------------------------------------------

    def hits(self, text: TextLike) -> list[Hit]:
        rules = self.rules
        doc, offset = rules.doc(text)
        words = [t.lower_ for t in doc]
        matches = rules.tables["legislation"].matches(doc)
        acts = _longest_of(matches, "act")
        found: list[Hit] = []
        used: list[tuple[int, int]] = []
        for s, e, rule in matches:
            if rule.category == "implied":
                found.append(rules._hit(doc, offset, s, e, rule, str(rule.extra["canonical"])))
                used.append((s, e))
        act_end: dict[int, tuple[int, str, bool]] = {}  # act start -> (end incl. year, canonical, year said)
        for s, e, rule in acts:
            year, taken = self.year(words[e : e + 5])
            canonical = f"{rule.extra['act']} {year or rule.extra['default_year']}"
            act_end[s] = (e + taken, canonical, year is not None)
        for s, e, rule in matches:
            if rule.category != "section_word" or any(a <= s < b for a, b in used):
                continue
            number: int | None
            if e - s == 1 and re.fullmatch(r"s\.?\d+[a-z]?", words[s]):
                number, end = int(re.sub(r"\D", "", words[s])), e
            else:
                number, taken = self.number(words[e : e + 5])
                end = e + taken
            if number is None:
                continue
            act, stop, act_span = self._act_for(words, s, end, number, acts, act_end)
            if act:
                found.append(rules._hit(doc, offset, s, stop, rule, f"{act} s{number}"))
                used.append((s, stop))
                if act_span is not None:
                    used.append(act_span)
        for s, _e, rule in acts:
            if any(a <= s < b for a, b in used):
                continue
            stop, canonical, _ = act_end[s]
            found.append(rules._hit(doc, offset, s, stop, rule, canonical))
        unique: dict[str, Hit] = {}
        for hit in sorted(found, key=lambda h: h.start):
            unique.setdefault(hit.value, hit)
        sectioned = {v.rsplit(" s", 1)[0] for v in unique if re.search(r" s\d+$", v)}
        return [h for v, h in unique.items() if v not in sectioned]

    def _act_for(
        self,
        words: list[str],
        start: int,
        end: int,
        number: int,
        acts: list[Match],
        act_end: dict[int, tuple[int, str, bool]],
    ) -> tuple[str | None, int, tuple[int, int] | None]:
        """The Act a section belongs to, where the mention ends, and the Act's own tokens if said."""
        usual = self.defaults.get(number)
        gap = end
        while gap < len(words) and gap - end < 3 and words[gap] in _JOIN_AFTER:
            gap += 1
        after = next((a for a in acts if a[0] == gap), None)
        if after is not None:
            stop, canonical, year_said = act_end[after[0]]
            return self._said(canonical, year_said, usual), stop, (after[0], stop)
        # "Children Act section 47": the Act said just before the section word
        before = next((a for a in acts if a[1] <= start and all(w == "," for w in words[a[1] : start])), None)
        if before is not None:
            stop, canonical, year_said = act_end[before[0]]
            if stop <= start:
                return self._said(canonical, year_said, usual), end, (before[0], stop)
        return usual, end, None

    @staticmethod
    def _said(canonical: str, year_said: bool, usual: str | None) -> str:
        """The Act as said, or the section's usual Act when only its title was said ("Children Act s11")."""
        if not year_said and usual and usual.rsplit(" ", 1)[0] == canonical.rsplit(" ", 1)[0]:
            return usual
        return canonical


def _longest_of(matches: list[Match], category: str) -> list[Match]:
    from speakcase.pipelines.extract.rules import _longest

    return _longest([m for m in matches if m[2].category == category])
