"""Decode time of SpeakCase beside a bare faster-whisper call, same model, same file, same run; and a
60 s memo to a stored draft.

    .venv/bin/python bench/rtf.py [--models tiny.en base] [--repeats 3] [--bias] [--set bench/heldout3]

On a cached ~60 s synthetic memo (heldout memo texts, repo-relative --set, spoken one after another),
SpeakCase's Transcriber (guard and corrections included) and the bare call a new user would write,
`WhisperModel(...).transcribe(path, beam_size=5, language="en", vad_filter=True)`, are timed
alternately with the same thread count; medians and their ratio (target at most 1.25) are printed.
Then `speakcase process` on the memo into a fresh SQLite store is timed as a child process (model
and extractor loading included): the practitioner's wait for a draft. Rows go to bench/out/rtf.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from synth import synthesize  # noqa: E402

from speakcase.pipelines.audio import load_audio  # noqa: E402
from speakcase.pipelines.transcribe import TranscribeOptions, Transcriber  # noqa: E402

OUT = ROOT / "bench" / "out"


def memo_60s(memo_set: str = "bench/heldout3", voice: str = "flite-slt") -> Path:
    """About a minute of synthetic memo: the set's memos spoken one after another until 60 s."""
    path = OUT / "audio" / f"memo60_{Path(memo_set).name}_{voice}.wav"
    if path.exists():
        return path
    texts = [
        json.loads(f.read_text(encoding="utf-8"))["text"] for f in sorted((ROOT / memo_set).glob("*.json"))
    ]
    text = ""
    for piece in texts:
        text = f"{text} {piece}".strip()
        if len(text.split()) >= 160:  # flite speaks about 2.7 words a second
            break
    return synthesize(text, voice, path)


def time_once(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(model: str, path: Path, repeats: int, options: TranscribeOptions, threads: int | None) -> dict:
    from faster_whisper import WhisperModel

    ours = Transcriber(model, cpu_threads=threads, options=options)
    bare = WhisperModel(str(ours.model_dir), device="cpu", compute_type="int8", cpu_threads=ours.cpu_threads)
    duration = len(load_audio(path)) / 16000

    def run_bare() -> None:
        segments, _ = bare.transcribe(str(path), beam_size=5, language="en", vad_filter=True)
        list(segments)

    def run_ours() -> None:
        ours.transcribe(path)

    run_bare()  # warm both before timing
    run_ours()
    bare_times, our_times = [], []
    for _ in range(repeats):
        bare_times.append(time_once(run_bare))
        our_times.append(time_once(run_ours))
    bare_s, ours_s = statistics.median(bare_times), statistics.median(our_times)
    return {
        "model": model,
        "audio_seconds": round(duration, 1),
        "threads": ours.cpu_threads,
        "bias": options.bias,
        "rtf_speakcase": round(ours_s / duration, 4),
        "rtf_bare": round(bare_s / duration, 4),
        "ratio": round(ours_s / bare_s, 3),
        "times_speakcase": [round(t, 2) for t in our_times],
        "times_bare": [round(t, 2) for t in bare_times],
        "draft_s": draft_seconds(model, path),
    }


def draft_seconds(model: str, path: Path) -> float:
    """Wall seconds of `speakcase process` on the memo into a fresh store: loading, decoding, extraction."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    speakcase = [sys.executable, "-m", "speakcase"]
    with tempfile.TemporaryDirectory() as tmp:
        db = ["--db", f"sqlite:///{tmp}/d.db"]
        subprocess.run([*speakcase, "init", *db], check=True, capture_output=True, env=env)
        started = time.perf_counter()
        process = [*speakcase, "process", str(path), "--model", model, *db]
        subprocess.run(process, check=True, capture_output=True, env=env)
        return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--bias", action="store_true", help="time with glossary biasing on")
    parser.add_argument("--set", default="bench/heldout3", help="memo set the 60 s memo is read from")
    args = parser.parse_args()
    path = memo_60s(args.set)
    options = TranscribeOptions(bias=True) if args.bias else TranscribeOptions()
    for model in args.models:
        result = measure(model, path, args.repeats, options, args.threads)
        with open(OUT / "rtf.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
