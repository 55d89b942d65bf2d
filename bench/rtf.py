"""Real-time factor of the SpeakCase transcription path beside bare faster-whisper, same file, same run.

    .venv/bin/python bench/rtf.py [--models tiny.en base] [--repeats 3] [--bias] [--dev DIR]

The two are timed alternately on a cached ~60 s synthetic memo with identical decoding settings
(TranscribeOptions.whisper_kwargs) and thread counts; the medians and their ratio are printed and
appended to bench/out/rtf.jsonl. Target: SpeakCase within 5% of bare faster-whisper.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from synth import synthesize  # noqa: E402

from speakcase.pipelines import glossary  # noqa: E402
from speakcase.pipelines.audio import load_audio  # noqa: E402
from speakcase.pipelines.transcribe import TranscribeOptions, Transcriber  # noqa: E402

OUT = ROOT / "bench" / "out"
DEV = "../shared/eval/dev"
"""The dev memos whose text is spoken, relative to the repository (--dev)."""


def repo_path(value: str) -> Path:
    """A path given relative to the repository root (an absolute one as it is)."""
    return ROOT / value


def memo_60s(dev: Path, voice: str = "flite-slt") -> Path:
    """About a minute of synthetic memo: dev memos spoken one after another until 60 s."""
    path = OUT / "audio" / f"memo60_{voice}.wav"
    if path.exists():
        return path
    texts = [json.loads(f.read_text(encoding="utf-8"))["text"] for f in sorted(dev.glob("*.json"))]
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
    kwargs = options.whisper_kwargs(glossary.bias_prompt(glossary.glossary_terms()))
    duration = len(load_audio(path)) / 16000

    def run_bare() -> None:
        segments, _ = bare.transcribe(str(path), **kwargs)
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
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--bias", action="store_true", help="time with glossary biasing on")
    parser.add_argument("--dev", type=repo_path, default=repo_path(DEV), help=f"dev memos (default {DEV})")
    args = parser.parse_args()
    path = memo_60s(args.dev)
    options = TranscribeOptions(bias=True) if args.bias else TranscribeOptions()
    for model in args.models:
        result = measure(model, path, args.repeats, options, args.threads)
        with open(OUT / "rtf.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
