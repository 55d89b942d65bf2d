"""Extraction accuracy, OLD extractor (a git revision) beside NEW (this working tree), in one run.

    .venv/bin/python bench/accuracy.py [SET_DIR ...] [--old-rev cd02fee] [--asr-root corpus/asr]
        [--variants written asr whisper] [--write-baseline] [--baseline bench/accuracy_baseline.json]
        [--fresh] [--json OUT] [--loc]

For every set (default: the repo's labelled sets and ../shared/eval/dev) and every variant

- `written`: the cases as written;
- `asr`: lower-cased without punctuation (`speakcase evaluate --variant asr`, scoring.asr_variant);
- `whisper`: real Whisper transcripts with labels aligned to them, from <asr-root>/<set name>/<model>/
  (written by bench/asr_corpus.py), where they exist;

it prints overall score, non-empty-field score and the lowest field (name and score) for OLD and
NEW, and NEW's change against the committed baseline. OLD is `git archive <old-rev>` exported to a
temporary directory and run as `speakcase evaluate` in a subprocess with PYTHONPATH there; NEW is the
same command with PYTHONPATH at this tree. Both are scored by the official score.py (--scorer, imported
by path); the project's scoring module is checked to agree on every run. Sets are marked train / tune /
test from corpus/splits.json when it exists.

Then, from NEW's per-field confidences (extract_json with evidence), the accuracy of fields with
confidence >= 0.8 and below. `--loc` adds lines of Python and of pattern data under
speakcase/pipelines/extract at the old revision and now. OLD predictions are cached per revision
under bench/out/accuracy/ (`--fresh` recomputes them).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCORER = "../shared/eval/score.py"  # relative to the repository, as the sets are
OUT = ROOT / "bench" / "out" / "accuracy"


def default_sets() -> list[str]:
    """The repo's labelled sets (tests/heldout, bench/heldout*, corpus/written/*) and ../shared/eval/dev."""
    bench = sorted(ROOT.glob("bench/heldout*"), key=lambda p: int(p.name.removeprefix("heldout") or 0))
    written = sorted((ROOT / "corpus" / "written").glob("*"))
    found = [ROOT / "tests" / "heldout", *bench, *written]
    return [str(p.relative_to(ROOT)) for p in found if p.is_dir()] + ["../shared/eval/dev"]


DEFAULT_OLD = "cd02fee"
VARIANTS = ("written", "asr", "whisper")
THRESHOLD = 0.8
EXTRACT_DIR = "speakcase/pipelines/extract"

# Runs inside the tree under test: its own `speakcase evaluate` for each job (one process, so the
# spaCy pipeline loads once), and for jobs that ask, extract_json with evidence for confidences.
RUNNER = r"""
import contextlib, functools, io, json, sys
from datetime import datetime
from pathlib import Path
import speakcase.pipelines.extract as extract_pkg
extract_pkg.load_extractor = functools.cache(extract_pkg.load_extractor)
from speakcase.cli import main
for job in json.loads(Path(sys.argv[1]).read_text()):
    args = ["evaluate", job["cases"], "--predictions", job["out"], "--json"]
    if job["variant"] == "asr":
        args += ["--variant", "asr"]
    with contextlib.redirect_stdout(io.StringIO()):
        main(args, standalone_mode=False)
    if job.get("evidence"):
        from speakcase.pipelines.extract.scoring import asr_variant
        extractor, out = extract_pkg.load_extractor(), Path(job["evidence"])
        out.mkdir(parents=True, exist_ok=True)
        for path in sorted(Path(job["cases"]).glob("*.json")):
            case = json.loads(path.read_text(encoding="utf-8"))
            text = asr_variant(case["text"]) if job["variant"] == "asr" else case["text"]
            when = datetime.fromisoformat(case["recorded_at"])
            result = extractor.extract_json(text, when, with_evidence=True)
            (out / path.name).write_text(json.dumps(result), encoding="utf-8")
    print("done", job["out"], file=sys.stderr, flush=True)
"""


