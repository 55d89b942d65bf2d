"""Wordings beyond the first-grown rules: verb forms, explanations after a call, fallbacks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from speakcase.pipelines.extract.text import fold
from tests.test_extract import _misses

RECORDED = datetime(2026, 3, 11, 16, 20)  # a Wednesday afternoon


# (id, text, expected fields per record); each runs as written and as a recogniser transcript.
CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "received-gave-me",
        "Note on Harvey Quinn, ten. At nine this morning Sergeant Ruth Bell from Eastmoor Police rang and "
        "gave me the names of the two adults arrested at the house last night, because police think Harvey "
        "may have been there.",
        [
            {
                "kind": "received",
                "counterpart.name": "Ruth Bell",
                "information": "the names of the two adults arrested at the house last night",
                "reason": "police think Harvey may have been there",
            }
        ],
    ),
    (
        "received-confirmed-on-call-back",
        "Re Poppy Lane, four. Dr Ian Moss at Greyfield Surgery rang me back this afternoon "
        "and confirmed Poppy missed both of her last two immunisation appointments, so that we have a full "
        "health picture for the assessment.",
        [
            {
                "kind": "received",
                "counterpart.name": "Ian Moss",
                "information": "Poppy missed both of her last two immunisation appointments",
            }
        ],
    ),
    (
        "wanting-to-know-withheld",
        "Note for Kacper Nowak, twelve. At eleven Dean Harris from Castle Lettings rang "
        "the duty line wanting to know where Kacper is now living. I didn't tell him. Kacper is in "
        "foster care and his placement address is confidential.",
        [
            {
                "kind": "withheld",
                "counterpart.name": "Dean Harris",
                "information": "where Kacper is now living",
            }
        ],
    ),
    (
        "their-reason-told-after-the-call",
        "Update on Isla Fenwick, two. Had a call at ten from Nadia, the nursery manager at Bluebell Day "
        "Nursery. She told me Isla has been collected twice this week by an adult the nursery did not "
        "recognise. She rang because she wanted us to know before the child in need review.",
        [
            {
                "kind": "received",
                "counterpart.name": "Nadia",
                "reason": "she wanted us to know before the child in need review",
            }
        ],
    ),
]


def test_recogniser_punctuation_and_spellings(extractor: Extractor) -> None:
    """Whisper writes "Mr." and "a.m." with full stops and American spellings; none of it ends a sentence."""
    text = (
        "Note for Mrs. Alma Reyes, who's 79. At 9 a.m. I phoned Dr. Nils Berg at Elmwood Health Center and told "
        "him Mrs. Reyes has had three falls this month and her son has stopped visiting, so that he can review "
        "her medication. Mrs. Reyes agreed to me sharing that."
    )
    case = {
        "recorded_at": RECORDED.isoformat(),
        "expect": [
            {
                "counterpart.name": "Nils Berg",
                "counterpart.organisation": "Elmwood Health Center",
                "counterpart.agency": "health",
                "subject": "Alma Reyes",
                "occurred_at": "2026-03-11T09:00",
                "information": "Mrs. Reyes has had three falls this month and her son has stopped visiting",
                "consent.status": "obtained",
            }
        ],
    }
    assert _misses(extractor, case, text) == []


def test_an_american_mom_is_a_parent(extractor: Extractor) -> None:
    text = (
        "Re Jace Turner, six. At ten I rang Ms. Ana Costa, the DSL at Ridgeway Primary, and told her Jace is on a "
        "child protection plan so the school can watch his attendance. His mom agreed to me telling the school."
    )
    case = {
        "recorded_at": RECORDED.isoformat(),
        "expect": [
            {"consent.status": "obtained", "consent.given_by": "mom", "counterpart.name": "Ana Costa"}
        ],
    }
    assert _misses(extractor, case, text) == []


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_general_wordings(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    case = {"recorded_at": RECORDED.isoformat(), "expect": expect}
    assert _misses(extractor, case, variant(text)) == []


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("P.C. Cook rang.", "pc   cook rang."),
        ("under section 1-1-5 of", "under section 115   of"),
        ("the safe guarding lead", "the safeguarding  lead"),
        ("Mrs. Shah at 9 a.m. today. Mom said no.", "mrs  shah at 9 am   today. mum said no."),
        ("his care coordinator", "his care coordinator"),
    ],
)
def test_folding_keeps_offsets_and_closes_up_recogniser_forms(written: str, folded: str) -> None:
    assert fold(written) == folded


@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_a_memo_in_wording_no_rule_knows_still_gives_a_draft(extractor: Extractor, variant: Any) -> None:
    """No known way of opening a call: the memo still becomes one record naming who was spoken to."""
    text = (
        "Note for Ruby Ashdown, seven. Yesterday Sergeant Kofi Mensah of Lakeside Police buzzed me on the "
        "duty mobile. He filled me in that Ruby's uncle was arrested at the house on Friday night."
    )
    records = extractor.extract(variant(text), RECORDED)
    assert len(records) == 1
    assert records[0].counterpart.name and "mensah" in records[0].counterpart.name.lower()


def test_text_with_no_one_on_the_other_side_still_gives_nothing(extractor: Extractor) -> None:
    assert extractor.extract("I told myself to call it a day and shared a pizza.", RECORDED) == []


def test_counterpart_named_in_the_sentence_before_the_act(extractor: Extractor) -> None:
    text = (
        "Note for Owen Pryce, aged nine. At two I had a quick word with Sunita Rao, the head of year at "
        "Marlpit Academy. I told her that Owen's dad has moved back into the family home, so that school "
        "knows who may collect him."
    )
    case = {
        "recorded_at": RECORDED.isoformat(),
        "expect": [
            {
                "kind": "shared",
                "counterpart.name": "Sunita Rao",
                "counterpart.organisation": "Marlpit Academy",
            }
        ],
    }
    assert _misses(extractor, case, text) == []
