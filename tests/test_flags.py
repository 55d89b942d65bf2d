"""Value checks: a draft is flagged when its evidence contradicts it, it is unsure, or a fragment."""

from __future__ import annotations

from datetime import datetime

from speakcase.models.flags import CONFIDENCE_THRESHOLD, value_flags
from speakcase.models.records import Evidence
from tests.tui_seed import GP_TEXT, MEMO_TEXT, gp_record, police_record

RECORDED = datetime(2025, 3, 12, 16, 0)


def codes(flags):
    return {(f.field, f.code) for f in flags}


def test_the_gp_draft_is_flagged_on_consent_when_and_why():
    flags = value_flags(gp_record(), GP_TEXT, RECORDED)
    assert codes(flags) == {
        ("consent.status", "contradicted"),
        ("occurred_at", "contradicted"),
        ("reason", "fragment"),
    }
    consent = next(f for f in flags if f.field == "consent.status")
    assert "had not consented" in consent.message


def test_typing_the_time_does_not_clear_the_yesterday_flag_but_correcting_the_date_does():
    draft = gp_record()
    with_time = draft.with_field("occurred_at", "2025-03-11T14:10")
    assert ("occurred_at", "contradicted") not in codes(value_flags(with_time, GP_TEXT, RECORDED, draft))
    # Changing the value is the practitioner's judgement; the extracted "yesterday" stays flagged only
    # while the field still holds what the extraction drafted.
    assert ("occurred_at", "contradicted") in codes(value_flags(draft, GP_TEXT, RECORDED, draft))


def test_an_event_after_the_recording_is_flagged_whoever_typed_it():
    record = gp_record().with_field("occurred_at", "2025-03-12T17:13")
    flags = value_flags(record, GP_TEXT, RECORDED, gp_record())
    assert ("occurred_at", "after_recording") in codes(flags)
    assert ("occurred_at", "after_recording") not in codes(
        value_flags(record.with_field("occurred_at", "2025-03-12T14:10"), GP_TEXT, RECORDED, gp_record())
    )


def test_consent_not_negated_is_not_flagged():
    record = gp_record()
    start = GP_TEXT.index("consented")
    text = GP_TEXT[:start].replace("had not", "has now") + GP_TEXT[start:]
    assert ("consent.status", "contradicted") not in codes(value_flags(record, text, RECORDED))


def test_low_confidence_is_flagged_until_the_value_is_changed():
    record = police_record()
    assert record.evidence["consent.status"].confidence < CONFIDENCE_THRESHOLD
    assert ("consent.status", "unsure") in codes(value_flags(record, MEMO_TEXT, None, record))
    changed = record.with_field("consent.status", "refused")
    assert ("consent.status", "unsure") not in codes(value_flags(changed, MEMO_TEXT, None, record))
    sure = record.with_field("kind", "shared")
    sure = type(sure)(**{**sure.__dict__, "evidence": {"kind": Evidence(0, 3, CONFIDENCE_THRESHOLD)}})
    assert not any(f.code == "unsure" for f in value_flags(sure, MEMO_TEXT, None))


def test_fragments_and_non_names():
    record = police_record().with_field("information", "this").with_field("subject", "safety")
    assert {("information", "fragment"), ("subject", "not_a_name")} <= codes(value_flags(record))
    whole = police_record()
    assert not {("information", "fragment"), ("subject", "not_a_name")} & codes(value_flags(whole))


def test_a_why_that_stops_mid_sentence_is_flagged():
    record = gp_record().with_field(
        "reason", "so that she can check the bruising at his appointment Daniel had"
    )
    (flag,) = [f for f in value_flags(record) if f.field == "reason"]
    assert flag.code == "fragment" and "stops mid-sentence" in flag.message