def load_scorer(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("official_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def repo_path(name: str) -> Path:
    """A path relative to the repository (from a worktree /work/wt/X, ../shared is /work/shared)."""
    path = (ROOT / name).resolve()
    if not path.exists() and name.startswith("../shared/"):
        path = ROOT.parent.parent / "shared" / name.removeprefix("../shared/")
    return path


def load_splits(rev: str | None = None) -> dict[str, str]:
    """Set name -> split, from corpus/splits.json ({"split": [set...]}, {"set": "split"} or {"sets": ...})."""
    path = ROOT / "corpus" / "splits.json"
    if rev is not None:  # the splits of the revision measured as NEW
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:corpus/splits.json"], capture_output=True, text=True
        )
        text = shown.stdout if shown.returncode == 0 else "{}"
    elif path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        return {}
    raw = json.loads(text)
    raw = raw.get("sets", raw) if isinstance(raw, dict) else {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, list) and key not in ("train", "tune", "test"):
            continue  # e.g. train_asr: transcripts of train sets, listed under the set's own name too
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    out[Path(item).name] = key
        elif isinstance(value, str) and value in ("train", "tune", "test"):
            out[Path(key).name] = value
    return out


@contextlib.contextmanager
def exported(rev: str) -> Iterator[Path]:
    """The tree at `rev` in a temporary directory (git archive)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    with tempfile.TemporaryDirectory(prefix="accuracy-old-") as tmp:
        with tarfile.open(fileobj=BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


def run_tree(tree: Path, jobs: list[dict[str, Any]], work: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """Start the runner in `tree` on `jobs` (niced); returns the process and its stderr log."""
    work.mkdir(parents=True, exist_ok=True)
    jobs_file, log = work / "jobs.json", work / "stderr.log"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            ["nice", "-n", "10", sys.executable, "-c", RUNNER, str(jobs_file)],
            cwd=tree,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    return proc, log


def case_dir(
    set_path: Path, variant: str, asr_root: Path, model: str, only: str | None, tmp: Path
) -> Path | None:
    """The cases a row scores: the set itself, or its transcripts (those whose name holds `only`)."""
    if variant != "whisper":
        return set_path
    found = asr_root / set_path.name / model
    files = sorted(found.glob("*.json")) if found.is_dir() else []
    if only:
        files = [f for f in files if only in f.name]
    if not files:
        return None
    if not only:
        return found
    picked = tmp / "whisper" / set_path.name
    picked.mkdir(parents=True, exist_ok=True)
    for f in files:
        (picked / f.name).symlink_to(f)
    return picked


def voice_of(case_name: str) -> str:
    """The voice-speed-degradation tag of a transcript case ("X__flite-slt-normal-clean.json")."""
    return case_name.rsplit("__", 1)[1].removesuffix(".json") if "__" in case_name else "?"


def fingerprint(cases: Path) -> str:
    """A short hash of a case directory's place and files (names, sizes, times): the OLD cache key."""
    files = sorted(cases.glob("*.json"))
    stat = [(f.name, f.stat().st_size, int(f.stat().st_mtime)) for f in files]
    return hashlib.sha1(json.dumps([str(cases.resolve()), stat]).encode()).hexdigest()[:10]


def complete(out: Path, cases: Path) -> bool:
    return out.is_dir() and {p.name for p in out.glob("*.json")} >= {p.name for p in cases.glob("*.json")}


def lowest(fields: dict[str, float | None]) -> tuple[str, float]:
    name, value = min(((k, v) for k, v in fields.items() if v is not None), key=lambda kv: kv[1])
    return name, value


def confidence_buckets(scorer: Any, cases: Path, evidence: Path, buckets: dict[str, list[int]]) -> None:
    """Add each predicted field's (right?) to the >= THRESHOLD, < THRESHOLD or no-confidence bucket."""
    for path in sorted(cases.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))["expected"]["records"]
        pred_path = evidence / path.name
        predicted = json.loads(pred_path.read_text(encoding="utf-8"))["records"] if pred_path.exists() else []
        for i, exp in enumerate(expected):
            if i >= len(predicted):
                continue
            pred = predicted[i]
            confidences = {k: v.get("confidence") for k, v in (pred.get("evidence") or {}).items()}
            for field in scorer.FIELDS:
                ok = scorer.field_match(field, exp, pred)
                c = confidences.get(field)
                key = "none" if c is None else ("high" if c >= THRESHOLD else "low")
                buckets[key][0] += ok
                buckets[key][1] += 1


