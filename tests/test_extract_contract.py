"""The extraction contract on the learned extractor: schema, evidence, empty text, any text, load errors."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speakcase.models.records import FIELD_NAMES, SharingRecord

MEMOS = json.loads((Path(__file__).parent / "extract_data" / "memos.json").read_text())
RECORDED = datetime(2026, 3, 11, 16, 40)


@pytest.fixture(scope="module")
def learned() -> Any:
    """The learned extractor (SPEAKCASE_EXTRACTOR=learned), loaded once for the module."""
    from speakcase.pipelines.extract.learned import load_learned

    return load_learned()


def test_json_output_is_valid_records_with_evidence_for_every_field_inside_the_text(learned: Any) -> None:
    seen = 0
    for case in MEMOS[:10]:
        data = learned.extract_json(case["text"], RECORDED, with_evidence=True)
        assert list(data) == ["records"]
        seen += len(data["records"])
        for raw in data["records"]:
            record = SharingRecord.from_dict(raw)
            assert set(record.evidence) == set(FIELD_NAMES)
            assert record.information and record.information in case["text"]
            for evidence in record.evidence.values():
                assert 0 <= evidence.start <= evidence.end <= len(case["text"])
                assert 0.0 <= evidence.confidence <= 1.0
    assert seen >= 8


def test_free_text_fields_are_verbatim_spans_of_the_memo(learned: Any) -> None:
    for case in MEMOS[:10]:
        for record in learned.extract(case["text"], RECORDED):
            for name in ("information", "reason", "consent.explanation", "counterpart.organisation"):
                value, evidence = record.get(name), record.evidence[name]
                if value:
                    assert case["text"][evidence.start : evidence.end] == value, name


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_empty_text_gives_no_records(learned: Any, text: Any) -> None:
    assert learned.extract(text, RECORDED) == []
    if text is not None:
        assert learned.extract_json(text, RECORDED) == {"records": []}


def test_very_long_text_does_not_crash(learned: Any) -> None:
    memo = MEMOS[0]["text"] + " "
    assert learned.extract(memo * 400, RECORDED)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_any_text_is_safe_and_gives_valid_records(learned: Any, text: str) -> None:
    for record in learned.extract(text, RECORDED):
        record.validate()
        SharingRecord.from_dict(record.to_dict())


def test_time_grows_no_faster_than_the_text(learned: Any) -> None:
    """Text full of cue words, ten times longer, takes at most about ten times as long (no blow-up)."""

    def seconds(repeats: int) -> float:
        started = time.perf_counter()
        learned.extract("rang spoke to consent at ten mum, " * repeats, RECORDED)
        return time.perf_counter() - started

    short = min(seconds(300) for _ in range(2))
    assert seconds(3000) < 10 * short * 2.5 + 0.5


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    from speakcase.errors import ModelMissingError
    from speakcase.pipelines.extract.learned import load_learned

    with pytest.raises(ModelMissingError, match="speakcase train"):
        load_learned(str(tmp_path))
    (tmp_path / "spans").mkdir()
    (tmp_path / "record").mkdir()
    with pytest.raises(ModelMissingError, match="cannot be loaded"):
        load_learned(str(tmp_path))


def test_the_learned_extractor_is_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    from speakcase.pipelines.extract import component
    from speakcase.pipelines.extract.learned import LearnedExtractor

    monkeypatch.setenv(component.EXTRACTOR_ENV, "learned")
    component.load_extractor.cache_clear()
    try:
        assert isinstance(component.load_extractor(), LearnedExtractor)
    finally:
        component.load_extractor.cache_clear()
