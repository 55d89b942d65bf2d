"""Calibrate per-field confidence on labelled sets: `python -m speakcase.pipelines.extract.calibrate`.

For every field of every predicted record (paired in order with the expected records, as the scorer
pairs them; an extra predicted record is wrong on every field), the raw confidence and whether the value
is right are collected. Raw confidences are cut into bins of about equal size, and each bin maps to the
accuracy measured in it (made non-decreasing), so a calibrated 0.8 means about 80% right on the sets it
was fitted on. `report` gives the accuracy of fields at calibrated confidence >= 0.8 and below it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from speakcase.pipelines.extract.scoring import FIELDS, asr_variant, field_match

BINS = 4
THRESHOLD = 0.8


def observations(extractor: Any, cases: list[dict[str, Any]], variants: bool = True) -> dict[str, list]:
    """Per field, (confidence, right) for every predicted record's field."""
    seen: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for case in cases:
        expected = case["expected"].get("records") or []
        recorded = datetime.fromisoformat(case["recorded_at"])
        for text in [case["text"], asr_variant(case["text"])] if variants else [case["text"]]:
            predicted = extractor.extract_json(text, recorded, with_evidence=True)["records"]
            for i, record in enumerate(predicted):
                for name in FIELDS:
                    confidence = record["evidence"][name]["confidence"]
                    right = i < len(expected) and field_match(name, expected[i], record)
                    seen[name].append((confidence, right))
    return seen


def fit(seen: dict[str, list[tuple[float, bool]]]) -> dict[str, list[list[float]]]:
    """Per field, bins [upper raw confidence, accuracy] with accuracy non-decreasing."""
    table: dict[str, list[list[float]]] = {}
    for name, pairs in seen.items():
        pairs = sorted(pairs)
        if len(pairs) < BINS * 5:
            continue
        size = len(pairs) / BINS
        bins: list[list[float]] = []  # [upper raw confidence, right, count]
        for b in range(BINS):
            chunk = pairs[round(b * size) : round((b + 1) * size)]
            if not chunk:
                continue
            if bins and bins[-1][0] >= chunk[0][0]:  # a raw value split over two bins: pool them
                bins[-1] = [chunk[-1][0], bins[-1][1] + sum(r for _, r in chunk), bins[-1][2] + len(chunk)]
            else:
                bins.append([chunk[-1][0], sum(r for _, r in chunk), len(chunk)])
        pooled: list[list[float]] = []
        for upper, right, count in bins:  # pool adjacent violators: accuracy non-decreasing
            pooled.append([upper, right, count])
            while len(pooled) > 1 and pooled[-2][1] / pooled[-2][2] > pooled[-1][1] / pooled[-1][2]:
                last = pooled.pop()
                pooled[-1] = [last[0], pooled[-1][1] + last[1], pooled[-1][2] + last[2]]
        pooled[-1][0] = 1.0
        table[name] = [[round(u, 4), round(r / n, 4)] for u, r, n in pooled]
    return table


def report(seen: dict[str, list[tuple[float, bool]]]) -> dict[str, Any]:
    """Accuracy of fields at confidence >= 0.8 and below it, overall and per field."""

    def part(pairs: list[tuple[float, bool]]) -> dict[str, Any]:
        high = [r for c, r in pairs if c >= THRESHOLD]
        low = [r for c, r in pairs if c < THRESHOLD]
        return {
            "high_n": len(high),
            "high_accuracy": round(sum(high) / len(high), 3) if high else None,
            "low_n": len(low),
            "low_accuracy": round(sum(low) / len(low), 3) if low else None,
        }

    every = [p for pairs in seen.values() for p in pairs]
    return {"all": part(every), "fields": {name: part(pairs) for name, pairs in sorted(seen.items())}}


def main(argv: list[str] | None = None) -> int:
    from speakcase.pipelines.extract.learned import MODEL_DIR, load_learned
    from speakcase.pipelines.extract.train import load_cases, read_splits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", type=Path, default=Path("corpus/splits.json"))
    parser.add_argument("--model", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--report-on", type=Path, nargs="*", default=[], help="sets to report on after fitting"
    )
    args = parser.parse_args(argv)
    tune = [c for folder in read_splits(args.splits)["tune"] for c in load_cases(folder)]
    (args.model / "calibration.json").unlink(missing_ok=True)
    load_learned.cache_clear()
    raw = load_learned(str(args.model))
    table = fit(observations(raw, tune))
    (args.model / "calibration.json").write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    load_learned.cache_clear()
    calibrated = load_learned(str(args.model))
    out = {"fitted_on": "tune", "tune": report(observations(calibrated, tune))}
    for folder in args.report_on:
        out[str(folder)] = report(observations(calibrated, load_cases(folder)))
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
