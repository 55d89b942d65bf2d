"""Issue 5 measures: batch throughput for 1 and 2 workers against a bare faster-whisper loop.

    .venv/bin/python bench/batch.py [--rounds N] [--count N]

Synthesises (once, cached in bench/out/batch_memos/) 20 safeguarding memos of about 45 s, then,
in one run and interleaved round by round: a bare sequential faster-whisper loop over the files
with the same model and decoding settings as SpeakCase (the loop's time includes the model load,
as the batch's includes its start-up), and `BatchRunner` with --workers 1 and 2 on a fresh
database. Prints memos per minute, ratios to the bare loop, CPU seconds per memo (user + system, all
processes: a measure of work that a shared, busy machine disturbs less than wall time) and peak
RSS per worker, and appends
the figures to bench/out/batch.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
MEMOS = OUT / "batch_memos"
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

CHILDREN = ["Jordan Ellis", "Lily Carter", "Mason Reid", "Amira Khan", "Tyler Brooks", "Sophie Ward"]
CONTACTS = [
    "PC Mark Davies from Northshire Police",
    "Sarah Hughes, the health visitor",
    "Mrs Patel, the designated safeguarding lead at Oakfield Primary",
    "Doctor Evans, the family's GP",
    "Tom Fisher from the housing team",
    "Karen Lloyd, the probation officer",
]
WHEN = ["at twenty past ten this morning", "yesterday afternoon", "on Monday at two o'clock", "this morning"]
WHAT = [
    "the school's concerns about bruising on his arms",
    "that the family has missed three health appointments",
    "that mum's partner has returned to the home",
    "the child's disclosure to his teacher on Friday",
    "our worries about neglect and the state of the house",
]
WHY = [
    "to plan a section forty seven enquiry",
    "so that the health visitor can arrange a home visit",
    "because the child may be at risk of significant harm",
    "to agree a safety plan before the weekend",
]
CONSENT = [
    "I did not seek mum's consent because it could put the child at further risk.",
    "Mum gave her consent for this on the phone.",
    "Dad refused consent, but I shared anyway because of the risk of harm.",
]
EXTRA = [
    "I discussed the decision with my team manager before making the call.",
    "The family have not been told at this stage.",
    "The referral went through the MASH this morning.",
    "I will record the outcome of the strategy discussion tomorrow.",
    "The neighbour's details were not shared as they were not relevant.",
]


def memo_text(rng: random.Random) -> str:
    """A memo of several sharing events, roughly 45 seconds when spoken."""
    child = rng.choice(CHILDREN)
    parts = [f"Note on {child}, aged {rng.randint(2, 15)}."]
    for _ in range(3):
        parts.append(
            f"{rng.choice(WHEN).capitalize()} I spoke to {rng.choice(CONTACTS)} and shared "
            f"{rng.choice(WHAT)}, {rng.choice(WHY)}. {rng.choice(CONSENT)}"
        )
    parts.append(rng.choice(EXTRA))
    return " ".join(parts)


def make_memos(count: int) -> list[Path]:
    """The cached benchmark memos, synthesised on first use."""
    from synth import synthesize

    rng = random.Random(5)
    voices = ["flite-slt", "flite-rms", "flite-awb", "espeak-gb"]
    paths = []
    for i in range(count):
        text = memo_text(rng)
        path = MEMOS / f"memo_{i:02d}.wav"
        if not path.exists():
            synthesize(text, voices[i % len(voices)], path)
        paths.append(path)
    return paths


def audio_seconds(paths: list[Path]) -> float:
    from speakcase.pipelines.audio import probe

    return sum(probe(p).duration for p in paths)


def bare_loop(paths: list[Path], model: str) -> dict:
    """faster-whisper alone, one process, all cores, SpeakCase's decoding settings; run in a child."""
    code = f"""
import json, resource, sys, time
started = time.perf_counter()
from faster_whisper import WhisperModel
from speakcase.pipelines.speech_models import resolve_model
from speakcase.pipelines.transcribe import TranscribeOptions
import os
model = WhisperModel(str(resolve_model({model!r})[1]), device="cpu", compute_type="int8",
                     cpu_threads=len(os.sched_getaffinity(0)), local_files_only=True)
loaded = time.perf_counter()
kwargs = TranscribeOptions().whisper_kwargs()
for path in {[str(p) for p in paths]!r}:
    segments, _ = model.transcribe(path, **kwargs)
    text = " ".join(s.text for s in segments)
done = time.perf_counter()
print(json.dumps({{"seconds": done - started, "loop_seconds": done - loaded,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class _Quiet:
    def queued(self, path: str, seconds: float) -> None:
        pass

    def finished(self, result) -> None:
        if result.outcome != "done":
            raise SystemExit(f"bench memo not done: {result.outcome} {result.error}")


def batch_run(paths: list[Path], workers: int, model: str) -> dict:
    """The batch runner on a fresh database, timed from opening the store to the last memo stored."""
    from speakcase.models.store import Store
    from speakcase.pipelines.batch import BatchRunner, BatchSettings

    folder = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    for path in paths:
        os.symlink(path, folder / path.name)
    url = f"sqlite:///{folder / 'bench.db'}"
    started = time.perf_counter()
    store = Store.open(url)
    summary = BatchRunner(
        store, BatchSettings(workers=workers, model=model, db_url=url), _Quiet()
    ).run_folder(folder)
    seconds = time.perf_counter() - started
    store.close()
    if summary.interrupted:
        raise SystemExit("the batch was interrupted: no figures")
    return {"seconds": seconds, "peak_rss": dict(summary.peak_rss), "done": len(summary.of("done"))}


def cpu_seconds() -> float:
    """User plus system CPU seconds of this process and its reaped children so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    paths = make_memos(args.count)
    audio = audio_seconds(paths)
    print(
        f"{len(paths)} memos, {audio / len(paths):.1f} s each on average, {audio / 60:.1f} min in all",
        flush=True,
    )
    runs: dict[str, list[dict]] = {"bare": [], "workers=1": [], "workers=2": []}
    for round_no in range(args.rounds):
        for name in runs:
            cpu_before = cpu_seconds()
            if name == "bare":
                result = bare_loop(paths, args.model)
            else:
                result = batch_run(paths, int(name.split("=")[1]), args.model)
            result["cpu_seconds"] = cpu_seconds() - cpu_before
            result["memos_per_min"] = len(paths) / (result["seconds"] / 60)
            runs[name].append(result)
            print(f"round {round_no + 1} {name}: {json.dumps(result)}", flush=True)
    report(runs, paths, audio, args)


def report(runs: dict[str, list[dict]], paths: list[Path], audio: float, args: argparse.Namespace) -> None:
    best = {name: max(r["memos_per_min"] for r in results) for name, results in runs.items()}
    print(
        f"\nmemos per minute (best of {args.rounds}; {len(paths)} memos, {audio / 60:.1f} min, {args.model})"
    )
    for name, rate in best.items():
        ratio = rate / best["bare"]
        cpu = min(r["cpu_seconds"] for r in runs[name]) / len(paths)
        print(f"  {name:<10} {rate:6.2f} memos/min   {ratio:5.2f} x bare loop   {cpu:5.1f} CPU s/memo")
    for name in ("workers=1", "workers=2"):
        peaks = [v for r in runs[name] for v in r["peak_rss"].values()]
        print(f"  {name} peak RSS per worker: {max(peaks) / 2**20:.0f} MB")
    print(f"  bare loop peak RSS: {max(r['peak_rss'] for r in runs['bare']) / 2**20:.0f} MB")
    record = {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "model": args.model, "memos": len(paths),
              "audio_seconds": audio, "best_memos_per_min": best, "runs": runs}  # fmt: skip
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "batch.jsonl").open("a") as fh:
        fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
