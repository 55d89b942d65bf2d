"""Extraction on memos phrased unlike the development set: subjects, times, counterparts, segmentation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from speakcase.pipelines.extract import Extractor
from speakcase.pipelines.extract.scoring import asr_variant
from speakcase.pipelines.extract.text import TextView
from speakcase.pipelines.extract.timeparse import find_mentions, resolve
from tests.test_extract import _misses

RECORDED = datetime(2026, 5, 13, 16, 20)  # a Wednesday afternoon


def _check(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> list[str]:
    case = {"recorded_at": RECORDED.isoformat(), "expect": expect}
    return _misses(extractor, case, text)


CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "subject-possessive",
        "At ten I had a call from Priya Nandra at Wexley Law, she represents Dean Collins, Tilly "
        "Collins's father. She asked for our parenting assessment on Tilly. I declined, nothing was "
        "shared. Tilly is staying with her aunt and Dean does not know where.",
        [{"subject": "Tilly Collins", "counterpart.name": "Priya Nandra"}],
    ),
    (
        "subject-re-baby",
        "midwife Claire Dunstan, Ashby Road Health Centre, rang at twenty past eleven, re baby Isla "
        "Marsh, six weeks, she told me mum has missed two checks and the baby has lost weight",
        [{"subject": "Isla Marsh", "kind": "received", "occurred_at": "2026-05-13T11:20"}],
    ),
    (
        "subject-age-word",
        "Late visit note, Kai Robertson, thirteen, not back from school. At four I rang PC Lena Hart at "
        "Eastfold Police and gave her Kai's description so they can start looking.",
        [{"subject": "Kai Robertson", "counterpart.name": "Lena Hart", "occurred_at": "2026-05-13T16:00"}],
    ),
    (
        "subject-age-before",
        "Yesterday I told Joe Pike, the youth worker at Brookside Youth Club, that his volunteer has been"
        " texting twelve-year-old Amira Said late at night. Amira's mum knows.",
        [{"subject": "Amira Said", "occurred_at": "2026-05-12"}],
    ),
    (
        "counterpart-shared-with-modified-role",
        "Note for Reece Dunn, fifteen. This morning I shared with Maya Okafor, the CSE coordinator at "
        "Hollins Police, that Reece has been picked up by older men twice this week, so they can add it "
        "to the disruption plan.",
        [
            {
                "counterpart.name": "Maya Okafor",
                "counterpart.role": "CSE coordinator",
                "counterpart.agency": "police",
            }
        ],
    ),
    (
        "counterpart-filler-and-charity",
        "Note on Ivy Lane, twelve. At about two Noel Fraser, erm, the mentor from the Bright Paths youth "
        "charity, rang and asked me why Ivy moved schools. I didn't tell him, it isn't his business.",
        [
            {
                "kind": "withheld",
                "counterpart.name": "Noel Fraser",
                "counterpart.organisation": "the Bright Paths youth charity",
                "counterpart.agency": "voluntary",
            }
        ],
    ),
    (
        "counterpart-named-charity-before-description",
        "Re Poppy Shaw, nine. Just now I rang Dana at Open Door, the homelessness charity, and told her "
        "Poppy and her mum need a room tonight so they can find them a place.",
        [
            {
                "counterpart.name": "Dana",
                "counterpart.organisation": "Open Door",
                "counterpart.agency": "voluntary",
            }
        ],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_general_memos_as_written(extractor: Extractor, text: str, expect: list[dict[str, Any]]) -> None:
    assert _check(extractor, text, expect) == []


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_general_memos_without_punctuation(
    extractor: Extractor, text: str, expect: list[dict[str, Any]]
) -> None:
    assert _check(extractor, asr_variant(text), expect) == []


SEGMENT_CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "same-call-two-records",
        "Note for Mrs Edna Platt, eighty two. PCSO Leon Marsh from Ashvale Police rang this morning at "
        "ten past ten. He said Edna had been found wandering on the bypass at night. Then on the same "
        "call I shared with him that Edna has dementia and a care package, so they know who to call.",
        [
            {"kind": "received", "counterpart.name": "Leon Marsh", "occurred_at": "2026-05-13T10:10"},
            {"kind": "shared", "counterpart.name": "Leon Marsh", "counterpart.agency": "police"},
        ],
    ),
    (
        "considered-not-shared",
        "Note on Sami Khan, he's eleven. I thought about telling his class teacher at Rowan Primary, Miss"
        " Dale, that Sami's mum is in hospital, but Sami asked me not to and there is no risk, so "
        "yesterday I decided not to share it.",
        [{"kind": "withheld", "counterpart.name": "Dale", "counterpart.agency": "education"}],
    ),
    (
        "parent-counterpart-and-family-update",
        "Re Leo Grant, seven. At ten I told Jo Hunt, the DSL at Fenby Primary School, that Leo's mum, "
        "Tara Grant, has a new partner with a violence record, so school can watch for signs. Later his "
        "dad, Craig Grant, rang asking what school had been told and I decided not to tell him because of"
        " the court order. I've emailed a formal note. I texted Tara afterwards to say what I'd told the "
        "school.",
        [
            {"kind": "shared", "counterpart.name": "Jo Hunt"},
            {"counterpart.name": "Craig Grant", "counterpart.role": "dad", "counterpart.organisation": None},
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expect"), [c[1:] for c in SEGMENT_CASES], ids=[c[0] for c in SEGMENT_CASES]
)
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_one_record_per_sharing_event(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    assert _check(extractor, variant(text), expect) == []


NIGHT = datetime(2026, 5, 13, 22, 5)

NIGHT_CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "night-clock-before-recording",
        "Out of hours. At quarter to nine Sergeant Omar Reece from Dunmore Police rang and told me Zara "
        "Bell, fifteen, was found at a party. Then at about half nine I also rang the foster carer's "
        "supervising social worker, Hannah Pryor at Elmway Fostering, and shared that Zara is safe.",
        [
            {"occurred_at": "2026-05-13T20:45", "kind": "received", "subject": "Zara Bell"},
            {"occurred_at": "2026-05-13T21:30", "counterpart.name": "Hannah Pryor"},
        ],
    ),
    (
        "just-sent",
        "Note on Ben Ashworth, ten. I've just faxed the chronology to Kim Lowe, the practice manager at "
        "Harbour Surgery, so the GP can review his injuries.",
        [{"occurred_at": "2026-05-13T22:05", "counterpart.name": "Kim Lowe"}],
    ),
]


@pytest.mark.parametrize(("text", "expect"), [c[1:] for c in NIGHT_CASES], ids=[c[0] for c in NIGHT_CASES])
@pytest.mark.parametrize("variant", [str, asr_variant], ids=["written", "asr"])
def test_times_resolve_to_the_latest_past_clock(
    extractor: Extractor, text: str, expect: list[dict[str, Any]], variant: Any
) -> None:
    case = {"recorded_at": NIGHT.isoformat(), "expect": expect}
    assert _misses(extractor, case, variant(text)) == []


def test_news_that_has_just_happened_is_not_the_time_of_sharing() -> None:
    view = TextView("his nan has just been taken into hospital and yesterday I told the school")
    assert resolve(find_mentions(view, 0, len(view.original), NIGHT), view, NIGHT)[0] == "2026-05-12"


def test_twenty_to_one_after_midnight_is_early_morning() -> None:
    early = datetime(2026, 5, 14, 1, 30)
    view = TextView("at twenty to one the nurse rang")
    assert resolve(find_mentions(view, 0, len(view.original), early), view, early)[0] == "2026-05-14T00:40"
