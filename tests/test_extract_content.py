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


CASES += [
    (
        "Note for Tia Marsh, aged nine. PC Dean Rowe from Avon Police phoned this morning to pass on that "
        "Tia's stepdad was arrested at the house last night. He was sharing it because Tia was home "
        "at the time.",
        "received",
        "arrested",
        "home",
    ),
    (
        "Note for Ben Ito, aged twelve. Mr Carl Ness, the head of year at Fenwick High School, rang "
        "asking about Ben's home life. I did share that Ben has moved to his nan's, so the school can "
        "update its records.",
        "shared",
        "moved",
        "update",
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


CONSENT_OPENING = (
    "Note for Harriet Quinn, aged seven. At eleven I rang Mr Ivo Brandt, the deputy head at Larchfield "
    "Primary School, and shared that Harriet has been staying with her aunt this week."
)


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("sentence", "status", "given_by"),
    [
        ("I checked with my manager first, and she agreed it should go to school today.", "unknown", None),
        ("I think dad agreed at the core group, but I'll need to check the notes.", "unknown", "dad"),
        ("Her nan said she didn't want school told about the move.", "refused", "Her nan"),
        ("I'm not sure whether mum consented to this.", "unknown", "mum"),
    ],
)
def test_consent_agreements_that_are_not_the_family_s_or_are_unsure(
    extractor: Extractor, sentence: str, status: str, given_by: str | None, asr: bool
) -> None:
    record = _one(extractor, f"{CONSENT_OPENING} {sentence}", asr)
    assert record.consent.status == status
    if given_by and status != "unknown":
        assert (record.consent.given_by or "").lower() == given_by.lower()


@pytest.mark.parametrize("asr", [False, True])
def test_a_counterpart_saying_no_to_a_request_is_not_a_consent_refusal(
    extractor: Extractor, asr: bool
) -> None:
    text = (
        "Note for Owen Pryce, aged ten. This morning I rang Westgate Surgery and asked the practice manager, "
        "Mrs Dana Holt, for Owen's immunisation history. She said no, not without a written request."
    )
    record = _one(extractor, text, asr)
    assert record.kind == "refused"
    assert record.consent.status == "unknown"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Afterwards I let her grandad know the referral had been made.", True),
        ("I haven't had a chance to tell her aunt yet.", False),
        ("The school aren't told about the family court case, but I've updated dad about the call.", True),
        ("I'll speak to mum when I next visit.", None),
    ],
)
def test_family_informed_from_telling_a_relative(
    extractor: Extractor, sentence: str, expected: bool | None
) -> None:
    assert _one(extractor, f"{CONSENT_OPENING} {sentence}", False).family_informed is expected


@pytest.mark.parametrize("asr", [False, True])
def test_tipping_off_is_prejudicing_an_investigation(extractor: Extractor, asr: bool) -> None:
    record = _one(
        extractor,
        f"{CONSENT_OPENING} I didn't seek dad's consent because it would tip off his brother before the "
        "police interview.",
        asr,
    )
    assert record.consent.status == "not_sought"
    assert "prejudice_investigation" in record.consent.reasons


def test_withheld_reason_before_a_so(extractor: Extractor) -> None:
    text = (
        "Note on Leon Marsh, sixteen. Yesterday his football coach at Redfield Youth Club, Paul Okoro, "
        "asked me "
        "whether Leon's mum is in hospital. Leon told me he wants that kept private and nothing puts him at "
        "risk, so this afternoon I decided not to share it."
    )
    record = _one(extractor, text, False)
    assert record.kind == "withheld"
    assert "private" in (record.reason or "")


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("shared", "third"),
    [
        ("Ms Hale's new address and the names of her kids' schools", True),
        ("that Ms Hale has been seen with some older men near the flat", False),
    ],
)
def test_third_party_from_children_but_not_unnamed_groups(
    extractor: Extractor, shared: str, third: bool, asr: bool
) -> None:
    text = (
        "Adult safeguarding note for Ms Rita Hale, forty. At noon I rang Jo Penn, the support worker at "
        f"Northway Refuge, and shared {shared}, so they can plan her move."
    )
    assert _one(extractor, text, asr).third_party is third


@pytest.mark.parametrize("asr", [False, True])
@pytest.mark.parametrize(
    ("sentence", "status", "given_by"),
    [
        ("I haven't asked Mrs Okafor because her son would find out.", "not_sought", "Mrs Okafor"),
        ("Harriet's aunt, Grace, asked me to ring the school, she wants them to know.", "obtained", "Grace"),
        ("Mr Brandt asked me to send him the plan.", "unknown", None),
        ("Parents' consent wasn't needed because there's a court order.", "not_sought", "Parents"),
        ("Her aunt asked me to keep the move private.", "refused", "aunt"),
    ],
)
def test_consent_from_who_asked_what(
    extractor: Extractor, sentence: str, status: str, given_by: str | None, asr: bool
) -> None:
    record = _one(extractor, f"{CONSENT_OPENING} {sentence}", asr)
    assert record.consent.status == status
    if given_by:
        assert (record.consent.given_by or "").lower().replace("'", "") == given_by.lower().replace("'", "")


def test_unpunctuated_reason_ends_where_a_new_clause_starts(extractor: Extractor) -> None:
    text = (
        "note for ava lund aged six at ten i rang sam cole the school nurse at ridgeway academy and "
        "shared that "
        "ava has lost weight so she can weigh her every week im visiting mum tomorrow"
    )
    record = _one(extractor, text, False)
    assert "weigh" in (record.reason or "")
    assert "visiting" not in (record.reason or "")


@pytest.mark.parametrize("asr", [False, True])
def test_received_reason_after_which_they_passed_on(extractor: Extractor, asr: bool) -> None:
    text = (
        "Note for Nia Vale, aged eight. This morning Rob Lane, the class teacher at Hillcrest Primary "
        "School, "
        "rang me and told me Nia has been coming in hungry, which he passed on because it keeps happening on "
        "Mondays."
    )
    record = _one(extractor, text, asr)
    assert record.kind == "received"
    assert "hungry" in (record.information or "")
    assert "mondays" in (record.reason or "").lower()


@pytest.mark.parametrize("asr", [False, True])
def test_information_between_passed_and_on_to(extractor: Extractor, asr: bool) -> None:
    text = (
        "Note for Omar Reid, aged nine. At two I passed the bruising photos on to Sergeant Lyn Cross at "
        "Fenland Police, so they can plan the strategy discussion."
    )
    record = _one(extractor, text, asr)
    assert record.kind == "shared"
    assert "photos" in (record.information or "")


def test_a_withheld_event_without_a_known_cue_has_no_reason_rather_than_a_crash():
    from speakcase.pipelines.extract.fields import _withheld_reason
    from speakcase.pipelines.extract.segment import Event
    from speakcase.pipelines.extract.text import TextView

    text = "The officer wanted the file. I did not go into that with him at all."
    assert _withheld_reason(TextView(text), Event(0, len(text), 0, 11)) is None
