"""Issue 3 measures: extraction pipeline load time and throughput in memos per second.

    .venv/bin/python bench/extract.py [--cases DIR] [--rounds 5]

Loads the pipeline in a fresh process (the load figure includes importing spaCy), then extracts
every memo in the cases directory (default: the shared dev memos, else tests/extract_data) several
times, as written and lower-cased without punctuation. Printed and appended to bench/out/extract.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SHARED = "../shared/eval/dev"  # relative to the repository, as --cases is


def _memos(cases: Path) -> list[tuple[str, datetime]]:
    if cases.is_dir():
        loaded = [json.loads(p.read_text()) for p in sorted(cases.glob("*.json"))]
    else:
        loaded = json.loads((ROOT / "tests" / "extract_data" / "memos.json").read_text())
    return [(c["text"], datetime.fromisoformat(c["recorded_at"])) for c in loaded]


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=lambda p: ROOT / p, default=ROOT / SHARED)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from speakcase.pipelines.extract import load_extractor
    from speakcase.pipelines.extract.scoring import asr_variant

    extractor = load_extractor()
    load_s = time.perf_counter() - started
    memos = _memos(args.cases)
    figures = {"load_s": round(load_s, 3), "memos": len(memos), "rounds": args.rounds}
    for variant, transform in (("as_written", str), ("asr", asr_variant)):
        texts = [(transform(text), when) for text, when in memos]
        tick = time.perf_counter()
        for _ in range(args.rounds):
            for text, when in texts:
                extractor.extract(text, when)
        elapsed = time.perf_counter() - tick
        figures[f"{variant}_memos_per_s"] = round(len(texts) * args.rounds / elapsed, 1)
        figures[f"{variant}_ms_per_memo"] = round(1000 * elapsed / (len(texts) * args.rounds), 2)
    figures["at"] = datetime.now().isoformat(timespec="seconds")
    for name, value in figures.items():
        print(f"{name:28s} {value}")
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "extract.jsonl").open("a") as out:
        out.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
