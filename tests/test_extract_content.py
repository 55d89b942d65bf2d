"""Kind, information and reason rules written for constructions, on phrasings no tuning memo used."""

from __future__ import annotations

from datetime import datetime

import pytest

from speakcase.pipelines.extract import Extractor, load_extractor
from speakcase.pipelines.extract.scoring import asr_variant

RECORDED = datetime(2026, 9, 14, 16, 0)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The pipeline, loaded once for the whole session."""
    return load_extractor()


def _one(extractor: Extractor, text: str, asr: bool):
    records = extractor.extract(asr_variant(text) if asr else text, RECORDED)
    assert len(records) == 1
    return records[0]


CASES = [
    (
        "Note for Bethany Cole, aged eight. This morning Mrs Ann "
        "Price, the office manager at Greenway Primary "
        "School, asked me whether Bethany's uncle had been in trouble "
        "with the police. I spoke to my manager and "
        "decided not to share his history. It isn't relevant to keeping Bethany safe at school.",
        "withheld",
        "history",
        "relevant",
    ),
    (
        "Note re Callum Birch, aged six. At ten I rang Sam Hughes, the "
        "school nurse at Ridgeway Academy, and shared "
        "that Callum has lost a lot of weight since the summer. That "
        "was so the nurse could weigh him every week.",
        "shared",
        "weight",
        "weigh",
    ),
    (
        "Memo for Maya Oduya, aged two. Earlier today I told Jo Lee, "
        "the health visitor at Brookside Clinic, that "
        "Maya's mum has moved out of the family home. I passed that "
        "on so nursery staff could watch for changes.",
        "shared",
        "moved",
        "watch",
    ),
    (
        "Note for Reece Darnell, aged eleven. At two I shared the "
        "bruising photos with PC Jan Ward, Kent Police, "
        "to line up a joint visit with the family.",
        "shared",
        "photos",
        "joint",
    ),
    (
        "Note for Kofi Mensah, aged five. Yesterday Sergeant Paula Hart "
        "from Dorset Police rang me about an incident "
        "at the flat. She explained she was passing it on to protect Kofi and his baby sister.",
        "received",
        None,
        "protect",
    ),
]


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(("text", "kind", "info_word", "reason_word"), CASES)
def test_kind_information_and_reason_from_the_construction(
    extractor: Extractor, text: str, kind: str, info_word: str | None, reason_word: str, asr: bool
) -> None:
    record = _one(extractor, text, asr)
    assert record.kind == kind
    if info_word:
        assert info_word in (record.information or "").lower()
    assert reason_word in (record.reason or "").lower()
