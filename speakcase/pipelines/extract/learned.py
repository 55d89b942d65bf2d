"""The learned extractor: trained spaCy pipelines find the spans, record assembly turns them into records.

The span pipeline (model/spans) tags each token with a BIO tag of the long spans (INFO_<kind>, REASON,
EXPL) or EV (an event starts here), and marks short mentions as entities (CP_NAME, CP_ROLE, CP_ORG,
SUBJ, GIVEN). Every INFO span is one record, of the kind its tags vote for. Each record's region runs
from its event start to the next record's; the record pipeline (model/record) classifies the region's
text for the categorical fields. Normalisers read the coded fields (time, legislation, protocols,
agency) from the region.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy

from speakcase.errors import ModelMissingError
from speakcase.models.records import (
    ADVICE,
    CONSENT_REASONS,
    KINDS,
    LAWFUL_BASES,
    PROTOCOLS,
    Consent,
    Counterpart,
    Evidence,
    SharingRecord,
)

MODEL_DIR = Path(__file__).parent / "model"
MAX_CHARS = 100_000
#: The raw confidence of an NER span (the transition-based NER gives no probability).
ENTITY_CONFIDENCE = 0.75
#: Cost of a change of state in the span decoding, in nats; information spans shorter than this are dropped.
SWITCH_COST = 2.0
MIN_INFO_TOKENS = 2
#: A span splits in two where the probability of a B- tag of its group exceeds this.
BEGIN_SPLIT = 0.5
#: Information fragments of one event this many tokens apart or fewer join into one span.
JOIN_GAP = 8
#: The kin lexicon's first words name parents (mum ... parent): consent holders for a child.
PARENT_WORDS = 16
#: Probability of the EV tag from which a token starts an event (EV competes with O, so below one half).
EVENT_THRESHOLD = 0.5
EVENT_TAG = "EV"
#: Fields the rules' cue tables can give.
CUE_TABLES = ("lawful_basis", "advice_sought", "consent.reasons")
CAT_LABELS = (
    *(f"K_{k}" for k in KINDS),
    *(f"CS_{s}" for s in ("obtained", "refused", "not_sought", "unknown")),
    *(f"FI_{s}" for s in ("true", "false", "none")),
    *(f"ADV_{c}" for c in ADVICE),
    *(f"CR_{c}" for c in CONSENT_REASONS),
    *(f"LB_{c}" for c in LAWFUL_BASES),
    *(f"PR_{c}" for c in PROTOCOLS),
    "TP",
)
_TITLES = frozenset("mr mrs ms miss dr doctor ds dc pc sgt sergeant detective inspector di".split())


@dataclass(frozen=True)
class Span:
    """A predicted span: token and character offsets, label and confidence."""

    start: int
    end: int
    start_char: int
    end_char: int
    label: str
    confidence: float
    text: str


def _long_spans(doc: Any, probs: Any, labels: list[str]) -> tuple[list[Span], list[int]]:
    """Decode the tagger's tags into long spans and event-start tokens.

    A Viterbi pass over states O and one per span label, paying SWITCH_COST (in nats) for each change
    of state, keeps a span whole where a few of its tokens lean elsewhere; a run splits where a B- tag
    is the token's best tag.
    """
    import numpy as np

    names = sorted({_group(t[2:]) for t in labels if t[:2] in ("B-", "I-")})
    index = {name: k + 1 for k, name in enumerate(names)}
    emit = np.full((len(doc), len(names) + 1), 1e-9, dtype="float64")
    for k, tag in enumerate(labels):
        state = index[_group(tag[2:])] if tag[:2] in ("B-", "I-") else 0
        emit[:, state] += probs[:, k]
    cost = (-np.log(emit)).tolist()  # plain floats: a handful of states is faster in Python than numpy
    n, m = len(cost), len(cost[0])
    total = list(cost[0])
    back: list[list[int]] = [[0] * m]
    for t in range(1, n):
        best_prev = min(range(m), key=total.__getitem__)
        switch = total[best_prev] + SWITCH_COST
        row, step = cost[t], []
        for k in range(m):
            if switch < total[k]:
                step.append(best_prev)
                total[k] = switch + row[k]
            else:
                step.append(k)
                total[k] += row[k]
        back.append(step)
    states = [min(range(m), key=total.__getitem__)]
    for t in range(n - 1, 0, -1):
        states.append(back[t][states[-1]])
    states.reverse()
    conf = emit.max(axis=1)
    begins = {
        name: [k for k, tag in enumerate(labels) if tag[:2] == "B-" and _group(tag[2:]) == name]
        for name in names
    }
    kinds: dict[str, list[int]] = {}
    for k, tag in enumerate(labels):
        if tag[2:].startswith("INFO_"):
            kinds.setdefault(tag[2:], []).append(k)
    ev = labels.index(EVENT_TAG) if EVENT_TAG in labels else None
    events = [] if ev is None else [t for t in range(n) if probs[t, ev] >= EVENT_THRESHOLD and states[t] == 0]
    spans: list[Span] = []
    t = 0
    while t < n:
        if states[t] == 0:
            t += 1
            continue
        name = names[states[t] - 1]
        u = t + 1
        while u < n and states[u] == states[t] and not (probs[u, begins[name]].sum() > BEGIN_SPLIT):
            u += 1
        if name == "INFO":
            votes = {kind: float(probs[t:u, cols].sum()) for kind, cols in kinds.items()}
            name = max(votes, key=votes.get)
            if u - t >= MIN_INFO_TOKENS:
                spans.append(_span(doc, t, u, name, conf))
        else:
            spans.append(_span(doc, t, u, name, conf))
        t = u
    return spans, events


def _one_per_event(
    infos: list[Span], events: list[int], ents: list[Span], doc: Any, probs: Any
) -> list[Span]:
    """One information span per event: an event starts at an EV tag or where a new counterpart is named.

    Information told before the first event start and before anyone on the other side is named is
    background, not a sharing event (when some information comes after). Fragments within one event
    join when near, else the longest stands.
    """
    people = [e for e in ents if e.label in ("CP_NAME", "CP_ORG")]
    first = min([*events[:1], *(e.start for e in people[:1])], default=0)
    if any(i.start >= first for i in infos):
        infos = [i for i in infos if i.start >= first]
    groups: list[list[Span]] = []
    named: set[str] = set()
    for span in infos:
        floor = groups[-1][-1].end if groups else 0
        between = {_key(e.text) for e in people if floor <= e.start < span.start}
        if groups and not any(floor <= e <= span.start for e in events) and not (between - named):
            groups[-1].append(span)
        else:
            groups.append([span])
            named = set()
        named |= between
    out = []
    for group in groups:
        best = max(group, key=lambda s: s.end - s.start)
        joined = [best] + [
            s
            for s in group
            if s is not best and (0 <= s.start - best.end <= JOIN_GAP or 0 <= best.start - s.end <= JOIN_GAP)
        ]
        start, end = min(s.start for s in joined), max(s.end for s in joined)
        if len(joined) > 1:
            best = _span(doc, start, end, best.label, probs.max(axis=1))
        out.append(best)
    return out


def _longest_joined(spans: list[Span], doc: Any, probs: Any) -> Span | None:
    """Fragments of one label joined where at most JOIN_GAP tokens apart; the longest result."""
    joined: list[Span] = []
    for span in spans:
        if joined and 0 <= span.start - joined[-1].end <= JOIN_GAP:
            joined[-1] = _span(doc, joined[-1].start, span.end, span.label, probs.max(axis=1))
        else:
            joined.append(span)
    return max(joined, key=lambda s: s.end - s.start) if joined else None


def _codes_in(hits: list[Any], region: tuple[int, int]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(h.value for h in hits if region[0] <= h.start < region[1]))


def _key(text: str) -> str:
    words = [w for w in text.lower().split() if w not in ("the", "a")]
    return words[0] if words else ""


def _group(label: str) -> str:
    return "INFO" if label.startswith("INFO_") else label


def _span(doc: Any, i: int, j: int, label: str, conf: Any) -> Span:
    while j - i > 1 and doc[j - 1].is_punct:  # no stray comma or full stop at either end
        j -= 1
    while j - i > 1 and doc[i].is_punct:
        i += 1
    span = doc[i:j]
    return Span(i, j, span.start_char, span.end_char, label, float(conf[i:j].mean()), span.text)


def _entity_spans(doc: Any) -> list[Span]:
    """The NER's short mentions (counterpart name, role, organisation; subject; consent given by)."""
    return [
        Span(e.start, e.end, e.start_char, e.end_char, e.label_, ENTITY_CONFIDENCE, e.text) for e in doc.ents
    ]


