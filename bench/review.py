"""Issues 4 and 13: launch to an interactive inbox with 10,000 records, time per search keystroke, and
the time to open a record screen (record, transcript, memo time, first revision and value checks).

    .venv/bin/python bench/review.py [--records 10000]

Seeds a throwaway SQLite database through the store (100 records per memo via finish_memo),
then runs the review app headless at 100x30: the launch figure covers opening the store, the app
and its first inbox page; the keystroke figure covers a typed character's handling plus the
debounced query and table refill (the 250 ms debounce itself excluded). Printed and appended to
bench/out/review.jsonl.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DEBOUNCE_MS = 250
SUBJECTS = ("Amy Morgan", "Ben Clarke", "Chloe Evans", "Dylan Hughes", "Ella Price", "Finn Walsh")
COUNTERPARTS = (
    ("Helen Price", "Thames Valley Police", "police"),
    ("Priya Patel", "Riverside Housing", "housing"),
    ("Mark Jones", "Oakfield Primary", "education"),
    ("Sara Khan", "City GP Practice", "health"),
)


def seed(url: str, total: int, per_memo: int = 100) -> float:
    """Fill the database with `total` draft and confirmed records; returns the seconds it took."""
    from speakcase.models.records import Consent, Counterpart, SharingRecord
    from speakcase.models.store import Store
    from speakcase.models.transcript import Transcript

    started = time.perf_counter()
    store = Store.open(url)
    for memo in range(total // per_memo):
        memo_id, _ = store.add_memo(f"/memos/{memo}.ogg", f"{memo:064x}", datetime(2026, 1, 1), 60.0)
        store.claim_memo(memo_id, "bench")
        records = []
        for i in range(per_memo):
            n = memo * per_memo + i
            name, org, agency = COUNTERPARTS[n % len(COUNTERPARTS)]
            records.append(
                SharingRecord(
                    occurred_at=f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}",
                    counterpart=Counterpart(name, None, org, agency),
                    subject=SUBJECTS[n % len(SUBJECTS)],
                    information=f"bench information item {n}",
                    reason="to keep the child safe",
                    consent=Consent("obtained", "mum"),
                )
            )
        store.finish_memo(memo_id, Transcript("bench memo", "en", 60.0, ()), records, worker="bench")
    store.close()
    return time.perf_counter() - started


async def measure(url: str, query: str, total: int) -> dict[str, float]:
    """Launch-to-inbox seconds and milliseconds per search keystroke, headless."""
    started = time.perf_counter()
    from speakcase.models.store import Store
    from speakcase.tui.app import ReviewApp

    store = Store.open(url)
    app = ReviewApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        table = None
        while table is None or table.row_count == 0:
            await pilot.pause(0.01)
            screen = app.screen
            table = screen.query("#records").first() if screen.query("#records") else None
        launch = time.perf_counter() - started
        inbox = app.screen
        inbox.query_one("#search").focus()
        await pilot.pause()
        echo, refresh = [], []
        for char in query:
            t0 = time.perf_counter()
            await pilot.press("space" if char == " " else char)
            echo.append((time.perf_counter() - t0) * 1000)
            inbox._debounce.stop()  # type: ignore[attr-defined]  # timed directly below instead
            t1 = time.perf_counter()
            await inbox.reload().wait()  # type: ignore[attr-defined]  # what the debounce timer calls
            await pilot.pause()
            refresh.append((time.perf_counter() - t1) * 1000)
        rows = table.row_count
        opened, opened_cpu = await _open_records(app, pilot, [1 + total * k // 5 for k in range(5)])
    store.close()
    return {
        "launch_s": launch,
        "echo_ms_median": statistics.median(echo),
        "refresh_ms_median": statistics.median(refresh),
        "refresh_ms_max": max(refresh),
        "rows_after_search": rows,
        "record_open_ms_median": statistics.median(opened),
        "record_open_ms_max": max(opened),
        "record_open_cpu_ms_median": statistics.median(opened_cpu),
        "load_average_1min": os.getloadavg()[0],
    }


async def _open_records(app: object, pilot: object, record_ids: list[int]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds from asking for each record screen to its form and checks showing."""
    from speakcase.tui.screens.record import RecordScreen

    times, cpu = [], []
    for record_id in record_ids:
        t0, c0 = time.perf_counter(), time.process_time()
        app.open_record(record_id)  # type: ignore[attr-defined]
        deadline = t0 + 30
        while not (isinstance(app.screen, RecordScreen) and app.screen.loaded):  # type: ignore[attr-defined]
            if time.perf_counter() > deadline:
                raise SystemExit(f"record {record_id} did not open within 30 s")
            await pilot.pause(0.005)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        app.pop_screen()  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--query", default="with:price amy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SPEAKCASE_CONFIG"] = str(Path(tmp) / "config.json")  # a named practitioner, not asked
        (Path(tmp) / "config.json").write_text(json.dumps({"practitioner": "Bench"}))
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        seed_s = seed(url, args.records)
        result = {
            "records": args.records,
            "seed_s": round(seed_s, 1),
            **{k: round(v, 3) for k, v in asyncio.run(measure(url, args.query, args.records)).items()},
        }
    print(f"seeded {args.records:,} records in {result['seed_s']} s", flush=True)
    print(f"launch to interactive inbox: {result['launch_s']:.2f} s")
    print(
        f"search keystroke ({args.query!r}): echo {result['echo_ms_median']:.0f} ms median; "
        f"query + table refill {result['refresh_ms_median']:.0f} ms median, "
        f"{result['refresh_ms_max']:.0f} ms max "
        f"(after the {DEBOUNCE_MS} ms debounce); {result['rows_after_search']} rows shown"
    )
    print(
        f"record screen open: {result['record_open_ms_median']:.0f} ms median, "
        f"{result['record_open_ms_max']:.0f} ms max (5 records across the database); "
        f"CPU {result['record_open_cpu_ms_median']:.0f} ms median; "
        f"load average {result['load_average_1min']:.1f}"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "review.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"at": datetime.now().isoformat(timespec="seconds"), **result}) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
