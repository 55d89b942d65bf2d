"""The aligner: record-level labels of a memo become span-level training annotations.

A labelled case gives, per record, free-text fields copied verbatim from the memo (information, reason,
consent explanation) and names as mentioned (counterpart name, role, organisation, subject, consent
given by). The aligner places each of them in the memo's text as character spans, marks where each
event starts, and gives each record's region (the stretch of text its categorical fields are read
from). `variant_with_map` makes the speech-recogniser form of a memo (lower case, no punctuation)
together with an offset map, so every span placed in the written form is carried over exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from speakcase.pipelines.extract.scoring import asr_variant

#: Long spans: the information (labelled with the record kind), its reason, the consent explanation.
LONG_LABELS = ("INFO_shared", "INFO_received", "INFO_refused", "INFO_withheld", "REASON", "EXPL")
#: Short mentions.
SHORT_LABELS = ("CP_NAME", "CP_ROLE", "CP_ORG", "SUBJ", "GIVEN", "TIME")
#: The tag of the first token of an event (the sentence where its telling starts).
EVENT_TAG = "EV"

_SHORT_FIELDS = (
    ("CP_NAME", ("counterpart", "name")),
    ("CP_ROLE", ("counterpart", "role")),
    ("CP_ORG", ("counterpart", "organisation")),
)
_CONSENT_CUE = re.compile(r"\b(?:consent|agree|permission|ask|asked|happy|okay|ok|refus|object)", re.I)
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)")


@dataclass
class Aligned:
    """One memo text with its spans placed."""

    text: str
    long: list[tuple[int, int, str]] = field(default_factory=list)
    short: list[tuple[int, int, str]] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    #: Per record: (region start, region end, the record's labels).
    regions: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class AlignStats:
    """How many labels the aligner placed and could not place, per field."""

    placed: Counter = field(default_factory=Counter)
    missed: Counter = field(default_factory=Counter)
    conflicts: Counter = field(default_factory=Counter)

    def add(self, other: AlignStats) -> None:
        self.placed.update(other.placed)
        self.missed.update(other.missed)
        self.conflicts.update(other.conflicts)


def variant_with_map(text: str) -> tuple[str, list[int]]:
    """`asr_variant(text)` and, per character of it, the offset of the original character it came from."""
    chars: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        if ch == "-":
            low = " "
        for c in low:
            if re.match(r"[^\w\s]", c):
                continue
            if c.isspace():
                if not chars or chars[-1][0] == " ":
                    continue
                c = " "
            chars.append((c, i))
    while chars and chars[-1][0] == " ":
        chars.pop()
    out = "".join(c for c, _ in chars)
    if out != asr_variant(text):
        raise ValueError("variant mapping diverged from asr_variant")
    return out, [i for _, i in chars]


def map_span(mapping: list[int], start: int, end: int) -> tuple[int, int] | None:
    """The variant span covering original characters [start, end), or None when nothing of it survives."""
    inside = [j for j, i in enumerate(mapping) if start <= i < end]
    if not inside:
        return None
    return inside[0], inside[-1] + 1


def _occurrences(text: str, value: str) -> list[tuple[int, int]]:
    """Where `value` occurs in `text`: exactly, else ignoring case, at word boundaries where possible."""
    value = value.strip()
    if not value:
        return []
    pattern = re.escape(value)
    bounded = (
        (r"(?<!\w)" if value[0].isalnum() else "") + pattern + (r"(?!\w)" if value[-1].isalnum() else "")
    )
    for flags in (0, re.I):
        found = [m.span() for m in re.finditer(bounded, text, flags)]
        if found:
            return found
    # Punctuation or case differs (labels copied from a punctuated form): match on the variant.
    variant, mapping = variant_with_map(text)
    target = asr_variant(value)
    if not target:
        return []
    found = []
    for m in re.finditer(r"(?<!\w)" + re.escape(target) + r"(?!\w)", variant):
        found.append((mapping[m.start()], mapping[m.end() - 1] + 1))
    return found


def _sentence_start(text: str, offset: int) -> int:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, offset):
        if m.end() <= offset:
            start = m.end()
    return start


def _nearest(spans: list[tuple[int, int]], anchor: int, floor: int) -> tuple[int, int] | None:
    """The occurrence nearest before `anchor` at or after `floor`, else the nearest at all."""
    before = [s for s in spans if floor <= s[0] < anchor]
    if before:
        return before[-1]
    return min(spans, key=lambda s: abs(s[0] - anchor)) if spans else None


def _first_name(value: str) -> str | None:
    words = value.split()
    return words[0] if len(words) > 1 and words[0][:1].isupper() else None


def record_labels(record: dict[str, Any]) -> dict[str, Any]:
    """The record's categorical labels, the ones read from its region."""
    consent = record.get("consent") or {}
    return {
        "kind": record.get("kind") or "shared",
        "consent.status": consent.get("status") or "unknown",
        "family_informed": record.get("family_informed"),
        "advice_sought": list(record.get("advice_sought") or []),
        "consent.reasons": list(consent.get("reasons") or []),
        "lawful_basis": list(record.get("lawful_basis") or []),
        "third_party": bool(record.get("third_party")),
        "protocols": list(record.get("protocols") or []),
    }


