"""Records, transcripts and stored memos built for tests."""

from __future__ import annotations

from speakcase.models.records import Consent, Counterpart, SharingRecord
from speakcase.models.transcript import Segment, Transcript, Word

SHA = "a" * 64


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
    (record_id,) = store.finish_memo(memo_id, transcript(), [record or complete_record()])
    return record_id
