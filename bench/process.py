"""Issue 2 measures: `speakcase demo` wall time (first and second run) and peak memory of `speakcase process`.

    .venv/bin/python bench/process.py [AUDIO]

AUDIO defaults to the ~60 s synthetic memo that bench/rtf.py caches. Each command runs in its own
process; peak RSS is that child's ru_maxrss. Results are printed and appended to bench/out/process.jsonl.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SPEAKCASE = [sys.executable, "-m", "speakcase"]


def run_child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    started = time.perf_counter()
    pid = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).pid
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    audio = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT / "audio" / "memo60_flite-slt.wav"
    if not audio.exists():
        raise SystemExit(f"{audio} is missing: run bench/rtf.py first, or name an audio file")
    home = tempfile.mkdtemp()
    # A config that does not exist yet, in a folder SpeakCase may write its audit key and anchor into.
    env = {**os.environ, "SPEAKCASE_DATA_DIR": f"{home}/data", "SPEAKCASE_CONFIG": f"{home}/config/c.json"}
    results = {}
    for label in ("demo_first", "demo_second"):
        results[label + "_s"], _ = run_child([*SPEAKCASE, "demo"], env)
    db = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    run_child([*SPEAKCASE, "init", "--db", db], env)  # only the default database is made without asking
    wall, peak = run_child([*SPEAKCASE, "process", str(audio), "--db", db], env)
    results.update(process_s=round(wall, 2), process_peak_rss_mb=round(peak, 1), audio=audio.name)
    results = {k: round(v, 2) if isinstance(v, float) else v for k, v in results.items()}
    results["maxrss_self_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(results, indent=2))
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "process.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
