"""bench/asr_corpus.py's label alignment: memo labels placed in a transcript (pure Python, no audio)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

spec = importlib.util.spec_from_file_location(
    "asr_corpus", Path(__file__).parents[1] / "bench" / "asr_corpus.py"
)
assert spec is not None and spec.loader is not None
asr_corpus = importlib.util.module_from_spec(spec)
sys.modules["asr_corpus"] = asr_corpus  # dataclasses look their module up
spec.loader.exec_module(asr_corpus)

MEMO = (
    "At about quarter to three I phoned PC Daniel Okafor at West Mercia Police and told him that "
    "Zainab arrived at Brookfield Nursery with a burn mark on her forearm. I shared this under section 47."
)
HEARD = (
    "At about quarter to three iPhone PC Daniel Oka for at West Merchant Police and told him that "
    "Zinnad arrived at Brookfield Nursery with a burn mark on her forearm. I shared this under section forty seven."
)


def _expected(**fields: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "shared",
        "counterpart": {
            "name": fields.get("name"),
            "role": "PC",
            "organisation": fields.get("org"),
            "agency": "police",
        },
        "subject": fields.get("subject"),
        "information": fields.get("information"),
        "legislation": ["Children Act 1989 s47"],
        "consent": {"status": "unknown", "given_by": None, "reasons": [], "explanation": None},
    }
    return {"records": [record]}


def test_names_and_text_are_placed_as_heard() -> None:
    expected = _expected(
        name="Daniel Okafor",
        org="West Mercia Police",
        information="Zainab arrived at Brookfield Nursery with a burn mark on her forearm",
    )
    aligned, report = asr_corpus.align_expected(expected, MEMO, HEARD)
    record = aligned["records"][0]
    assert record["counterpart"]["name"] == "Daniel Oka for"
    assert record["counterpart"]["organisation"] == "West Merchant Police"
    assert record["information"] == "Zinnad arrived at Brookfield Nursery with a burn mark on her forearm"
    assert record["counterpart"]["role"] == "PC"
    assert record["legislation"] == ["Children Act 1989 s47"]  # coded fields unchanged
    assert report["unplaced"] == []


def test_numbers_align_across_digits_and_words() -> None:
    aligner = asr_corpus.Aligner(MEMO, HEARD)
    assert aligner.place("section 47") == ("section forty seven", True)


def test_a_label_the_recogniser_lost_is_reported_unplaced() -> None:
    heard = "I shared this under section forty seven."
    expected = _expected(
        name="Daniel Okafor", org="West Mercia Police", information="a burn mark on her forearm"
    )
    aligned, report = asr_corpus.align_expected(expected, MEMO, heard)
    assert sorted(report["unplaced"]) == [
        "counterpart.name",
        "counterpart.organisation",
        "counterpart.role",
        "information",
    ]
    assert aligned["records"][0]["counterpart"]["name"] == "Daniel Okafor"  # kept as written, flagged


def test_words_a_run_added_at_the_edge_are_trimmed() -> None:
    aligner = asr_corpus.Aligner(
        "I rang Carla Evans at the school today.", "I rang Carla Evansie, it at the school today."
    )
    assert aligner.place("Carla Evans") == ("Carla Evansie", False)


def test_a_short_label_placed_on_unlike_words_is_unplaced() -> None:
    aligner = asr_corpus.Aligner("I told Mum about it today.", "I told the about it today.")
    assert aligner.place("Mum") == (None, False)