def loc_report(rev: str, new_rev: str | None = None) -> list[str]:
    """Lines of Python and of pattern data (.json/.jsonl, not a trained model's files) in the extractor."""

    def count(files: dict[str, str]) -> tuple[int, int, int, int, int]:
        py = [t for n, t in files.items() if n.endswith(".py")]
        data = [t for n, t in files.items() if n.endswith((".json", ".jsonl")) and "/model/" not in n]
        nonblank = lambda texts: sum(1 for t in texts for line in t.splitlines() if line.strip())  # noqa: E731
        return len(py), nonblank(py), len(data), nonblank(data), sum(len(t) for t in data)

    def at(revision: str) -> dict[str, str]:
        names = subprocess.run(
            ["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", revision, EXTRACT_DIR],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        return {
            n: subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{revision}:{n}"],
                capture_output=True,
                text=True,
                errors="replace",
            ).stdout
            for n in names
            if n.endswith((".py", ".json", ".jsonl"))
        }

    then = at(rev)
    now = (
        at(new_rev)
        if new_rev
        else {
            str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for p in (ROOT / EXTRACT_DIR).rglob("*")
            if p.is_file() and p.suffix in (".py", ".json", ".jsonl") and "__pycache__" not in p.parts
        }
    )
    lines = [
        "| extractor | Python files | Python lines (non-blank) | data files | pattern-data lines (non-blank) "
        "| pattern-data characters |",
        "|---|---|---|---|---|---|",
    ]
    for label, files in ((f"old {rev}", then), (f"new {new_rev or '(working tree)'}", now)):
        a, b, c, d, e = count(files)
        lines.append(f"| {label} | {a} | {b} | {c} | {d} | {e} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=None, help="default: the repo's labelled sets and dev")
    parser.add_argument("--old-rev", default=DEFAULT_OLD)
    parser.add_argument("--new-rev", default=None, help="NEW from this revision instead of the working tree")
    parser.add_argument("--asr-root", type=repo_path, default=ROOT / "corpus" / "asr")
    parser.add_argument("--model", default="tiny.en", help="whose transcripts the whisper column scores")
    parser.add_argument(
        "--whisper-only", default=None, help="only transcripts whose name holds this (flite-slt)"
    )
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--baseline", type=Path, default=ROOT / "bench" / "accuracy_baseline.json")
    parser.add_argument("--write-baseline", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="recompute the cached OLD predictions")
    parser.add_argument("--no-old", action="store_true", help="NEW only")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--loc", action="store_true")
    parser.add_argument("--scorer", type=repo_path, default=repo_path(SCORER), help=f"default {SCORER}")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.scorer)
    from speakcase.pipelines.extract.scoring import Score

    splits = load_splits(args.new_rev)
    old_sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.old_rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    rows: list[dict[str, Any]] = []
    picked_tmp = Path(tempfile.mkdtemp(prefix="accuracy-picked-"))
    for name in args.sets or default_sets():
        set_path = repo_path(name)
        if not set_path.is_dir():
            print(f"skipped {name}: not a directory", file=sys.stderr)
            continue
        for variant in args.variants:
            cases = case_dir(set_path, variant, args.asr_root, args.model, args.whisper_only, picked_tmp)
            if cases is not None:
                rows.append({"set": name, "name": set_path.name, "variant": variant, "cases": cases})

    with tempfile.TemporaryDirectory(prefix="accuracy-new-") as new_tmp:
        new_jobs, old_jobs = [], []
        for i, row in enumerate(rows):
            row["new_out"] = Path(new_tmp) / f"{i}"
            row["new_evidence"] = Path(new_tmp) / f"{i}-evidence"
            new_jobs.append(
                {
                    "cases": str(row["cases"]),
                    "out": str(row["new_out"]),
                    "variant": row["variant"],
                    "evidence": str(row["new_evidence"]),
                }
            )
            row["old_out"] = OUT / old_sha / f"{row['name']}-{fingerprint(row['cases'])}" / row["variant"]
            if not args.no_old and (args.fresh or not complete(row["old_out"], row["cases"])):
                old_jobs.append(
                    {"cases": str(row["cases"]), "out": str(row["old_out"]), "variant": row["variant"]}
                )
        with contextlib.ExitStack() as stack:
            new_tree = stack.enter_context(exported(args.new_rev)) if args.new_rev else ROOT
            procs = [("new", *run_tree(new_tree, new_jobs, Path(new_tmp) / "run-new"))]
            if old_jobs:
                old_tree = stack.enter_context(exported(args.old_rev))
                procs.append(("old", *run_tree(old_tree, old_jobs, Path(new_tmp) / "run-old")))
            for label, proc, log in procs:
                if proc.wait():
                    sys.stderr.write(log.read_text(encoding="utf-8", errors="replace")[-3000:])
                    raise SystemExit(f"the {label} extractor failed")

        buckets: dict[str, list[int]] = {"high": [0, 0], "low": [0, 0], "none": [0, 0]}
        disagreements = 0
        voices: dict[str, dict[str, list[int]]] = {}  # tag -> side -> [points, possible, cases]
        for row in rows:
            for side in ("new", "old"):
                out = row[f"{side}_out"]
                if side == "old" and args.no_old:
                    row["old"] = None
                    continue
                result = scorer.score(str(row["cases"]), str(out))
                row[side] = {k: result[k] for k in ("score", "filled_fields", "fields", "points", "possible")}
                if row["variant"] == "whisper":
                    for case in result["cases"]:
                        cell = voices.setdefault(voice_of(case["id"] + ".json"), {}).setdefault(
                            side, [0, 0, 0]
                        )
                        cell[0] += case["points"]
                        cell[1] += case["possible"]
                        cell[2] += 1
                own = Score()
                for path in sorted(row["cases"].glob("*.json")):
                    exp = json.loads(path.read_text(encoding="utf-8"))["expected"]["records"]
                    pred_path = out / path.name
                    pred = (
                        json.loads(pred_path.read_text(encoding="utf-8"))["records"]
                        if pred_path.exists()
                        else []
                    )
                    own.add_case(exp, pred)
                if own.summary()["score"] != result["score"]:
                    disagreements += 1
            confidence_buckets(scorer, row["cases"], row["new_evidence"], buckets)

    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline.exists() else {}
    print_table(rows, splits, baseline, old_sha)
    if voices:
        print()
        print("Whisper rows by voice, speed and degradation (pooled points):")
        print("| voice-speed-degradation | cases | OLD | NEW |")
        print("|---|---|---|---|")
        for tag, sides in sorted(voices.items()):
            cells = {k: f"{w / p:.3f}" if p else "-" for k, (w, p, _) in sides.items()}
            print(f"| {tag} | {sides['new'][2]} | {cells.get('old', '-')} | {cells.get('new', '-')} |")
    shutil.rmtree(picked_tmp, ignore_errors=True)
    print()
    print(f"NEW field confidence (threshold {THRESHOLD}), all rows pooled:")
    print("| confidence | fields | accuracy |")
    print("|---|---|---|")
    for key, label in (
        ("high", f">= {THRESHOLD}"),
        ("low", f"< {THRESHOLD}"),
        ("none", "no confidence given"),
    ):
        right, n = buckets[key]
        print(f"| {label} | {n} | {right / n:.3f} |" if n else f"| {label} | 0 | - |")
    print()
    print(
        "official score.py and speakcase.pipelines.extract.scoring agree on every row"
        if not disagreements
        else f"WARNING: the project's scoring module disagrees with score.py on {disagreements} row(s)"
    )
    if args.loc:
        print()
        print("\n".join(loc_report(args.old_rev, args.new_rev)))
    results = {
        f"{r['set']}|{r['variant']}": {
            "old": r["old"] and {k: r["old"][k] for k in ("score", "filled_fields")},
            "new": {k: r["new"][k] for k in ("score", "filled_fields")},
            "old_rev": old_sha,
        }
        for r in rows
    }
    if args.write_baseline:
        args.baseline.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nbaseline written to {args.baseline.relative_to(ROOT)}")
    if args.json:
        full = {**results, "_confidence": buckets}
        args.json.write_text(json.dumps(full, indent=1) + "\n", encoding="utf-8")
    return 0


