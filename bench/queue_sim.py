"""(Not bench/queue.py: that name would shadow the standard library queue module.)

Team queue at scale, by simulation: N worker processes (standing in for machines) against one real
PostgreSQL server, hundreds of memos given as transcripts (--text path, no Whisper, so the queue's cost
shows), some broken, workers SIGKILLed at random mid-memo and replaced.

Checks that no memo is lost or processed twice and measures throughput per worker count and the
queue's overhead per memo. Needs a PostgreSQL superuser URL (--db), or starts a throwaway server
from the machine's PostgreSQL programs (Debian's postgresql package), as `postgres` when run as root.

    nice -n 10 python bench/queue_sim.py --memos 500 --broken 25 --workers 1,2,3,4 --kills 4
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from speakcase.models.store import Store  # noqa: E402
from speakcase.models.team import add_member, add_team  # noqa: E402
from speakcase.pipelines.queue import enqueue  # noqa: E402

SAMPLE = (ROOT / "speakcase" / "data" / "sample_memo.txt").read_text()


@contextmanager
def throwaway_server(port: int = 55499):
    """initdb + pg_ctl in a temp dir on a Unix socket; yields the superuser URL."""
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))), None)
    if not found:
        sys.exit("No PostgreSQL server programs (initdb): install Debian's postgresql, or pass --db.")
    bindir = Path(found).parent
    root = Path(tempfile.mkdtemp(prefix="sc-bench-pg-", dir="/tmp"))
    kw: dict = {"cwd": root, "check": True, "capture_output": True}
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres" if _has_user("postgres") else "nobody")
        os.chown(root, user.pw_uid, user.pw_gid)
        kw.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    data = root / "data"
    subprocess.run(
        [str(bindir / "initdb"), "-D", str(data), "-U", "speakcase", "--auth=trust", "--no-sync"], **kw
    )
    opts = f"-c listen_addresses='' -k {root} -p {port} -c fsync=off -c max_connections=200"
    subprocess.run(
        [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "-l", str(root / "log"), "start"], **kw
    )
    try:
        yield f"postgresql+psycopg://speakcase@/postgres?host={root}&port={port}"
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], **(kw | {"check": False})
        )
        shutil.rmtree(root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def make_memos(folder: Path, count: int, broken: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    names = ["Jordan Ellis", "Ava Dean", "Noah Bell", "Isla Reid", "Leo Grant", "Ruby Hart"]
    paths = []
    for i in range(count - broken):
        body = SAMPLE.replace("Jordan Ellis", f"{rng.choice(names)} {i}").replace("Jordan", rng.choice(names))
        path = folder / f"memo{i:04}.txt"
        path.write_text(body)
        paths.append(path)
    for i in range(broken):
        path = folder / f"broken{i:03}.txt"
        path.write_bytes(b"\xff\xfe\x80 broken " + str(i).encode())
        paths.append(path)
    return paths


def fresh_team(admin_url: str) -> tuple[str, str]:
    engine = create_engine(admin_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    admin = Store.open(admin_url, anchored=False)
    add_team(admin, "North")
    add_member(admin, "bench_alice", "practitioner", "North")
    add_member(admin, "bench_worker", "worker")
    admin.close()
    role = lambda r: make_url(admin_url).set(username=r).render_as_string(hide_password=False)  # noqa: E731
    return role("bench_alice"), role("bench_worker")


def start_worker(url: str, stats: Path, lease: float) -> subprocess.Popen[bytes]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    args = ["worker", "--db", url, "--lease", str(lease), "--until-empty", "--stats", str(stats)]
    return subprocess.Popen(
        [sys.executable, "-m", "speakcase", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def run_once(admin_url: str, files: list[Path], workers: int, kills: int, lease: float, tmp: Path) -> dict:
    alice_url, worker_url = fresh_team(admin_url)
    alice = Store.open(alice_url, anchored=False)
    started = time.perf_counter()
    queued = enqueue(alice, files)
    enqueue_s = time.perf_counter() - started
    alice.close()
    stats = tmp / f"stats-{workers}-{kills}.jsonl"
    stats.unlink(missing_ok=True)
    admin = Store.open(admin_url, anchored=False)
    rng = random.Random(workers * 100 + kills)
    t0 = time.perf_counter()
    procs = [start_worker(worker_url, stats, lease) for _ in range(workers)]
    killed = 0
    while any(p.poll() is None for p in procs):
        time.sleep(0.2)
        progress = len(stats.read_text().splitlines()) if stats.exists() else 0
        if killed < kills and progress > (killed + 1) * len(files) / (kills + 1):  # spread over the run
            holders = {m.worker for m in admin.memos("processing") if m.worker}
            live = [p for p in procs if p.poll() is None and any(h.endswith(f":{p.pid}") for h in holders)]
            if live:
                victim = rng.choice(live)
                victim.send_signal(signal.SIGKILL)
                victim.wait()
                killed += 1
                procs.append(start_worker(worker_url, stats, lease))  # the machine comes back
    wall = time.perf_counter() - t0
    errors = [p.stderr.read().decode()[-500:] for p in procs if p.returncode not in (0, -signal.SIGKILL)]
    with admin._read() as s:
        status = dict(s.execute(text("SELECT status, count(*) FROM memo GROUP BY 1")).all())
        done_events = s.execute(
            text("SELECT count(*) FROM (SELECT entity_id FROM audit_event WHERE action = 'memo.done' "
                 "GROUP BY 1 HAVING count(*) > 1) d")
        ).scalar()  # fmt: skip
        double_transcripts = s.execute(
            text("SELECT count(*) FROM (SELECT memo_id FROM transcript GROUP BY 1 HAVING count(*) > 1) d")
        ).scalar()
        jobs = dict(s.execute(text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1")).all())
        retried = s.execute(text("SELECT count(*) FROM memo WHERE attempts > 1")).scalar()
    admin.close()
    entries = [json.loads(line) for line in stats.read_text().splitlines()]
    processed = [e for e in entries if e["outcome"] in ("done", "failed")]
    first = min(e["at"] - e["seconds"] for e in entries)
    last = max(e["at"] for e in entries)
    # Queue overhead: per worker, the time between its jobs (fetch, lock, status, events), per memo.
    overhead = 0.0
    for name in {e["worker"] for e in entries}:
        mine = sorted((e for e in entries if e["worker"] == name), key=lambda e: e["at"])
        gaps = [b["at"] - b["seconds"] - a["at"] for a, b in zip(mine, mine[1:], strict=False)]
        overhead += sum(g for g in gaps if g < lease)  # a gap past the lease is a wait for a killed job
    expected = len(files) - sum(1 for f in files if f.name.startswith("broken"))
    return {
        "workers": workers,
        "memos": len(files),
        "queued": queued.queued,
        "kills": killed,
        "done": status.get("done", 0),
        "failed": status.get("failed", 0),
        "lost": len(files) - status.get("done", 0) - status.get("failed", 0),
        "wrong_outcome": abs(status.get("done", 0) - expected),
        "duplicates": int(done_events or 0) + int(double_transcripts or 0),
        "retried_memos": int(retried or 0),
        "jobs": jobs,
        "wall_s": round(wall, 1),
        "steady_s": round(last - first, 1),
        "memos_per_s": round(len(processed) / (last - first), 2),
        "task_ms_mean": round(1000 * sum(e["seconds"] for e in processed) / len(processed), 1),
        # CPU the memo itself took (its thread): against task_ms_mean it shows how far the cores were shared.
        "task_cpu_ms_mean": round(1000 * sum(e.get("cpu", 0.0) for e in processed) / len(processed), 1),
        "load_average": os.getloadavg()[0],
        "queue_overhead_ms_per_memo": round(1000 * overhead / max(1, len(processed)), 1),
        "enqueue_ms_per_memo": round(1000 * enqueue_s / len(files), 1),
        "worker_errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL superuser URL (default: a throwaway server)")
    parser.add_argument("--memos", type=int, default=500)
    parser.add_argument("--broken", type=int, default=25)
    parser.add_argument("--workers", default="1,2,3,4", help="worker counts to run, comma-separated")
    parser.add_argument("--kills", type=int, default=4, help="SIGKILLs in the run with the most workers")
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="sc-bench-queue-"))
    files = make_memos(tmp / "memos", args.memos, args.broken)
    results = []
    with contextmanager(lambda: (yield args.db))() if args.db else throwaway_server() as url:
        for n in counts:
            results.append(run_once(url, files, n, 0, args.lease, tmp))
            print(json.dumps(results[-1]), flush=True)
        if args.kills:
            results.append(run_once(url, files, max(counts), args.kills, args.lease, tmp))
            print(json.dumps(results[-1]), flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    bad = [r for r in results if r["lost"] or r["duplicates"] or r["wrong_outcome"]]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
