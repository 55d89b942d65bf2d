"""Records, transcripts, stored memos and memo recordings built for tests."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from speakcase.models.records import Consent, Counterpart, SharingRecord
from speakcase.models.store import MemoInfo, Store
from speakcase.models.transcript import Segment, Transcript, Word
from tests.fixtures.synth import decode, pad, write_audio

SHA = "a" * 64
FIXTURE_AUDIO = Path(__file__).parent / "fixtures" / "audio"
SPEAKCASE = str(Path(sys.executable).parent / "speakcase")


def complete_record(**changes) -> SharingRecord:
    base = SharingRecord(
        kind="shared",
        occurred_at="2026-03-04T10:15",
        counterpart=Counterpart("Priya Shah", "PC", "Northshire Police", "police"),
        subject="Leo Grant",
        information="Leo's disclosure about his uncle",
        reason="to plan a strategy discussion",
        consent=Consent("not_sought", "dad", ("increase_risk",), "asking could place Leo at risk"),
    )
    for name, value in changes.items():
        base = base.with_field(name, value)
    return base


def transcript(text: str = "I spoke to PC Priya Shah.") -> Transcript:
    words = tuple(Word(i * 0.4, i * 0.4 + 0.3, " " + w, 0.9) for i, w in enumerate(text.split()))
    return Transcript(text, "en", 3.0, (Segment(0.0, 3.0, text, words),), model="tiny.en")


def stored_record(store, record: SharingRecord | None = None) -> int:
    memo_id, _ = store.add_memo("/memos/a.wav", SHA)
    assert store.claim_memo(memo_id, "test")
    (record_id,) = store.finish_memo(memo_id, transcript(), [record or complete_record()], worker="test")
    return record_id


def distinct_memos(folder: Path, count: int) -> list[Path]:
    """`count` recordings with different content (a fixture padded by a different length each)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [decode(FIXTURE_AUDIO / "memo_police.wav"), decode(FIXTURE_AUDIO / "memo_health.ogg")]
    return [
        write_audio(pad(sources[i % 2], after=(i + 1) / 100), folder / f"memo_{i:02d}.wav")
        for i in range(count)
    ]


def run_batch(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `speakcase batch ...` as a user would, output piped."""
    return subprocess.run([SPEAKCASE, "batch", *args], capture_output=True, text=True, timeout=timeout)


def sha(path: Path) -> str:
    """The SHA-256 of a file's bytes, as the store keys memos."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def memos_by_sha(store: Store) -> dict[str, MemoInfo]:
    """Every memo by content hash, asserting there is one per hash."""
    memos = store.memos()
    assert len({m.sha256 for m in memos}) == len(memos)
    return {m.sha256: m for m in memos}
