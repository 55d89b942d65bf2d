"""Find spoken and written time expressions in a memo and resolve them against when it was recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from speakcase.pipelines.extract.counterpart import name_like
from speakcase.pipelines.extract.text import TextView, resource, rx

_LEX = resource("lexicon.json")
_NUMS: dict[str, int] = _LEX["numbers"]
_ORDS: dict[str, int] = _LEX["ordinals"]
_MONTHS: dict[str, int] = _LEX["months"]
_WEEKDAYS: list[str] = _LEX["weekdays"]

_HOURW = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_H24 = r"(?:thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-]+(?:one|two|three))?)"
_MINW = (
    r"(?:oh[\s-]+\w+|(?:twenty|thirty|forty|fifty)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|\d{2})"
)
_OFFW = (
    r"(?:half|quarter|twenty[\s-]+five|(?:twenty|\d{2})[\s-]*odd|twenty|ten|five|\d{1,2}|one|two|three|four|six|seven|eight|nine|"
    r"eleven|twelve|thirteen|fourteen|sixteen|seventeen|eighteen|nineteen)"
)
_PART = (
    r"(?:(?:this|that|in\s+the|yesterday|tomorrow)\s+(?P<part>morning|afternoon|evening)|(?P<night>tonight|at\s+night|"
    r"last\s+night)|(?P<ampm2>[ap]\.?\s?m\b\.?))"
)
_BARE_PART = r"(?:(?:this|in\s+the)\s+(?P<part>morning|afternoon|evening)|(?P<night>tonight|at\s+night))"
_APPROX = (
    r"(?:about|around|approximately|roughly|approx|(?:just|shortly|soon|not\s+long)\s+(?:after|before)|(?:just\s+)?gone|"
    r"coming\s+up\s+(?:to|for)|getting\s+on\s+for|(?:very\s+)?nearly|almost|bang\s+on|(?:on\s+)?the\s+dot\s+of|"
    r"(?:at\s+)?dead\s+on|nearer|closer\s+to|more\s+like|round\s+about)"
)
_ABOUT = rf"(?:{_APPROX}\s+)?"

_CLOCK_PATTERNS = [
    re.compile(r"\b(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?P<ampm>[ap]\.?\s?m\b\.?)?", re.I),
    rx(
        rf"\b(?P<off>{_OFFW})(?:\s+minutes)?[\s-]+(?P<dir>past|to|after)\s+(?P<h>{_HOURW})\b(?:\s+o\s?'clock)?(?:,?\s+{_PART})?"
    ),
    rx(r"\b(?P<h>[01]?\d)(?P<m>[0-5]\d)\s*(?P<ampm>[ap]m)\b"),
    rx(rf"\b(?:at\s+)?{_ABOUT}(?P<half>half)\s+(?P<h>{_HOURW})\b(?:,?\s+{_PART})?"),
    rx(rf"\b(?P<h>{_HOURW})(?:\s+o\s?'clock|\s*(?P<ampm>[ap]\.?\s?m\b\.?))(?:,?\s+{_PART})?"),
    rx(rf"\bat\s+{_ABOUT}(?P<h>[01]?\d|2[0-3])(?P<m>[0-5]\d)\b(?:\s+{_PART})?"),
    rx(
        rf"\b(?:at|around)\s+{_ABOUT}(?P<h>{_HOURW})(?:[\s-]+(?P<m>{_MINW}))?\b(?!\s+(?:years?|pounds|months?|weeks?|days|of|people|men))"
        rf"(?:,?\s+{_PART})?"
    ),
    rx(rf"\b{_ABOUT}(?P<h>{_HOURW})(?:[\s-]+(?P<m>{_MINW}))?,?\s+{_BARE_PART}"),
    # "about two I rang", "rang about eleven.": an hour after "about" where a clause goes on or ends.
    rx(
        rf"\b{_APPROX}\s+(?P<h>{_HOURW})(?:[\s-]+(?P<m>{_MINW}))?"
        r"(?=\s*(?:[,.;:]|$)|\s+(?:i|we|he|she|they|rang|phoned|called|rung|spoke|emailed|texted|today|yesterday|"
        r"this|then|and|when)\b)"
    ),
    # A terse note opening on the time: "Nine fifteen, district nurse rang."
    rx(rf"(?:^|(?<=[.;:]\s))(?P<h>{_HOURW})[\s-]+(?P<m>{_MINW})(?=,)"),
    rx(r"\b(?:at\s+)?(?:twelve\s+)?(?P<word>midday|noon|midnight)\b"),
    rx(rf"\b{_ABOUT}(?P<h>{_HOURW})(?:[\s-]?ish|\s+sharp)\b(?:,?\s+{_PART})?"),
    # Twenty-four-hour speech: "fourteen hundred (hours)", "oh nine hundred", "at sixteen thirty".
    rx(
        rf"\b(?P<h>(?:oh|zero)\s+(?:one|two|three|four|five|six|seven|eight|nine)|ten|eleven|twelve|{_H24})\s+hundred"
        r"(?:\s+hours)?\b(?!\s+(?:and|pounds|quid|pound|people|metres|miles|times|words|of|a\b|an\b))"
    ),
    rx(rf"\b(?:at\s+){_ABOUT}(?P<h>{_H24})[\s-]+(?P<m>{_MINW})\b(?:\s+hours)?"),
]
# "ten past eleven, no, sorry, quarter past": an offset whose hour is the one just corrected.
_HOURLESS = rx(rf"\b(?P<off>{_OFFW})(?:\s+minutes)?[\s-]+(?P<dir>past|to|after)\b(?!\s+{_HOURW}\b)")
_APPROX_RX = rx(_APPROX)
_WEEKDAY_RX = "|".join(_WEEKDAYS)
_DAY_PATTERNS = [
    (
        "now",
        rx(
            r"\bjust\s+now\b|\b(?:a\s+)?(?:few\s+|couple\s+of\s+|couple\s+)?minutes?\s+ago\b|"
            r"(?<!\bhas\s)(?<!\bhes\s)(?<!\bshes\s)(?<!\bits\s)(?<!\bhad\s)\bjust\s+(?:come|got|"
            r"gotten|finished|hung|put\s+the\s+phone|rang|phoned|called|spoke|spoken|had|been|emailed|off|made|sent|"
            r"left|received|taken|took|returned|ended|told|given|gave|shared|passed|faxed|texted|messaged)\b|"
            r"\b(?:i|we)(?:'ve|\s+have)?\s+just\s+[a-z]+ed\b|\bright\s+now\b|\ba\s+moment\s+ago\b|\bmoments\s+ago\b|"
            r"\b(?:has|have|'s|'ve)\s+just\s+been\s+(?:on\s+the\s+(?:phone|line)|in\s+touch|round|in)\b|"
            r"\b(?P<ago>(?:half\s+an|an|one|a\s+half|an\s+hour\s+and\s+a\s+half|a\s+couple\s+of|two|a\s+few|three)\s+hours?|(?:ten|twenty|fifteen|thirty|forty)"
            r"(?:[\s-]+five)?\s+minutes|(?:a\s+)?quarter\s+of\s+an\s+hour)\s+ago\b"
        ),
    ),
    (
        "today",
        rx(
            r"\b(?:earlier\s+)?(?:this|today)\s+(?P<part>morning|afternoon|evening|lunchtime)\b|\bearlier\s+today\b|"
            r"\btoday\b|\b(?P<night>tonight)\b"
        ),
    ),
    (
        "vague",
        rx(
            r"\b(?:(?:early|late)\s+this\s+|(?:early|late|mid)[\s-]?)(?P<part>morning|afternoon|evening)\b|"
            r"\b(?:first\s+thing|crack\s+of\s+dawn|elevenses|dinner\s?time|(?:over\s+|at\s+)?(?:the\s+)?dinner\s+hour|"
            r"tea\s?time|close\s+of\s+(?:play|business)|end\s+of\s+play|in\s+the\s+(?:early|small)\s+hours|"
            r"the\s+small\s+hours|early\s+doors)\b|"
            # Phrases that are idioms or plans as often as times: only when the clause goes on with who acted.
            r"\b(?:after\s+school|home\s+time|school\s+pick[\s-]?up|(?:the\s+)?end\s+of\s+the\s+(?:school\s+)?day|"
            r"cob|last\s+thing(?:\s+at\s+night)?)(?=,?\s+(?:today\s+|yesterday\s+)?(?:i|we)\b)"
        ),
    ),
    ("before", rx(r"\bthe\s+day\s+before\s+yesterday\b")),
    ("lastweek", rx(r"\bthis\s+time\s+last\s+week\b")),
    (
        "yesterday",
        rx(
            r"\byesterday(?:\s+(?P<part>morning|afternoon|evening|lunchtime)|\s+(?P<night>night))?\b|"
            r"\b(?P<night2>last\s+night)\b"
        ),
    ),
    (
        "weekday",
        rx(
            rf"\b(?:(?:(?P<wk>a\s+week\s+)?last|on|this\s+past)\s+)?(?P<wd>{_WEEKDAY_RX})(?:'s)?(?:\s+(?P<part>morning|afternoon|"
            rf"evening|lunchtime)|\s+(?P<night>night))?\b"
        ),
    ),
    (
        "dom",
        rx(
            r"\bon\s+the\s+(?P<dom>\d{1,2}(?:st|nd|rd|th)?|(?:(?:twenty|thirty)[\s-])?[a-z]+)\b(?:\s+of\s+(?P<mon>[a-z]+))?"
        ),
    ),
    ("dom", rx(r"\bthe\s+(?P<dom>\d{1,2}(?:st|nd|rd|th))\b(?:\s+of\s+(?P<mon>[a-z]+))?")),
    ("dom", rx(r"\bthe\s+(?P<dom>(?:(?:twenty|thirty)[\s-])?[a-z]+)\s+of\s+(?P<mon>[a-z]+)\b")),
    ("dmy", rx(r"\b(?:on\s+)?(?P<dom>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[a-z]+)\b")),
    ("today", rx(r"\b(?:at\s+|over\s+)?(?P<part>lunchtime|lunch\s+time)\b|\b(?:over|at)\s+lunch\b")),
]
_NOT_CLOCK_BEFORE = rx(
    r"\b(?:aged?|he's|she's|who's|is|was|they're|turned|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s*$"
)
_AGE_IN_HEADER = rx(
    r"^\W*(?:(?:re|note|note\s+for|for)\s+)?(?:(?:mr|mrs|ms|miss|baby)\s+)?(?P<first>[a-z'-]+)\s+(?P<last>[a-z'-]+)[\s,]*$"
)
_CORRECTION = rx(r"\b(?:no|sorry|i\s+mean|actually|wait|rather|correction)\b")
_FUTURE_AFTER = rx(r"^(?:'s)?\s+week\b")
_EXCLUDE_BEFORE = rx(
    r"\b(?:by|until|till|since|next|before|from|ago|when\s+i|when\s+we|consent|agreed|on\s+the\s+day|"
    r"completed|dated|held)\s*$"
)
# The time of an earlier happening the sharing followed ("Following my visit on Monday, I rang...").
_EARLIER_THING = rx(r"\b(?:following|after)\s+(?:my|our|the|his|her|their|a|an)\s+[a-z]+(?:\s+[a-z]+)?\s*$")


@dataclass(frozen=True)
class TimeMention:
    """One time expression: a day, a clock time or `now`."""

    start: int
    """Offset of the expression."""
    end: int
    """Offset just past it."""
    kind: str
    """`now`, `day` or `clock`."""
    day: date | None = None
    """The resolved calendar day, for `day` mentions."""
    hour: int | None = None
    """Hour as said (0-23), for `clock` mentions."""
    minute: int = 0
    """Minutes past the hour."""
    part: str | None = None
    """Part of day said with it: morning, afternoon, evening, night or am/pm."""
    vague: bool = False
    """A part of the day said without a day ("teatime", "first thing"): today unless a day is said with it."""


def _num(words: str | None) -> int | None:
    if not words:
        return None
    words = re.sub(r"\s*odd$", "", words.lower().replace("-", " ").strip())
    if words.isdigit():
        return int(words)
    total = 0
    for w in words.split():
        if w in ("half",):
            return 30
        if w == "quarter":
            return 15
        if w not in _NUMS:
            return None
        total += _NUMS[w]
    return total


_VAGUE_PARTS = [
    (("night",), "night"),
    (("tea", "evening"), "evening"),
    (("dinner", "afternoon", "school", "home time", "end of", "close of", "cob", "last thing"), "afternoon"),
    (("morning", "first thing", "dawn", "elevenses", "early doors"), "morning"),
]


def _ago_minutes(text: str | None) -> int:
    """Minutes in "half an hour", "an hour", "twenty minutes", "a quarter of an hour" (0 when none)."""
    if not text:
        return 0
    text = text.lower()
    if "quarter" in text:
        return 15
    if "half an hour" in text:
        return 30
    if "hour" in text:
        for word, minutes in (("couple", 120), ("two", 120), ("few", 180), ("three", 180), ("half", 90)):
            if word in text:
                return minutes
        return 60
    return _num(text.split(" minutes")[0].strip()) or 0


def _part(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    ampm = groups.get("ampm") or groups.get("ampm2")
    if ampm:
        return "pm" if ampm.lower().startswith("p") else "am"
    if groups.get("night") or groups.get("night2"):
        return "night"
    return groups.get("part")


def _clock(m: re.Match[str]) -> tuple[int, int] | None:
    g = m.groupdict()
    if g.get("word"):
        return (0, 0) if g["word"].lower() == "midnight" else (12, 0)
    hour = _num(g.get("h"))
    if hour is None or hour > 23:
        return None
    if g.get("off"):
        offset = _num(g["off"])
        if offset is None or offset >= 60:
            return None
        if g["dir"].lower() == "to":
            return (hour - 1) % 24, 60 - offset
        return hour, offset
    minute = 30 if g.get("half") else _num(g.get("m")) or 0
    return (hour, minute) if minute < 60 else None


def _clock_mentions(norm: str, start: int, end: int) -> list[TimeMention]:
    found: list[TimeMention] = []
    for pattern in _CLOCK_PATTERNS:
        for m in pattern.finditer(norm, start, end):
            if any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found):
                continue
            clock = _clock(m)
            lead = m.group().lower()
            bare = not lead.startswith("at")
            prefixed = m.groupdict().get("off") or lead.startswith("half") or _APPROX_RX.match(lead)
            if bare and not prefixed and _NOT_CLOCK_BEFORE.search(norm[max(0, m.start() - 12) : m.start()]):
                continue
            header = _AGE_IN_HEADER.search(norm[: m.start()]) if bare and m.start() < 60 else None
            if header and name_like(header.group("first")) and name_like(header.group("last")):
                continue  # "re nia cobb four this morning...": the age after the name in a memo's header
            if clock is not None and clock[0] >= 13 and _part(m) in ("morning", "am"):
                continue
            if clock is not None:
                part = "night" if m.groupdict().get("word", "") and "midnight" in lead else _part(m)
                found.append(
                    TimeMention(m.start(), m.end(), "clock", hour=clock[0], minute=clock[1], part=part)
                )
    for m in _HOURLESS.finditer(norm, start, end):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        earlier = [f for f in found if f.end <= m.start() and m.start() - f.end <= 40]
        if not earlier or not _CORRECTION.search(norm[earlier[-1].end : m.start()]):
            continue
        said = max(earlier, key=lambda f: f.end)
        offset = _num(m.group("off"))
        if said.hour is None or offset is None or offset >= 60:
            continue
        hour = (said.hour - 1) % 24 if m.group("dir").lower() == "to" else said.hour
        minute = 60 - offset if m.group("dir").lower() == "to" else offset
        found.append(TimeMention(m.start(), m.end(), "clock", hour=hour, minute=minute, part=said.part))
    return found


def _weekday_date(name: str, recorded: date) -> date:
    back = (recorded.weekday() - _WEEKDAYS.index(name.lower())) % 7
    return recorded - timedelta(days=back or 7)


def _dom_date(dom_text: str, mon_text: str | None, recorded: date) -> date | None:
    dom_text = re.sub(r"(?<=\d)(st|nd|rd|th)$", "", dom_text.lower().replace("-", " "))
    dom = (
        int(dom_text)
        if dom_text.isdigit()
        else _ORDS.get(dom_text.split()[-1], 0)
        + (20 if dom_text.startswith("twenty ") else 30 if dom_text.startswith("thirty ") else 0)
    )
    month = _MONTHS.get((mon_text or "").lower()) if mon_text else recorded.month
    if not dom or not month or dom > 31:
        return None
    for year, mon in ((recorded.year, month), _previous(recorded.year, month, mon_text is None)):
        try:
            candidate = date(year, mon, dom)
        except ValueError:
            continue
        if candidate <= recorded:
            return candidate
    return None


def _previous(year: int, month: int, month_implied: bool) -> tuple[int, int]:
    if month_implied:
        return (year, month - 1) if month > 1 else (year - 1, 12)
    return year - 1, month


def _day_mention(kind: str, m: re.Match[str], recorded: datetime) -> TimeMention | None:
    today = recorded.date()
    g = m.groupdict()
    day: date | None
    if kind == "now":
        ago = _ago_minutes(g.get("ago"))
        if ago:
            return TimeMention(m.start(), m.end(), "now", day=today, minute=ago)
        return TimeMention(m.start(), m.end(), "now", day=today)
    if kind == "lastweek":
        return TimeMention(m.start(), m.end(), "day", day=today - timedelta(days=7))
    if kind == "vague":
        said = m.group().lower()
        part = next((p for words, p in _VAGUE_PARTS if any(w in said for w in words)), None)
        return TimeMention(m.start(), m.end(), "day", day=today, part=part, vague=True)
    if kind == "today":
        day = today
    elif kind == "before":
        day = today - timedelta(days=2)
    elif kind == "yesterday":
        day = today - timedelta(days=1)
    elif kind == "weekday":
        day = _weekday_date(g["wd"], today) - timedelta(days=7 if g.get("wk") else 0)
    else:
        day = _dom_date(g["dom"], g.get("mon"), today)
    return TimeMention(m.start(), m.end(), "day", day=day, part=_part(m)) if day else None


def find_mentions(view: TextView, start: int, end: int, recorded: datetime) -> list[TimeMention]:
    """Every time mention in [start, end), in text order, skipping ones that set a deadline or a condition."""
    norm = view.norm
    found = _clock_mentions(norm, start, end)
    for kind, pattern in _DAY_PATTERNS:
        for m in pattern.finditer(norm, start, end):
            if any(f.start <= m.start() < f.end for f in found if f.kind != "clock"):
                continue
            mention = _day_mention(kind, m, recorded)
            if mention:
                found.append(mention)
    kept = [
        f
        for f in found
        if not _EXCLUDE_BEFORE.search(norm[max(0, f.start - 14) : f.start])
        and not (f.kind == "day" and _FUTURE_AFTER.search(norm[f.end : f.end + 8]))
        and not (
            f.kind == "day" and re.search(r"\ba\s+week\s+(?:on\s+)?$", norm[max(0, f.start - 12) : f.start])
        )
        and not _EARLIER_THING.search(norm[max(0, f.start - 40) : f.start])
    ]
    return sorted(kept, key=lambda f: f.start)


def _hour(mention: TimeMention, part: str | None, same_day: bool, recorded: datetime) -> int:
    hour = mention.hour or 0
    if hour >= 13:
        return hour
    if part in ("afternoon", "evening", "pm"):
        return hour + 12 if hour < 12 else 12
    if part == "night":
        return hour + 12 if 5 <= hour < 12 else (0 if hour == 12 else hour)
    if part in ("morning", "am"):
        return 0 if hour == 12 else hour
    if same_day:
        said = [(h, mention.minute) for h in (hour % 12, hour % 12 + 12)]
        past = [h for h, m in said if (h, m) <= (recorded.hour, recorded.minute)]
        if past:
            return max(past)
    if hour == 0:
        return 12
    if 1 <= hour <= 6:
        late = hour + 12
        too_late = same_day and (late, mention.minute) > (recorded.hour, recorded.minute)
        return hour if too_late and (hour, mention.minute) <= (recorded.hour, recorded.minute) else late
    return hour


def resolve(
    mentions: list[TimeMention], view: TextView, recorded: datetime, anchor: int | None = None
) -> tuple[str | None, int, int]:
    """Resolve the mentions nearest before `anchor` (else the first; corrections win) to the contract."""
    if not mentions:
        return None, 0, 0
    groups = _groups(mentions, view)
    before = [g for g in groups if g[0].start < anchor] if anchor is not None else []
    if before and anchor is not None:
        # A time said just after the contact ("rang me back at two") beats one told long before it.
        after = [g for g in groups if g[0].start >= anchor]
        gap_before = len(view.words_between(before[-1][-1].end, anchor))
        if after and len(view.words_between(anchor, after[0][0].start)) <= 5 and gap_before >= 12:
            return _resolve_group(after[0], recorded)
    return _resolve_group(before[-1] if before else groups[0], recorded)


def _groups(mentions: list[TimeMention], view: TextView) -> list[list[TimeMention]]:
    groups: list[list[TimeMention]] = []
    for mention in mentions:
        if groups and _joins(groups[-1][-1], mention, view):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _joins(last: TimeMention, mention: TimeMention, view: TextView) -> bool:
    gap = view.words_between(last.end, mention.start)
    corrected = _CORRECTION.search(view.norm[last.end : mention.start])
    return len(gap) <= 5 and (
        corrected is not None or view.sentence_end_after(last.end, mention.start) >= mention.start
    )


def _resolve_group(group: list[TimeMention], recorded: datetime) -> tuple[str | None, int, int]:
    chosen: dict[str, TimeMention] = {}
    for mention in group:
        key = "day" if mention.kind in ("day", "now") else "clock"
        if mention.vague and key in chosen:
            continue  # "Saturday teatime": the day said wins over the part of the day
        chosen[key] = mention
    vague = [m for m in group if m.vague]
    start, end = min(m.start for m in group), max(m.end for m in group)
    day_m, clock_m = chosen.get("day"), chosen.get("clock")
    if day_m is not None and day_m.kind == "now" and clock_m is None:
        said = recorded - timedelta(minutes=day_m.minute)
        return said.strftime("%Y-%m-%dT%H:%M"), start, end
    day = day_m.day if day_m and day_m.day else recorded.date()
    if clock_m is None:
        return day.isoformat(), start, end
    part = clock_m.part or (day_m.part if day_m else None) or (vague[0].part if vague else None)
    hour = _hour(clock_m, part, day == recorded.date(), recorded)
    return f"{day.isoformat()}T{hour % 24:02d}:{clock_m.minute:02d}", start, end


def carry_day(view: TextView, start: int, end: int, recorded: datetime, previous: str) -> str | None:
    """A clock time said without a day ("then at about four"), on the earlier day the memo was telling of.

    `previous` is the time of the event told just before; when it fell on an earlier day than the
    recording, the narrative is still on that day, and the clock reads at or after it.
    """
    mentions = find_mentions(view, start, end, recorded)
    if not mentions or any(m.kind != "clock" for m in mentions):
        return None
    day = date.fromisoformat(previous[:10])
    if day >= recorded.date():
        return None
    clock = mentions[-1]
    hour = _hour(clock, clock.part, False, recorded)
    if clock.part is None and "T" in previous and hour < 12:
        before = (int(previous[11:13]), int(previous[14:16]))
        if (hour, clock.minute) < before and (hour + 12, clock.minute) >= before:
            hour += 12
    return f"{day.isoformat()}T{hour:02d}:{clock.minute:02d}"