def _fmt(side: dict[str, Any] | None) -> tuple[str, str, str]:
    if not side:
        return "-", "-", "-"
    field, value = lowest(side["fields"])
    filled = side["filled_fields"]
    return f"{side['score']:.3f}", "-" if filled is None else f"{filled:.3f}", f"{field} {value:.2f}"


def print_table(
    rows: list[dict[str, Any]], splits: dict[str, str], baseline: dict[str, Any], old: str
) -> None:
    print(
        f"| set | split | variant | cases | OLD {old} overall | NEW overall | NEW vs baseline | "
        "OLD non-empty | NEW non-empty | OLD lowest field | NEW lowest field |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    pooled: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        o, n = _fmt(row["old"]), _fmt(row["new"])
        base = baseline.get(f"{row['set']}|{row['variant']}", {}).get("new")
        delta = f"{row['new']['score'] - base['score']:+.3f}" if base else "-"
        count = len(list(row["cases"].glob("*.json")))
        split = splits.get(row["name"], "")
        print(
            f"| {row['set']} | {split} | {row['variant']} | {count} | {o[0]} | {n[0]} | {delta} "
            f"| {o[1]} | {n[1]} | {o[2]} | {n[2]} |"
        )
        for side in ("old", "new"):
            if row[side]:
                cell = pooled.setdefault(row["variant"], {}).setdefault(side, [0, 0])
                cell[0] += row[side]["points"]
                cell[1] += row[side]["possible"]
    for variant, sides in pooled.items():
        cells = {s: f"{w / p:.3f}" if p else "-" for s, (w, p) in sides.items()}
        print(
            f"| **all sets (pooled points)** | | {variant} | | {cells.get('old', '-')} "
            f"| {cells.get('new', '-')} | | | | | |"
        )


if __name__ == "__main__":
    raise SystemExit(main())
