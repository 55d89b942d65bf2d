"""The aligner and the train script on real parts: labels become spans, a small model trains and predicts."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from speakcase.pipelines.extract.align import align_case, map_span, tag_doc, to_variant, variant_with_map
from speakcase.pipelines.extract.scoring import asr_variant, field_match

TINY = Path(__file__).parent / "extract_data" / "tiny"
CASES = [json.loads(p.read_text()) for p in sorted(TINY.glob("*.json"))]


@pytest.mark.parametrize(
    "text",
    ["Mum's boyfriend -- Deano -- rang.", "  Spaces,  commas;  and  CAPS!  ", "e-mail at 3.15 p.m.", ""],
)
def test_variant_map_gives_asr_variant_and_points_back(text: str) -> None:
    variant, mapping = variant_with_map(text)
    assert variant == asr_variant(text)
    for j, i in enumerate(mapping):
        assert variant[j] == " " or variant[j] == text[i].lower()


def test_aligner_places_every_label_of_a_memo() -> None:
    case = CASES[0]
    aligned, stats = align_case(case["text"], case["expected"]["records"])
    assert not stats.missed
    labels = {label: aligned.text[s:e] for s, e, label in aligned.long}
    assert labels["INFO_shared"] == "Leo has bruises on his arm"
    assert labels["REASON"] == "so the police can check on Leo today"
    short = {(aligned.text[s:e], label) for s, e, label in aligned.short}
    assert ("Dana Shaw", "CP_NAME") in short and ("PC", "CP_ROLE") in short
    assert ("Leo Hart", "SUBJ") in short and ("mum", "GIVEN") in short
    assert aligned.regions[0][2]["consent.status"] == "not_sought"


def test_aligner_reports_a_label_it_cannot_place() -> None:
    case = CASES[1]
    record = dict(case["expected"]["records"][0], information="words the memo never says")
    _, stats = align_case(case["text"], [record])
    assert stats.missed["information"] == 1


def test_spans_carry_over_to_the_recogniser_form() -> None:
    import spacy

    case = CASES[0]
    aligned, _ = align_case(case["text"], case["expected"]["records"])
    variant = to_variant(aligned)
    labels = {label: variant.text[s:e] for s, e, label in variant.long}
    assert labels["INFO_shared"] == "leo has bruises on his arm"
    doc = tag_doc(spacy.blank("en"), variant)
    assert [t.tag_ for t in doc if t.text == "bruises"] == ["I-INFO_shared"]
    assert {e.text for e in doc.ents if e.label_ == "CP_NAME"} == {"dana shaw"}
    assert map_span(variant_with_map("a, b")[1], 1, 2) is None


def test_train_script_trains_a_small_model_that_predicts_its_examples(tmp_path: Path) -> None:
    from speakcase.pipelines.extract.learned import load_learned
    from speakcase.pipelines.extract.train import train

    report = train({"train": [TINY], "tune": [TINY]}, tmp_path, steps=120, vectors=False)
    assert report["train_memos"] == 3 and report["labels_not_placed"] == {}
    assert (tmp_path / "spans" / "tagger" / "model").is_file()
    extractor = load_learned(str(tmp_path))
    case = CASES[0]
    records = extractor.extract_json(case["text"], datetime.fromisoformat(case["recorded_at"]))["records"]
    assert len(records) == 1
    expected = case["expected"]["records"][0]
    for name in ("kind", "information", "counterpart.name", "subject"):
        assert field_match(name, expected, records[0]), name