def align_case(
    text: str, records: list[dict[str, Any]], recorded_at: str | None = None
) -> tuple[Aligned, AlignStats]:
    """Place every record's spans in `text` (the memo as written).

    With `recorded_at`, the time expression of each event is placed too: the time mention (found by
    the rules' time table) whose group resolves to the labelled `occurred_at`, nearest its information.
    """
    out, stats = Aligned(text), AlignStats()
    prev_end = 0
    infos: list[tuple[int, int] | None] = []
    for record in records:
        info = record.get("information") or ""
        spans = [s for s in _occurrences(text, info) if s[0] >= prev_end] or _occurrences(text, info)
        if not spans:
            stats.missed["information"] += 1
            infos.append(None)
            continue
        stats.placed["information"] += 1
        span = spans[0]
        infos.append(span)
        out.long.append((span[0], span[1], f"INFO_{record.get('kind', 'shared')}"))
        prev_end = span[1]
    # Short mentions, reasons and explanations, and event starts, relative to each record's information.
    subject_done: set[str] = set()
    name_done: set[str] = set()
    prev_end = 0
    starts: list[int] = []
    for i, (record, info) in enumerate(zip(records, infos, strict=True)):
        anchor = info[0] if info else prev_end
        earliest = anchor
        for label, path in _SHORT_FIELDS:
            value = (record.get(path[0]) or {}).get(path[1])
            if not value:
                continue
            spans = _occurrences(text, value)
            if not spans:
                stats.missed[".".join(path)] += 1
                continue
            stats.placed[".".join(path)] += 1
            if label in ("CP_NAME", "CP_ORG", "CP_ROLE") and value not in name_done:
                name_done.add(value)
                for s in spans:
                    out.short.append((s[0], s[1], label))
                first = _first_name(value) if label == "CP_NAME" else None
                for s in _occurrences(text, first) if first else []:
                    out.short.append((s[0], s[1], label))
            near = _nearest(spans, anchor, prev_end)
            if near and near[0] >= prev_end:
                earliest = min(earliest, near[0])
        subject = record.get("subject")
        if subject:
            spans = _occurrences(text, subject)
            if spans:
                stats.placed["subject"] += 1
                if subject not in subject_done:
                    subject_done.add(subject)
                    first = _first_name(subject)
                    for s in spans + (_occurrences(text, first) if first else []):
                        out.short.append((s[0], s[1], "SUBJ"))
            else:
                stats.missed["subject"] += 1
        for label, key in (("REASON", "reason"), ("EXPL", "explanation")):
            value = record.get(key) if key == "reason" else (record.get("consent") or {}).get(key)
            if not value:
                continue
            spans = _occurrences(text, value)
            if not spans:
                stats.missed[key] += 1
                continue
            stats.placed[key] += 1
            near = _nearest(spans, anchor, prev_end) or spans[0]
            out.long.append((near[0], near[1], label))
        given = (record.get("consent") or {}).get("given_by")
        if given:
            spans = _occurrences(text, given)
            if spans:
                stats.placed["consent.given_by"] += 1
                cued = [s for s in spans if _CONSENT_CUE.search(text, _sentence_start(text, s[0]), s[1] + 80)]
                pick = (cued or spans)[0]
                after = [s for s in (cued or spans) if s[0] >= prev_end]
                if after:
                    pick = after[0]
                out.short.append((pick[0], pick[1], "GIVEN"))
            else:
                stats.missed["consent.given_by"] += 1
        start = max(prev_end, _sentence_start(text, earliest))
        if info:
            starts.append(start if i else 0)
            out.events.append(_skip_space(text, start))
            prev_end = info[1]
        else:
            starts.append(-1)
    if recorded_at:
        _place_times(out, stats, records, infos, recorded_at)
    placed = [(s, r) for s, r in zip(starts, records, strict=True) if s >= 0]
    for j, (s, record) in enumerate(placed):
        end = placed[j + 1][0] if j + 1 < len(placed) else len(text)
        out.regions.append((s, end, record_labels(record)))
    return out, stats


