"""`speakcase extract` and `speakcase evaluate` on the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from speakcase.cli import main
from speakcase.models.records import SharingRecord

MEMO = (
    "Note for Evie Stone, aged six. At ten past two this afternoon I rang Ashgrove Surgery and spoke to "
    "Dr Paul Lamb, the GP. I shared that Evie has lost weight, so that he can review her. Mum agreed."
)


def test_extract_json_prints_exactly_the_records(tmp_path: Path) -> None:
    memo = tmp_path / "memo.txt"
    memo.write_text(MEMO)
    result = CliRunner().invoke(main, ["extract", str(memo), "--recorded-at", "2026-03-11T16:40", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["records"]
    (record,) = [SharingRecord.from_dict(r) for r in data["records"]]
    assert (record.occurred_at, record.counterpart.agency, record.consent.status) == (
        "2026-03-11T14:10",
        "health",
        "obtained",
    )
    assert "evidence" not in data["records"][0]


def test_extract_reads_stdin_and_adds_evidence_only_when_asked() -> None:
    args = ["extract", "--recorded-at", "2026-03-11T16:40", "--json", "--evidence"]
    result = CliRunner().invoke(main, args, input=MEMO)
    assert result.exit_code == 0, result.output
    assert "evidence" in json.loads(result.output)["records"][0]


def test_extract_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_evaluate_scores_cases_and_writes_predictions(tmp_path: Path) -> None:
    cases, out = tmp_path / "cases", tmp_path / "out"
    cases.mkdir()
    expected = {"kind": "shared", "occurred_at": "2026-03-11T14:10", "subject": "Evie Stone"}
    case = {"id": "c1", "recorded_at": "2026-03-11T16:40", "text": MEMO, "expected": {"records": [expected]}}
    (cases / "c1.json").write_text(json.dumps(case))
    result = CliRunner().invoke(
        main, ["evaluate", str(cases), "--predictions", str(out), "--json", "--variant", "asr"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["labelled"] == 1 and summary["fields"]["kind"] == 1.0
    assert json.loads((out / "c1.json").read_text())["records"][0]["kind"] == "shared"
