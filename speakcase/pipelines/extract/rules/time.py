"""Time expressions from times.jsonl, resolved against the memo's recorded_at.

The patterns say where a time is and what kind it is (CLOCK, TODAY, WEEKDAY...); this module reads
the value from the matched words with the lexicons (numbers, ordinals, months, weekdays, day
parts) and keeps the resolver of the old timeparse.py: a day and a clock said together join into
one group, a self-correction ("Tuesday, no, Wednesday") makes the later time win, an hour without
a part of the day is the latest past one on the day of recording (else the afternoon for 1-6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from spacy.tokens import Doc

if TYPE_CHECKING:
    from speakcase.pipelines.extract.rules import Rules, TextLike, TimeHit
    from speakcase.pipelines.extract.rules.loader import Rule

_DAY_KINDS = frozenset(
    {
        "DAYS_AGO",
        "NOW",
        "AGO",
        "TODAY",
        "YESTERDAY",
        "BEFORE_YESTERDAY",
        "LAST_WEEK",
        "WEEKDAY",
        "DATE",
        "VAGUE",
    }
)
_TARGETS = _DAY_KINDS | {"CLOCK", "HOURLESS"}
KINDS = _TARGETS | {"CORRECTION", "NOT_WHEN", "NOT_CLOCK"}
"""The categories times.jsonl may use: mentions, and the cues that correct or rule them out."""


@dataclass(frozen=True)
class Mention:
    start: int
    """Token offsets [start, end)."""
    end: int
    kind: str
    rule: Rule
    day: date | None = None
    hour: int | None = None
    minute: int = 0
    part: str | None = None
    vague: bool = False
    ago: int = 0

    @property
    def is_clock(self) -> bool:
        return self.kind in ("CLOCK", "HOURLESS")


class TimeRules:
    """The times table's reader and resolver."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        lex = rules.lexicons
        self.numbers: dict[str, int] = dict(lex["numbers"])
        self.ordinals: dict[str, int] = dict(lex["ordinals"])
        self.months: dict[str, int] = dict(lex["months"])
        self.weekdays: list[str] = list(lex["weekdays"])
        self.parts: dict[str, str] = dict(lex["day_parts"])
        self.directions: dict[str, str] = dict(lex["clock_directions"])

    # reading values ---------------------------------------------------------------------------

    def _num(self, words: list[str]) -> int | None:
        words = [w for w in words if w not in ("-", "odd", "minute", "minutes", "and")]
        if not words:
            return None
        if len(words) == 1 and words[0].isdigit():
            return int(words[0])
        total = 0
        for word in words:
            if word == "half":
                return 30
            if word == "quarter":
                return 15
            if word.isdigit():
                total += int(word)
                continue
            if word not in self.numbers:
                return None
            total += self.numbers[word]
        return total

    def _clock(self, words: list[str]) -> tuple[int, int] | None:
        """(hour as said, minutes) of a clock match."""
        for special, value in (("midnight", (0, 0)), ("midday", (12, 0)), ("noon", (12, 0))):
            if special in words:
                return value
        core = [
            w
            for w in words
            if w not in self.rules.lexicons["approximators"]
            and w
            not in ("at", "-", "o'clock", "oclock", "o", "clock", "hours", "ish", "-ish", "sharp", "the")
            and w not in self.parts
            and w not in ("this", "in", "tonight")
        ]
        if not core:
            return None
        hour: int | None
        minute: int | None
        first = re.sub(r"[ap]\.?m\.?$", "", core[0])
        if re.fullmatch(r"\d{1,2}[:.]\d{2}", first):
            hour, minute = int(re.split(r"[:.]", first)[0]), int(re.split(r"[:.]", first)[1])
            return (hour, minute) if hour <= 23 and minute < 60 else None
        if re.fullmatch(r"\d{3,4}", first):
            hour, minute = int(first[:-2]), int(first[-2:])
            return (hour, minute) if hour <= 23 and minute < 60 else None
        for i, word in enumerate(core):
            direction = self.directions.get(word)
            if direction is not None and i > 0:
                offset, hour = self._num(core[:i]), self._num(core[i + 1 : i + 2])
                if offset is None and i > 0 and core[i + 1 :]:
                    core = core[i + 1 :]  # "just after three", "coming up to three": about that hour
                    break
                if offset is None or hour is None or offset >= 60 or hour > 23:
                    return None
                return ((hour - 1) % 24, 60 - offset) if direction == "to" else (hour, offset)
        if core[0] == "half" and len(core) > 1:
            hour = self._num(core[1:2])
            return (hour, 30) if hour is not None and hour <= 23 else None
        if "hundred" in core:
            i = core.index("hundred")
            hour = self._num([w for w in core[:i] if w not in ("oh", "zero")])
            if hour is None or hour > 23 or (hour < 10 and not {"oh", "zero"} & set(core[:i])):
                return None  # "one hundred" is a count; "oh nine hundred", "fourteen hundred" are times
            return hour, 0
        # "three forty five", "twenty one fifteen", "three", "nine oh five"
        values = [re.sub(r"[ap]\.?m\.?$", "", w) for w in core]
        values = [w for w in values if w.isdigit() or w in self.numbers]
        if not values:
            return None
        if values[0] == "twenty" and len(values) >= 3 and self.numbers.get(values[1], 9) < 4:
            hour, rest = 20 + self.numbers[values[1]], values[2:]
        else:
            hour, rest = self._num(values[:1]), values[1:]
        if rest[:1] in (["oh"], ["zero"]):
            rest = rest[1:]
        minute = self._num(rest) if rest else 0
        if hour is None or minute is None or hour > 23 or minute >= 60:
            return None
        return hour, minute

    def _part(self, words: list[str]) -> str | None:
        for word in words:
            if word in self.parts:
                return self.parts[word]
        for word in words:
            if re.fullmatch(r"\d+[ap]\.?m\.?|\d{1,2}[:.]\d{2}[ap]\.?m\.?", word):
                return "pm" if "p" in word else "am"
        return None

    def _ago(self, words: list[str]) -> int:
        text = " ".join(words)
        if "quarter" in words:
            return 15
        if "half an hour" in text:
            return 30
        if "hour" in text:
            for word, minutes in (("couple", 120), ("two", 120), ("few", 180), ("three", 180), ("half", 90)):
                if word in words:
                    return minutes
            return 60
        if "minutes" in words:
            return self._num(words[: words.index("minutes")][-2:]) or 5
        return 0

    def _mention(self, doc: Doc, s: int, e: int, rule: Rule, recorded: datetime) -> Mention | None:
        words = [t.lower_ for t in doc[s:e]]
        kind = rule.category or ""
        today = recorded.date()
        if kind in ("CLOCK", "HOURLESS"):
            # a part of the day said just after ("at two, this afternoon", "three pm")
            tail = [t.lower_ for t in doc[e : e + 4]]
            part = self._part(words)
            if part is None and tail:
                lead = [w for w in tail if w not in (",",)]
                if lead[:1] and lead[0] in ("am", "pm", "a.m.", "p.m."):
                    part = self.parts[lead[0]]
                elif (
                    len(lead) >= 2
                    and lead[0] in ("this", "that", "yesterday", "tomorrow")
                    and lead[1] in self.parts
                ):
                    part = self.parts[lead[1]]
                elif len(lead) >= 3 and lead[:2] == ["in", "the"] and lead[2] in self.parts:
                    part = self.parts[lead[2]]
                elif lead[:1] == ["tonight"] or lead[:2] == ["at", "night"] or lead[:2] == ["last", "night"]:
                    part = "night"
            if kind == "HOURLESS":
                offset = self._num(words[: max(i for i, w in enumerate(words) if w in self.directions)])
                if offset is None or offset >= 60:
                    return None
                direction = next(self.directions[w] for w in words if w in self.directions)
                return Mention(s, e, kind, rule, minute=offset, part=direction)
            clock = self._clock(words)
            if clock is None:
                return None
            if "midnight" in words:
                part = "night"
            elif "noon" in words or "midday" in words:
                part = "afternoon"  # 12 then stays 12, whenever the memo was recorded
            if clock[0] >= 13 and part in ("morning", "am"):
                return None
            return Mention(s, e, kind, rule, hour=clock[0], minute=clock[1], part=part)
        if kind == "NOW":
            return Mention(s, e, kind, rule, day=today)
        if kind == "AGO":
            minutes = self._ago(words)
            return Mention(s, e, "NOW", rule, day=today, ago=minutes) if minutes else None
        if kind == "VAGUE":
            return Mention(
                s, e, kind, rule, day=today, part=str(rule.extra.get("part") or "") or None, vague=True
            )
        part = self._part([w for w in words if w not in ("am", "pm")]) if kind != "DATE" else None
        if kind == "TODAY":
            day = today
        elif kind == "YESTERDAY":
            day = today - timedelta(days=1)
            if "night" in words:
                part = "night"
        elif kind == "BEFORE_YESTERDAY":
            day = today - timedelta(days=2)
        elif kind == "LAST_WEEK":
            day = today - timedelta(days=7)
        elif kind == "DAYS_AGO":
            count = {"couple": 2, "few": 3}.get(next((w for w in words if w in ("couple", "few")), ""), 0)
            count = count or self._num([w for w in words if w.isdigit() or w in self.numbers]) or 1
            unit = 14 if "fortnight" in words else 7 if ("week" in words or "weeks" in words) else 1
            day = today - timedelta(days=count * unit)
        elif kind == "WEEKDAY":
            name = next(w for w in words if w in self.weekdays)
            back = (today.weekday() - self.weekdays.index(name)) % 7 or 7
            day = today - timedelta(days=back + (7 if "week" in words else 0))
        else:
            found = self._date(words, today)
            if found is None:
                return None
            day = found
        return Mention(s, e, kind, rule, day=day, part=part)

    def _date(self, words: list[str], today: date) -> date | None:
        month = next((self.months[w] for w in words if w in self.months), None)
        dom = 0
        for i, word in enumerate(words):
            digits = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)
            if digits:
                dom = int(digits.group(1))
            elif word in self.ordinals:
                tens = 20 if "twenty" in words[:i] else 30 if "thirty" in words[:i] else 0
                dom = tens + self.ordinals[word]
        if not dom or dom > 31:
            return None
        candidates = [(today.year, month)] if month else [(today.year, today.month)]
        if month:
            candidates.append((today.year - 1, month))
        else:
            candidates.append((today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12))
        for year, mon in candidates:
            try:
                candidate = date(year, mon, dom)
            except ValueError:
                continue
            if candidate <= today:
                return candidate
        return None

    # finding ----------------------------------------------------------------------------------

    def mentions(self, doc: Doc, recorded: datetime) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Time mentions (longest non-overlapping, exclusions applied) and the correction cues' spans."""
        from speakcase.pipelines.extract.rules import _longest

        matches = self.rules.tables["times"].matches(doc)
        targets = _longest([m for m in matches if m[2].category in _TARGETS])
        corrections = [(s, e) for s, e, r in matches if r.category == "CORRECTION"]
        not_when = [
            (s, e, r.scope or 1, r.extra.get("allowed_types"))
            for s, e, r in matches
            if r.category == "NOT_WHEN"
        ]
        not_clock_before = [
            (s, e) for s, e, r in matches if r.category == "NOT_CLOCK" and r.direction == "forward"
        ]
        not_clock_after = [
            (s, e) for s, e, r in matches if r.category == "NOT_CLOCK" and r.direction == "backward"
        ]
        approx = set(self.rules.lexicons["approximators"]) | {"at"}
        out: list[Mention] = []
        for s, e, rule in targets:
            words = [t.lower_ for t in doc[s:e]]
            if any(
                cs < s and 0 <= s - ce < scope and (kinds is None or rule.category in kinds)
                for cs, ce, scope, kinds in not_when
            ):
                continue
            if rule.category == "CLOCK":
                bare = words[0] not in approx and not ({"half", *self.directions} & set(words))
                digital = bool(re.search(r"\d[:.]\d|[ap]\.?m", " ".join(words)))
                if not digital and any(cs == e for cs, _ in not_clock_after):
                    continue
                if bare and not digital and any(ce == s for _, ce in not_clock_before):
                    continue
                if bare and not digital and s < 8 and len(words) == 1 and words[0] in self.numbers:
                    continue  # "Note for Nia Cobb, four, ...": a lone number word early is an age
            mention = self._mention(doc, s, e, rule, recorded)
            if mention is not None:
                out.append(mention)
        return out, corrections

    def hits(self, text: TextLike, recorded: datetime) -> list[TimeHit]:
        from speakcase.pipelines.extract.rules import TimeHit

        doc, offset = self.rules.doc(text)
        mentions, _ = self.mentions(doc, recorded)
        out = []
        for m in mentions:
            if m.kind == "HOURLESS":
                value = None
            else:
                value = _resolve_group([m], recorded)
            span = doc[m.start : m.end]
            out.append(
                TimeHit(
                    span.start_char + offset, span.end_char + offset, span.text, m.kind, value, m.rule.where
                )
            )
        return out

    # resolving --------------------------------------------------------------------------------

    def occurred_at(self, text: TextLike, recorded: datetime, anchor: int | None) -> str | None:
        doc, offset = self.rules.doc(text)
        mentions, corrections = self.mentions(doc, recorded)
        mentions = _fill_hourless(mentions, corrections)
        if not mentions:
            return None
        groups = _groups(mentions, corrections, doc)
        if anchor is None:
            return _resolve_group(groups[0], recorded)
        anchor_tok = next((t.i for t in doc if t.idx + offset >= anchor), len(doc))
        before = [g for g in groups if g[0].start < anchor_tok]
        if before:
            after = [g for g in groups if g[0].start >= anchor_tok]
            gap_before = anchor_tok - before[-1][-1].end
            if after and after[0][0].start - anchor_tok <= 5 and gap_before >= 12:
                return _resolve_group(after[0], recorded)
            return _resolve_group(before[-1], recorded)
        return _resolve_group(groups[0], recorded)


