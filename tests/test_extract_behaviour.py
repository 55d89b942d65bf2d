"""How the learned extractor behaves on real memos: the team's own memos and phrase cases, as written and
as a speech recogniser gives them (lower case, no punctuation).

The phrase cases (extract_data/phrases.json) are copied from the rule-based extractor's per-phrase tests
and measured together here: each case names only the fields it is about.
The floors sit a few points under what the shipped model measures, so a regression fails.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from speakcase.pipelines.extract.scoring import asr_variant, field_match

DATA = Path(__file__).parent / "extract_data"
MEMOS = json.loads((DATA / "memos.json").read_text())
PHRASES = json.loads((DATA / "phrases.json").read_text())
RECORDED = datetime(2026, 3, 11, 16, 40)


@pytest.fixture(scope="module")
def learned() -> Any:
    """The learned extractor (SPEAKCASE_EXTRACTOR=learned), loaded once for the module."""
    from speakcase.pipelines.extract.learned import load_learned

    return load_learned()


def _nested(dotted: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    node = out
    *heads, last = dotted.split(".")
    for head in heads:
        node = node.setdefault(head, {})
    node[last] = value
    return out


def measure(learned: Any, cases: list[dict[str, Any]], asr: bool) -> dict[str, float]:
    """Share of cases with the right number of records, and of expected fields right."""
    counts = fields = total = 0
    for case in cases:
        text = asr_variant(case["text"]) if asr else case["text"]
        predicted = learned.extract_json(text, datetime.fromisoformat(case["recorded_at"]))["records"]
        counts += len(predicted) == len(case["expect"])
        for i, expected in enumerate(case["expect"]):
            record = predicted[i] if i < len(predicted) else None
            for name, value in expected.items():
                total += 1
                fields += record is not None and field_match(name, _nested(name, value), record)
    return {"count": counts / len(cases), "fields": fields / total}


# Measured with the shipped model (count, fields): memos 0.825/0.816 written, 0.775/0.757 recogniser form;
# phrases 0.662/0.581 and 0.629/0.512. The old rule-based extractor, tuned on exactly these, had 1.00/0.99.
FLOORS = {
    ("memos", False): {"count": 0.77, "fields": 0.76},
    ("memos", True): {"count": 0.72, "fields": 0.70},
    ("phrases", False): {"count": 0.61, "fields": 0.53},
    ("phrases", True): {"count": 0.58, "fields": 0.46},
}


@pytest.mark.parametrize(
    ("name", "asr"), list(FLOORS), ids=[f"{n}-{'asr' if a else 'written'}" for n, a in FLOORS]
)
def test_own_memos_and_phrases_stay_above_their_floors(learned: Any, name: str, asr: bool) -> None:
    got = measure(learned, MEMOS if name == "memos" else PHRASES, asr)
    floor = FLOORS[(name, asr)]
    assert got["count"] >= floor["count"] and got["fields"] >= floor["fields"], got


def test_multiple_events_keep_their_order_and_subject(learned: Any) -> None:
    text = (
        "Note for Wilf Barnes, he's nine. At ten I rang his school nurse, Anita Gill at Fernlea Primary "
        "School, and told her Wilf has lost weight, so she can weigh him. Then at about two Carl Ward, the "
        "PCSO from Eastmoor Police, rang me and told me Wilf was seen begging outside the station. And later "
        "I emailed Jo Platt, the GP at Kingsway Medical Centre, asking for his growth charts. She declined, "
        "she said she needs a written request."
    )
    records = learned.extract(text, RECORDED)
    assert [r.kind for r in records] == ["shared", "received", "refused"]
    assert {r.subject for r in records} == {"Wilf Barnes"}


@pytest.mark.parametrize("text", ["Lorem ipsum dolor sit amet.", "Bonjour, je m'appelle Luc.", "ok ok ok"])
def test_text_that_tells_of_no_sharing_gives_no_records(learned: Any, text: str) -> None:
    assert learned.extract(text, RECORDED) == []


def test_the_recogniser_form_gives_the_same_records_as_written(learned: Any) -> None:
    same = 0
    for case in MEMOS:
        recorded = datetime.fromisoformat(case["recorded_at"])
        written = [r.kind for r in learned.extract(case["text"], recorded)]
        spoken = [r.kind for r in learned.extract(asr_variant(case["text"]), recorded)]
        same += written == spoken
    assert same / len(MEMOS) >= 0.8