def _clean_name(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0].lower().strip(".") in _TITLES:
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


@dataclass(frozen=True)
class Coded:
    """The coded fields the normalisers read for one record, with evidence offsets."""

    occurred: tuple[str | None, int, int]
    agency: str | None
    agency_at: tuple[int, int] | None
    legislation: list[tuple[str, int, int]]
    protocols: list[tuple[str, int, int]]


class LearnedExtractor:
    """Extracts information-sharing records with the trained span and record pipelines."""

    def __init__(self, spans_nlp: Any, record_nlp: Any, calibration: dict[str, Any] | None = None) -> None:
        self.spans_nlp = spans_nlp
        self.record_nlp = record_nlp
        self.tagger = spans_nlp.get_pipe("tagger")
        self.tag_labels = list(self.tagger.labels)
        self.calibration = calibration or {}
        #: Where a record's kind comes from: the NER label of its information, or the region classifier.
        self.kind_from = "region"
        #: Whether information that speaks of a relative makes third_party true whatever the classifier says.
        self.third_party_kin = True
        #: Fields read by the rules' cue phrases instead of the record classifier.
        self.cues: tuple[str, ...] = ("lawful_basis", "advice_sought", "consent.reasons")

    # -- the public contract ---------------------------------------------------------------------------
    def extract(self, text: str, recorded_at: datetime) -> list[SharingRecord]:
        """The memo's records in the order it tells them, each with evidence spans into `text`."""
        if not isinstance(text, str) or not text.strip():
            return []
        text = text[:MAX_CHARS]
        doc = self.spans_nlp.make_doc(text)
        if not len(doc):
            return []
        self.spans_nlp.get_pipe("tok2vec")(doc)
        scores = self.tagger.model.ops.to_numpy(self.tagger.model.predict([doc])[0])
        # Tagger.v2 gives unnormalised scores at inference: softmax them into probabilities.
        scores = scores - scores.max(axis=1, keepdims=True)
        probs = numpy.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        self.tagger.set_annotations([doc], [probs.argmax(axis=1)])
        doc = self.spans_nlp.get_pipe("ner")(doc)
        return self._assemble(doc, probs, recorded_at)

    def extract_json(self, text: str, recorded_at: datetime, with_evidence: bool = False) -> dict[str, Any]:
        """The contract's JSON object `{"records": [...]}` for the memo."""
        return {"records": [r.to_dict(with_evidence) for r in self.extract(text, recorded_at)]}

    # -- assembly --------------------------------------------------------------------------------------
    def _assemble(self, doc: Any, probs: Any, recorded_at: datetime) -> list[SharingRecord]:
        long, events = _long_spans(doc, probs, self.tag_labels)
        ents = _entity_spans(doc)
        infos = _one_per_event([s for s in long if s.label.startswith("INFO_")], events, ents, doc, probs)
        if not infos:
            return []
        starts = []
        for k, info in enumerate(infos):
            if k == 0:
                starts.append(0)
                continue
            floor = infos[k - 1].end
            between = [e for e in events if floor <= e <= info.start]
            starts.append(between[-1] if between else info.start)
        regions = [(starts[k], starts[k + 1] if k + 1 < len(infos) else len(doc)) for k in range(len(infos))]
        region_docs = list(self.record_nlp.pipe(doc[a:b].text if b > a else doc.text for a, b in regions))
        text = doc.text
        subject = self._memo_subject(ents)
        records: list[SharingRecord] = []
        previous_cp: dict[str, Span | None] = {}
        for k, (info, (a, b)) in enumerate(zip(infos, regions, strict=True)):
            inside = [e for e in ents if a <= e.start < b]
            inside_long = [s for s in long if a <= s.start < b and not s.label.startswith("INFO_")]
            cp = {label: self._nearest(inside, label, info) for label in ("CP_NAME", "CP_ROLE", "CP_ORG")}
            if not any(cp.values()) and previous_cp:
                cp = dict(previous_cp)
            previous_cp = cp
            times = [e for e in inside if e.label == "TIME"]
            said = min(
                times, key=lambda e: min(abs(e.end - info.start), abs(e.start - info.end)), default=None
            )
            cp = {**cp, "TIME": said}
            record_subject = next((e for e in inside if e.label == "SUBJ"), None)
            record_subject = self._longest_form(ents, record_subject) if record_subject else subject
            given = next((e for e in inside if e.label == "GIVEN"), None)
            reason = _longest_joined([s for s in inside_long if s.label == "REASON"], doc, probs)
            expl = _longest_joined([s for s in inside_long if s.label == "EXPL"], doc, probs)
            region_char = (
                doc[a].idx if a < len(doc) else 0,
                doc[b - 1].idx + len(doc[b - 1]) if b > a else 0,
            )
            records.append(
                self._record(
                    text,
                    info,
                    cp,
                    record_subject,
                    given,
                    reason,
                    expl,
                    region_docs[k].cats,
                    region_char,
                    recorded_at,
                    k,
                )
            )
        return records

    @staticmethod
    def _nearest(ents: list[Span], label: str, info: Span) -> Span | None:
        found = [e for e in ents if e.label == label]
        before = [e for e in found if e.start < info.start]
        if before:
            return before[-1]
        return found[0] if found else None

    @staticmethod
    def _memo_subject(ents: list[Span]) -> Span | None:
        subjects = [e for e in ents if e.label == "SUBJ"]
        if not subjects:
            return None
        counts: dict[str, int] = {}
        for e in subjects:
            key = e.text.split()[0].lower()
            counts[key] = counts.get(key, 0) + 1
        top = max(counts, key=counts.get)
        return LearnedExtractor._longest_form(
            ents, next(e for e in subjects if e.text.split()[0].lower() == top)
        )

    @staticmethod
    def _longest_form(ents: list[Span], mention: Span) -> Span:
        first = mention.text.split()[0].lower()
        same = [e for e in ents if e.label == "SUBJ" and e.text.split()[0].lower() == first]
        return max(same, key=lambda e: (len(e.text.split()), -e.start)) if same else mention

    def _record(
        self,
        text: str,
        info: Span,
        cp: dict[str, Span | None],
        subject: Span | None,
        given: Span | None,
        reason: Span | None,
        expl: Span | None,
        cats: dict[str, float],
        region: tuple[int, int],
        recorded_at: datetime,
        index: int,
    ) -> SharingRecord:
        r_start, r_end = region
        coded = self._coded_rules(text, info, cp, region, recorded_at)
        occurred, t_start, t_end = coded.occurred
        agency, agency_at = coded.agency, coded.agency_at
        legislation, protocols = coded.legislation, coded.protocols

        def pick(prefix: str) -> tuple[str, float]:
            options = {k[len(prefix) :]: v for k, v in cats.items() if k.startswith(prefix)}
            best = max(options, key=options.get)
            return best, options[best]

        kind, kind_p = info.label[len("INFO_") :], info.confidence
        if self.kind_from == "region" and any(k.startswith("K_") for k in cats):
            kind, kind_p = pick("K_")
        status, status_p = pick("CS_")
        family, family_p = pick("FI_")

        def codes(prefix: str) -> tuple[tuple[str, ...], float]:
            chosen = [(k[len(prefix) :], v) for k, v in cats.items() if k.startswith(prefix) and v >= 0.5]
            probs = [v for k, v in cats.items() if k.startswith(prefix)]
            confidence = min(max(v, 1 - v) for v in probs) if probs else 0.5
            return tuple(c for c, _ in chosen), confidence

        advice, advice_p = codes("ADV_")
        reasons, reasons_p = codes("CR_")
        bases, bases_p = codes("LB_")
        third_p = cats.get("TP", 0.0)
        if self.third_party_kin and third_p < 0.5 and self._names_kin(info.text):
            third_p = 0.6  # the information speaks of a relative (parents count as third parties)
        if self.cues:
            said = {name: _codes_in(self._hits(text)[name], region) for name in CUE_TABLES}
            if "lawful_basis" in self.cues:
                bases = said["lawful_basis"]
            if "advice_sought" in self.cues:
                advice = said["advice_sought"]
            if "consent.reasons" in self.cues:
                reasons = said["consent.reasons"]
        # The labelling conventions: no consent position said means nobody and no explanation; consent
        # obtained needs no reasons or explanation.
        if status != "unknown" and given is None:
            given = self._consenting_person(text, region, subject)
        if status == "unknown":
            given, expl, reasons = None, None, ()
        elif status == "obtained":
            expl, reasons = None, ()
        whole = Evidence(r_start, r_end, 0.5)

        def ev(span: Span | None, confidence: float | None = None) -> Evidence:
            if span is None:
                return Evidence(whole.start, whole.end, confidence if confidence is not None else 0.5)
            return Evidence(
                span.start_char, span.end_char, confidence if confidence is not None else span.confidence
            )

        evidence = {
            "kind": Evidence(info.start_char, info.end_char, kind_p),
            "occurred_at": Evidence(t_start, t_end, 0.8)
            if occurred
            else Evidence(whole.start, whole.end, 0.5),
            "counterpart.name": ev(cp["CP_NAME"]),
            "counterpart.role": ev(cp["CP_ROLE"]),
            "counterpart.organisation": ev(cp["CP_ORG"]),
            "counterpart.agency": Evidence(agency_at[0], agency_at[1], 0.8)
            if agency_at
            else Evidence(whole.start, whole.end, 0.5),
            "subject": ev(subject),
            "information": ev(info),
            "reason": ev(reason),
            "lawful_basis": Evidence(whole.start, whole.end, bases_p),
            "legislation": Evidence(legislation[0][1], legislation[0][2], 0.85)
            if legislation
            else Evidence(whole.start, whole.end, 0.7),
            "consent.status": Evidence(whole.start, whole.end, status_p),
            "consent.given_by": ev(given),
            "consent.reasons": Evidence(whole.start, whole.end, reasons_p),
            "consent.explanation": ev(expl),
            "family_informed": Evidence(whole.start, whole.end, family_p),
            "advice_sought": Evidence(whole.start, whole.end, advice_p),
            "protocols": Evidence(protocols[0][1], protocols[0][2], 0.85)
            if protocols
            else Evidence(whole.start, whole.end, 0.7),
            "third_party": Evidence(whole.start, whole.end, max(third_p, 1 - third_p)),
        }
        evidence = {name: self._calibrated(name, e) for name, e in evidence.items()}
        return SharingRecord(
            kind=kind,
            occurred_at=occurred,
            counterpart=Counterpart(
                _clean_name(cp["CP_NAME"].text) if cp["CP_NAME"] else None,
                cp["CP_ROLE"].text if cp["CP_ROLE"] else None,
                cp["CP_ORG"].text if cp["CP_ORG"] else None,
                agency,
            ),
            subject=_clean_name(subject.text) if subject else None,
            information=info.text,
            reason=reason.text if reason else None,
            lawful_basis=bases,
            legislation=tuple(dict.fromkeys(m[0] for m in legislation)),
            consent=Consent(status, given.text if given else None, reasons, expl.text if expl else None),
            family_informed={"true": True, "false": False}.get(family),
            advice_sought=advice,
            protocols=tuple(dict.fromkeys(m[0] for m in protocols)),
            third_party=third_p >= 0.5,
            evidence=evidence,
        )

    @staticmethod
    def _coded_rules(
        text: str, info: Span, cp: dict[str, Span | None], region: tuple[int, int], recorded_at: datetime
    ) -> Coded:
        from speakcase.pipelines.extract.rules import load_rules

        rules = load_rules()
        r_start, r_end = region
        said = cp.get("TIME")
        if said is not None:  # the event's time expression, as the span model found it
            occurred = rules.occurred_at(text, recorded_at, said.end_char)
            if occurred:
                return_time = (occurred, said.start_char, said.end_char)
        head = text[r_start : max(info.end_char, r_start)]
        if said is None or not occurred:
            occurred = rules.occurred_at(head, recorded_at, info.start_char - r_start)
            if occurred is None:
                occurred = rules.occurred_at(text[r_start:r_end], recorded_at, info.start_char - r_start)
            return_time = (occurred, r_start, info.start_char) if occurred else (None, 0, 0)
        org, role = cp["CP_ORG"], cp["CP_ROLE"]
        agency = rules.agency(org.text if org else None, role.text if role else None)
        at = org or role
        hits = LearnedExtractor._hits(text)
        legislation = [(h.value, h.start, h.end) for h in hits["legislation"] if r_start <= h.start < r_end]
        protocols = [(h.value, h.start, h.end) for h in hits["protocols"] if r_start <= h.start < r_end]
        return Coded(
            return_time,
            agency,
            (at.start_char, at.end_char) if agency and at else None,
            legislation,
            protocols,
        )

    @staticmethod
    def _names_kin(text: str) -> bool:
        import re

        from speakcase.pipelines.extract.rules import load_rules

        words = [re.escape(w) for w in load_rules().gazetteer("kin")]
        return re.search(r"\b(?:" + "|".join(words) + r")\b", text, re.I) is not None

    @staticmethod
    def _consenting_person(text: str, region: tuple[int, int], subject: Span | None) -> Span | None:
        """Who holds consent when the span model named nobody: a parent named in the region, else the
        subject (an adult or young person deciding for themselves)."""
        import re

        from speakcase.pipelines.extract.rules import load_rules

        parents = [w for w in load_rules().gazetteer("kin")[:PARENT_WORDS] if " " not in w]
        found = re.search(r"\b(?:" + "|".join(parents) + r")\b", text[region[0] : region[1]], re.I)
        if found:
            start = region[0] + found.start()
            return Span(0, 0, start, start + len(found.group()), "GIVEN", 0.4, found.group())
        if subject is not None:
            first = subject.text.split()[0]
            return Span(0, 0, subject.start_char, subject.start_char + len(first), "GIVEN", 0.4, first)
        return None

    @staticmethod
    @lru_cache(maxsize=8)
    def _hits(text: str) -> dict[str, list[Any]]:
        """Every rules table's hits over the whole memo, once (records take those in their region)."""
        from speakcase.pipelines.extract.rules import load_rules

        rules = load_rules()
        return {
            "legislation": rules.legislation_hits(text),
            "protocols": rules.protocol_hits(text),
            "lawful_basis": rules.hits("lawful_basis", text),
            "advice_sought": rules.advice_hits(text),
            "consent.reasons": rules.hits("consent_reasons", text),
        }

    def _calibrated(self, name: str, evidence: Evidence) -> Evidence:
        table = self.calibration.get(name)
        if not table:
            return evidence
        # Piecewise map of raw confidence to measured accuracy on the tune sets (bins of raw confidence).
        value = evidence.confidence
        for upper, accuracy in table:
            if value <= upper:
                return Evidence(evidence.start, evidence.end, float(accuracy))
        return Evidence(evidence.start, evidence.end, float(table[-1][1]))


@lru_cache(maxsize=1)
def load_learned(model_dir: str | None = None) -> LearnedExtractor:
    """Load the trained pipelines once per process."""
    import spacy

    root = Path(model_dir) if model_dir else MODEL_DIR
    if not (root / "spans").is_dir() or not (root / "record").is_dir():
        raise ModelMissingError(f"The trained extraction model is missing from {root}: run speakcase train.")
    calibration_path = root / "calibration.json"
    calibration = json.loads(calibration_path.read_text()) if calibration_path.exists() else None
    try:
        spans, record = spacy.load(root / "spans"), spacy.load(root / "record")
    except (OSError, ValueError) as exc:
        raise ModelMissingError(
            f"The trained extraction model in {root} cannot be loaded: reinstall SpeakCase or run "
            "speakcase train."
        ) from exc
    return LearnedExtractor(spans, record, calibration)
