"""Issue 15 measures: a 60 s dictation on a real PulseAudio server, stop to stored draft.

    .venv/bin/python bench/dictate.py [--seconds 60] [--model tiny.en] [--chunk 8]

Builds about 60 s of speech from the committed memo fixtures, starts a PulseAudio server (the
tests' pipe source and null sink), and speaks it into `Dictation` in real time, as a practitioner
would. Prints: seconds from stop to a stored draft (and where they went), the same audio processed
as a file after the fact (`process_file`, model already loaded), each also as CPU seconds (all
threads: less disturbed by a shared machine than wall time), CPU used while recording (this
process's user + system seconds per wall second, on a 2-core machine 2.0 is everything), the load
average, and peak RSS. Appends the figures to bench/out/dictate.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
AUDIO = ROOT / "tests" / "fixtures" / "audio"


def speech(seconds: float) -> np.ndarray:
    from speakcase.pipelines.audio import load_audio

    parts, total = [], 0
    memos = [load_audio(AUDIO / n) for n in ("memo_police.ogg", "memo_health.ogg")]
    gap = np.zeros(8000, np.float32)
    while total < seconds * 16000:
        for m in memos:
            parts += [m, gap]
            total += len(m) + len(gap)
    return np.concatenate(parts)[: int(seconds * 16000)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--chunk", type=float, default=None)
    args = parser.parse_args()

    from tests import pulse

    work = Path(tempfile.mkdtemp(prefix="speakcase-bench-dictate-"))
    os.environ["SPEAKCASE_DATA_DIR"] = str(work / "data")
    (work / "pulse").mkdir()
    server = pulse.PulseServer(work / "pulse").start()
    os.environ.update(server.env)
    try:
        import psutil

        from speakcase.models.store import Store
        from speakcase.pipelines.dictate import Dictation
        from speakcase.pipelines.extract import load_extractor
        from speakcase.pipelines.process import process_file
        from speakcase.pipelines.transcribe import load_transcriber

        transcriber = load_transcriber(args.model)
        extractor = load_extractor()
        store = Store.open(f"sqlite:///{work / 'bench.db'}")
        audio = speech(args.seconds)
        # warm the decoder and the extractor once, as a running app is
        transcriber.transcribe(audio[:32000])
        extractor.extract("I spoke to PC Mark Davies.", __import__("datetime").datetime.now())

        me = psutil.Process()
        session = Dictation(transcriber, chunk_seconds=args.chunk)
        session.start()
        cpu0, wall0 = me.cpu_times(), time.perf_counter()
        feeder = server.speak(audio, speed=1.0, tail=0.3)
        feeder.join()
        while session.recorder.elapsed < len(audio) / 16000 + 0.2:
            time.sleep(0.02)
        cpu1, wall1 = me.cpu_times(), time.perf_counter()
        recording_cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / (wall1 - wall0)
        decoded_before_stop = session.live.decoded_seconds
        cpu_stop0 = time.process_time()
        stored = session.stop(store, extractor)
        stop_cpu = time.process_time() - cpu_stop0
        stop_to_draft = stored.timings["total"]
        load = os.getloadavg()[0]

        # The same audio as a file after the fact (model loaded, as `process` in a running app).
        copy = work / "same.ogg"
        shutil.copy(stored.audio, copy)
        t0, c0 = time.perf_counter(), time.process_time()
        result = process_file(Store.open(f"sqlite:///{work / 'file.db'}"), copy, transcriber, extractor)
        as_file, as_file_cpu = time.perf_counter() - t0, time.process_time() - c0

        figures = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "model": args.model,
            "audio_s": round(stored.transcript.duration, 2),
            "chunk_s": args.chunk or 8.0,
            "decoded_before_stop_s": round(decoded_before_stop, 2),
            "stop_to_draft_s": round(stop_to_draft, 3),
            "after_stop": {k: round(v, 3) for k, v in stored.timings.items()},
            "stop_to_draft_cpu_s": round(stop_cpu, 3),
            "as_file_s": round(as_file, 3),
            "as_file_cpu_s": round(as_file_cpu, 3),
            "load_avg_1min_at_stop": round(load, 1),
            "file_outcome": result.outcome,
            "records": len(stored.result.record_ids),
            "cpu_while_recording": round(recording_cpu, 3),
            "cpu_s_while_recording": round(recording_cpu * (wall1 - wall0), 2),
            "live_decode_s": round(session.live.decode_seconds, 2),
            "chunks": session.live.chunks_decoded,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "cores": os.cpu_count(),
        }
        print(json.dumps(figures, indent=2))
        OUT.mkdir(exist_ok=True)
        with open(OUT / "dictate.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(figures) + "\n")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
