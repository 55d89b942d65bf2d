"""`speakcase extract` and `speakcase evaluate`: records from memo text, and scores on labelled cases."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from speakcase.cli import main
from speakcase.cli.common import parse_recorded_at, print_json
from speakcase.errors import SpeakCaseError


def _read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.exists():
        raise SpeakCaseError(f"The file {source} does not exist.")
    if path.is_dir():
        raise SpeakCaseError(f"{source} is a directory, not a text file.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SpeakCaseError(f"The file {source} is not UTF-8 text.") from exc
    except OSError as exc:
        raise SpeakCaseError(f"The file {source} cannot be read ({exc.strerror}).") from exc


def _render(records: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not records:
        console.print("No information-sharing events found.")
        return
    for number, record in enumerate(records, 1):
        table = Table(title=f"Record {number}: {record.kind}", show_header=False, title_justify="left")
        table.add_column("field", style="bold")
        table.add_column("value")
        for name, value in _flatten(record.to_dict()).items():
            table.add_row(name, "" if value in (None, "", []) else str(value))
        console.print(table)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = ", ".join(map(str, value)) if isinstance(value, list) else value
    return flat


@main.command()
@click.argument("text_file", required=False, default="-", metavar="[TEXT_FILE or -]")
@click.option(
    "--recorded-at", "recorded_at", metavar="ISO", help="When the memo was recorded (default: now)."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"records": [...]} as JSON.')
@click.option("--evidence", is_flag=True, help="With --json, add each record's evidence spans.")
def extract(text_file: str, recorded_at: str | None, as_json: bool, evidence: bool) -> None:
    """Extract information-sharing records from a memo's text (stdin when no file)."""
    from speakcase.pipelines.extract import load_extractor

    text = _read_text(text_file)
    when = parse_recorded_at(recorded_at) or datetime.now().replace(second=0, microsecond=0)
    extractor = load_extractor()
    if as_json:
        print_json(extractor.extract_json(text, when, with_evidence=evidence))
        return
    _render(extractor.extract(text, when))


def _load_case(path: Path) -> dict[str, Any]:
    try:
        case = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SpeakCaseError(f"The case file {path} is not readable JSON.") from exc
    if not isinstance(case, dict) or not isinstance(case.get("text"), str):
        raise SpeakCaseError(f"The case file {path} has no text.")
    return case


@main.command()
@click.argument("cases_dir", type=click.Path(path_type=Path))
@click.option("--predictions", "out_dir", type=click.Path(path_type=Path), help="Write predictions here.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--variant", type=click.Choice(["asr"]), help="asr: lower-case and strip punctuation first.")
def evaluate(cases_dir: Path, out_dir: Path | None, as_json: bool, variant: str | None) -> None:
    """Run extraction on every case in CASES_DIR and score it where cases carry expected records."""
    from speakcase.pipelines.extract import load_extractor
    from speakcase.pipelines.extract.scoring import Score, asr_variant

    if not cases_dir.is_dir():
        raise SpeakCaseError(f"The cases directory {cases_dir} does not exist.")
    paths = sorted(cases_dir.glob("*.json"))
    if not paths:
        raise SpeakCaseError(f"There are no *.json case files in {cases_dir}.")
    if out_dir is not None:
        from speakcase.files import make_private_dir

        make_private_dir(out_dir)
    extractor, score, labelled, started = load_extractor(), Score(), 0, time.perf_counter()
    for path in paths:
        case = _load_case(path)
        text = asr_variant(case["text"]) if variant == "asr" else case["text"]
        recorded = parse_recorded_at(case.get("recorded_at")) or datetime.now()
        predicted = extractor.extract_json(text, recorded)["records"]
        if out_dir is not None:
            from speakcase.files import write_private

            document = json.dumps({"records": predicted}, indent=2, ensure_ascii=False)
            write_private(out_dir / path.name, document.encode())
        if isinstance(case.get("expected"), dict):
            labelled += 1
            score.add_case(case["expected"].get("records") or [], predicted)
    summary = {"cases": len(paths), "labelled": labelled, "seconds": round(time.perf_counter() - started, 2)}
    if labelled:
        summary.update(score.summary())
    if as_json:
        print_json(summary)
        return
    _print_scores(summary)


def _print_scores(summary: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"{summary['cases']} cases, {summary['labelled']} labelled, {summary['seconds']} s")
    if not summary["labelled"]:
        return
    table = Table("field", "score")
    for name, value in summary["fields"].items():
        table.add_row(name, f"{value:.3f}")
    console.print(table)
    console.print(f"extra records: {summary['extra_records']}")
    console.print(f"fields with a non-empty expected value: {summary['filled_fields']:.3f}")
    console.print(f"score {summary['score']:.4f} ({summary['points']}/{summary['possible']})")


@main.command("train")
@click.option(
    "--splits",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("corpus/splits.json"),
    show_default=True,
    help="The corpus splits file (train and tune sets by writer).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to install the trained model (default: inside the package).",
)
@click.option("--steps", type=int, default=None, help="Training steps per pipeline (default: the config's).")
def train_command(splits: Path, out: Path | None, steps: int | None) -> None:
    """Train the extractor's spaCy pipelines from the labelled corpus (needs the `train` extra)."""
    try:
        from speakcase.pipelines.extract.train import MODEL_DIR, train
    except ImportError as exc:  # pragma: no cover - the extra is missing
        raise SpeakCaseError("Training needs the train extra: pip install 'speakcase[train]'.") from exc
    if not splits.is_file():
        raise SpeakCaseError(f"The splits file {splits} does not exist.")
    report = train(splits, out or MODEL_DIR, steps=steps)
    print_json(report)
