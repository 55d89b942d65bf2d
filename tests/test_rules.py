"""The rule data tables (speakcase/pipelines/extract/rules/data) against the case tables in tests/rules_cases.

Each case runs on the text as written and, unless it says `"asr": false`, as a speech recogniser
gives it (lower case, no punctuation); a new wording is one data line plus one case line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from speakcase.pipelines.extract.rules import RuleError, Rules, load_rules
from speakcase.pipelines.extract.rules.loader import _text
from speakcase.pipelines.extract.scoring import asr_variant

CASES = Path(__file__).parent / "rules_cases"


def _cases(concept: str) -> list[Any]:
    params = []
    for number, line in enumerate((CASES / f"{concept}.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        case = json.loads(line)
        label = f"{concept}:{number}"
        params.append(pytest.param(case, False, id=label))
        if case.get("asr", True) and "text" in case:
            params.append(pytest.param(case, True, id=label + ":asr"))
    return params


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


TEXT_TABLES = {
    "legislation": lambda r, t: r.legislation(t),
    "protocols": lambda r, t: r.protocols(t),
    "lawful_basis": lambda r, t: r.lawful_bases(t),
    "consent_reasons": lambda r, t: r.consent_reasons(t),
    "advice": lambda r, t: r.advice(t),
}


@pytest.mark.parametrize(
    ("concept", "case", "asr"),
    [pytest.param(c, *p.values, id=p.id) for c in TEXT_TABLES for p in _cases(c)],
)
def test_text_tables(rules: Rules, concept: str, case: dict[str, Any], asr: bool) -> None:
    text = asr_variant(case["text"]) if asr else case["text"]
    assert sorted(TEXT_TABLES[concept](rules, text)) == sorted(case["expected"])


@pytest.mark.parametrize(
    ("case", "asr"), [p.values for p in _cases("times")], ids=[p.id for p in _cases("times")]
)
def test_times(rules: Rules, case: dict[str, Any], asr: bool) -> None:
    text = asr_variant(case["text"]) if asr else case["text"]
    assert rules.occurred_at(text, case["recorded_at"]) == case["expected"]


@pytest.mark.parametrize(
    ("case", "asr"), [p.values for p in _cases("agency")], ids=[p.id for p in _cases("agency")]
)
def test_agency(rules: Rules, case: dict[str, Any], asr: bool) -> None:
    assert rules.agency(case["organisation"], case["role"]) == case["expected"]
    if case["organisation"] or case["role"]:  # as a recogniser writes them
        org = asr_variant(case["organisation"]) if case["organisation"] else None
        role = asr_variant(case["role"]) if case["role"] else None
        assert rules.agency(org, role) == case["expected"]


def test_hits_name_the_rule_line(rules: Rules) -> None:
    [hit] = rules.hits("protocols", "sent to the MARAC today")
    assert (hit.text, hit.value) == ("MARAC", "MARAC")
    line = int(hit.rule.split(":")[1])
    assert json.loads(_text("protocols.jsonl").splitlines()[line - 1])["literal"] == "marac"


def test_spans_keep_doc_offsets(rules: Rules) -> None:
    import spacy

    doc = spacy.blank("en")("Intro. Then the MASH rang at ten past two.")
    span = doc[2:]
    [hit] = rules.hits("protocols", span)
    assert doc.text[hit.start : hit.end] == "MASH"
    [time] = rules.times(span, "2026-11-24T16:05")
    assert (doc.text[time.start : time.end], time.value) == ("at ten past two", "2026-11-24T14:10")


def test_gazetteer(rules: Rules) -> None:
    assert "stepdad" in rules.gazetteer("kin")
    assert rules.gazetteer("numbers")["forty"] == 40
    assert rules.gazetteer("roles")["health visitor"] == "health"
    with pytest.raises(KeyError):
        rules.gazetteer("nonsense")


def _with(name: str, extra_line: str) -> dict[str, str]:
    return {name: _text(name) + extra_line + "\n"}


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        (
            "protocols.jsonl",
            '{"literal": "mash hub", "category": "MASH", "colour": "red"}',
            "unknown key(s) colour",
        ),
        ("protocols.jsonl", '{"literal": "mash hub", "category": "MUSH"}', "unknown category 'MUSH'"),
        ("protocols.jsonl", '{"category": "MASH"}', "needs 'literal' or 'pattern'"),
        (
            "protocols.jsonl",
            '{"literal": "mash hub", "category": "MASH", "direction": "sideways"}',
            "unknown direction",
        ),
        (
            "lawful_basis.jsonl",
            '{"literal": "x", "category": "public_task", "scope": 3}',
            "only for context cue files",
        ),
        ("protocols.jsonl", '{"literal": "the mash", "category": "MASH"', "not valid JSON"),
        (
            "protocols.jsonl",
            '{"literal": "Marac", "category": "MARAC"}',
            "already a rule at protocols.jsonl:",
        ),
        (
            "times.jsonl",
            '{"literal": "x", "pattern": [{"LOWER": {"IN": ["@nope"]}}], "category": "CLOCK"}',
            "unknown lexicon '@nope'",
        ),
        (
            "times.jsonl",
            '{"literal": "x", "pattern": [{"LOWR": "x"}], "category": "CLOCK"}',
            "bad token pattern",
        ),
        (
            "times.jsonl",
            '{"literal": "x", "category": "NOT_WHEN", "direction": "forward", "allowed_types": ["SOON"]}',
            "unknown category 'SOON' in allowed_types",
        ),
        (
            "consent_reasons.jsonl",
            '{"literal": "x", "pattern": [{"LOWER": {"IN": ["can\'t"]}}], "category": "other"}',
            "several tokens to spaCy",
        ),
    ],
)
def test_bad_rule_files_name_file_and_line(name: str, line: str, message: str) -> None:
    number = len(_text(name).splitlines()) + 1
    with pytest.raises(RuleError) as err:
        Rules(_with(name, line))
    assert f"{name}:{number}" in str(err.value)
    assert message in str(err.value)


def test_bad_lexicon_is_named() -> None:
    lexicons = json.loads(_text("lexicons.json"))
    lexicons["colours"] = {"words": ["red"]}
    with pytest.raises(RuleError, match="unknown lexicon 'colours'"):
        Rules({"lexicons.json": json.dumps(lexicons)})


def test_coded_hits_say_where(rules: Rules) -> None:
    text = "I checked with my manager and then rang the MASH under section 47."
    [advice] = rules.advice_hits(text)
    assert (text[advice.start : advice.end], advice.value) == ("my manager", "manager")
    [protocol] = rules.protocol_hits(text)
    assert text[protocol.start : protocol.end] == "MASH"
    [act] = rules.legislation_hits(text)
    assert (text[act.start : act.end], act.value) == ("section 47", "Children Act 1989 s47")