def _fill_hourless(mentions: list[Mention], corrections: list[tuple[int, int]]) -> list[Mention]:
    """ "ten past eleven, no, quarter past": an hourless offset takes the hour of the clock it corrects."""
    out: list[Mention] = []
    for m in mentions:
        if m.kind != "HOURLESS":
            out.append(m)
            continue
        said = next((c for c in reversed(out) if c.kind == "CLOCK" and 0 <= m.start - c.end <= 8), None)
        if said is None or said.hour is None or not any(said.end <= cs < m.start for cs, _ in corrections):
            continue
        hour = (said.hour - 1) % 24 if m.part == "to" else said.hour
        minute = 60 - m.minute if m.part == "to" else m.minute
        out.append(Mention(m.start, m.end, "CLOCK", m.rule, hour=hour, minute=minute, part=said.part))
    return out


def _groups(mentions: list[Mention], corrections: list[tuple[int, int]], doc: Doc) -> list[list[Mention]]:
    groups: list[list[Mention]] = []
    for m in mentions:
        if groups:
            last = groups[-1][-1]
            gap = m.start - last.end
            corrected = any(last.end <= cs < m.start for cs, _ in corrections)
            sentence_break = any(t.text in (".", "?", "!") for t in doc[last.end : m.start])
            if gap <= 5 and (corrected or not sentence_break):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _hour(m: Mention, part: str | None, same_day: bool, recorded: datetime) -> int:
    hour = m.hour or 0
    if hour >= 13:
        return hour
    if part in ("afternoon", "evening", "pm"):
        return hour + 12 if hour < 12 else 12
    if part == "night":
        return hour + 12 if 5 <= hour < 12 else (0 if hour == 12 else hour)
    if part in ("morning", "am"):
        return 0 if hour == 12 else hour
    if same_day:
        said = [(h, m.minute) for h in (hour % 12, hour % 12 + 12)]
        past = [h for h, mm in said if (h, mm) <= (recorded.hour, recorded.minute)]
        if past:
            return max(past)
    if hour == 0:
        return 12
    if 1 <= hour <= 6:
        late = hour + 12
        too_late = same_day and (late, m.minute) > (recorded.hour, recorded.minute)
        return hour if too_late and (hour, m.minute) <= (recorded.hour, recorded.minute) else late
    return hour


def _resolve_group(group: list[Mention], recorded: datetime) -> str | None:
    chosen: dict[str, Mention] = {}
    for m in group:
        key = "clock" if m.is_clock else "day"
        if m.vague and key in chosen:
            continue  # "Saturday teatime": the day said wins over the part of the day
        chosen[key] = m
    vague = [m for m in group if m.vague]
    day_m, clock_m = chosen.get("day"), chosen.get("clock")
    if day_m is not None and day_m.kind == "NOW" and clock_m is None:
        return (recorded - timedelta(minutes=day_m.ago)).strftime("%Y-%m-%dT%H:%M")
    day = day_m.day if day_m and day_m.day else recorded.date()
    if clock_m is None:
        return day.isoformat()
    part = clock_m.part or (day_m.part if day_m else None) or (vague[0].part if vague else None)
    hour = _hour(clock_m, part, day == recorded.date(), recorded)
    return f"{day.isoformat()}T{hour % 24:02d}:{clock_m.minute:02d}"