def _place_times(
    out: Aligned,
    stats: AlignStats,
    records: list[dict[str, Any]],
    infos: list[tuple[int, int] | None],
    recorded_at: str,
) -> None:
    from speakcase.pipelines.extract.rules import load_rules

    rules = load_rules()
    hits = rules.times(out.text, recorded_at)
    resolved = [(h, rules.occurred_at(out.text, recorded_at, h.end)) for h in hits]
    for record, info in zip(records, infos, strict=True):
        gold = record.get("occurred_at")
        if not gold or info is None:
            continue
        right = [h for h, value in resolved if value == gold]
        if not right:
            stats.missed["occurred_at"] += 1
            continue
        stats.placed["occurred_at"] += 1
        pick = min(right, key=lambda h: (h.start > info[0], abs(h.start - info[0])))
        out.short.append((pick.start, pick.end, "TIME"))


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and not text[offset].isalnum():
        offset += 1
    return offset


def to_variant(aligned: Aligned) -> Aligned:
    """The same annotations over the speech-recogniser form of the text."""
    variant, mapping = variant_with_map(aligned.text)
    out = Aligned(variant)

    def carry(start: int, end: int) -> tuple[int, int] | None:
        return map_span(mapping, start, end)

    for start, end, label in aligned.long:
        span = carry(start, end)
        if span:
            out.long.append((*span, label))
    for start, end, label in aligned.short:
        span = carry(start, end)
        if span:
            out.short.append((*span, label))
    for offset in aligned.events:
        span = carry(offset, len(aligned.text))
        if span:
            out.events.append(span[0])
    for start, end, labels in aligned.regions:
        span = carry(start, end) if start < end else None
        if span:
            out.regions.append((span[0], span[1] if end < len(aligned.text) else len(variant), labels))
    return out


def tag_doc(nlp: Any, aligned: Aligned, stats: AlignStats | None = None) -> Any:
    """A Doc with the long spans and event starts as BIO tags and the short mentions as entities."""
    from spacy.util import filter_spans

    doc = nlp.make_doc(aligned.text)
    tags = ["O"] * len(doc)
    priority = {label: i for i, label in enumerate(LONG_LABELS)}
    for start, end, label in sorted(aligned.long, key=lambda s: priority[s[2]]):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if any(tags[t] != "O" for t in range(span.start, span.end)):
            if stats is not None:
                stats.conflicts[label] += 1
            continue
        tags[span.start] = f"B-{label}"
        for t in range(span.start + 1, span.end):
            tags[t] = f"I-{label}"
    for offset in aligned.events:
        span = doc.char_span(offset, min(len(aligned.text), offset + 1), alignment_mode="expand")
        if span is not None and len(span) and tags[span.start] == "O":
            tags[span.start] = EVENT_TAG
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    order = {label: i for i, label in enumerate(("GIVEN", "TIME", "CP_NAME", "CP_ROLE", "CP_ORG", "SUBJ"))}
    spans = []
    for start, end, label in sorted(aligned.short, key=lambda s: order[s[2]]):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
    kept = filter_spans(spans)
    if stats is not None:
        stats.conflicts["short"] += len(spans) - len(kept)
    doc.ents = kept
    return doc


def region_text(aligned: Aligned) -> list[tuple[str, dict[str, Any]]]:
    """Per record, the text of its region and its categorical labels."""
    return [(aligned.text[s:e], labels) for s, e, labels in aligned.regions]
