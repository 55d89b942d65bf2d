"""Deterministic seed data for the review app's tests (a memo with a transcript and records)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from speakcase.models.records import Consent, Counterpart, Evidence, SharingRecord
from speakcase.models.store import Store
from speakcase.models.transcript import Segment, Transcript, Word

MEMO_TEXT = (
    "I rang Detective Sergeant Helen Pryce at Thames Valley Police at ten past two. "
    "I shared the details of Amy's disclosure about her stepfather hitting her, "
    "to plan a joint section 47 enquiry. I did not seek consent from mum, as it could "
    "place Amy at further risk. I then emailed the school nurse at Oakfield Primary "
    "about Amy's attendance."
)


def timed_transcript(text: str) -> Transcript:
    """`text` as a transcript with one segment per sentence and a timed word per token (two unsure)."""
    sentences = [s + "." for s in text.rstrip(".").split(". ")]
    segments, clock = [], 0.0
    for sentence in sentences:
        words = []
        for token in sentence.split():
            probability = 0.31 if token.startswith("Pryce") or token == "nurse" else 0.93
            words.append(Word(clock, clock + 0.4, " " + token, probability))
            clock += 0.4
        segments.append(Segment(words[0].start, words[-1].end, " " + sentence, tuple(words)))
    return Transcript(text=text, language="en", duration=clock, segments=tuple(segments), model="test")


def _span(text: str, phrase: str, confidence: float = 0.9) -> Evidence:
    start = text.index(phrase)
    return Evidence(start, start + len(phrase), confidence)


def police_record() -> SharingRecord:
    """A complete draft (the counterpart's name misheard as Pryce)."""
    t = MEMO_TEXT
    return SharingRecord(
        kind="shared",
        occurred_at="2026-11-24T14:10",
        counterpart=Counterpart("Helen Pryce", "Detective Sergeant", "Thames Valley Police", "police"),
        subject="Amy Morgan",
        information="details of Amy's disclosure about her stepfather hitting her",
        reason="to plan a joint section 47 enquiry",
        legislation=("Children Act 1989 s47",),
        consent=Consent("not_sought", "mum", ("increase_risk",), "it could place Amy at further risk"),
        third_party=True,
        evidence={
            "counterpart.name": _span(t, "Helen Pryce"),
            "counterpart.organisation": _span(t, "Thames Valley Police"),
            "occurred_at": _span(t, "ten past two", 0.8),
            "information": _span(t, "details of Amy's disclosure about her stepfather hitting her"),
            "reason": _span(t, "to plan a joint section 47 enquiry"),
            "consent.status": _span(t, "I did not seek consent from mum", 0.7),
        },
    )


def nurse_record() -> SharingRecord:
    """A draft missing its reason and consent position (confirming it is refused)."""
    return SharingRecord(
        kind="shared",
        occurred_at="2026-11-24",
        counterpart=Counterpart(None, "school nurse", "Oakfield Primary", "health"),
        subject="Amy Morgan",
        information="Amy's attendance",
        evidence={"counterpart.role": _span(MEMO_TEXT, "school nurse")},
    )


def seed(store: Store) -> dict[str, int]:
    """One done memo with two drafts, one confirmed record, and one failed memo; returns their ids."""
    memo_id, _ = store.add_memo("/memos/amy.ogg", "a" * 64, datetime(2026, 11, 24, 16, 5), 60.0)
    store.claim_memo(memo_id, "test")
    police, nurse = store.finish_memo(memo_id, timed_transcript(MEMO_TEXT), [police_record(), nurse_record()])
    other, _ = store.add_memo("/memos/ben.ogg", "b" * 64, datetime(2026, 11, 20, 9, 0), 30.0)
    store.claim_memo(other, "test")
    text = "Mrs Patel from Riverside Housing told me the family has rent arrears."
    received = SharingRecord(
        kind="received",
        occurred_at="2026-11-20T09:00",
        counterpart=Counterpart("Priya Patel", "housing officer", "Riverside Housing", "housing"),
        subject="Ben Clarke",
        information="the family has rent arrears",
        reason="so that we can support the family",
        consent=Consent("obtained", "Ben's father"),
    )
    (confirmed,) = store.finish_memo(other, timed_transcript(text), [received])
    store.confirm(confirmed, received, "Sam Carter")
    failed, _ = store.add_memo("/memos/broken.ogg", "c" * 64, None, None)
    store.claim_memo(failed, "test")
    store.fail_memo(failed, "The file /memos/broken.ogg is not an audio file we can decode.")
    return {"memo": memo_id, "police": police, "nurse": nurse, "confirmed": confirmed, "failed": failed}


def make_db(path: Path) -> tuple[str, dict[str, int]]:
    """A seeded SQLite database at `path`; returns its URL and the seeded ids."""
    url = f"sqlite:///{path}"
    store = Store.open(url)
    try:
        return url, seed(store)
    finally:
        store.close()


GP_TEXT = (
    "At ten past two this afternoon I rang Dr Sarah Hughes at Parkside Surgery, Daniel's GP. "
    "I told her that Daniel Evans said yesterday he is frightened to go home, so that she can "
    "check the bruising at his appointment. Daniel had not consented to me telling her."
)


def gp_record() -> SharingRecord:
    """The flagged GP draft of issue 13: consent read as obtained, a fragment for a reason, yesterday's date."""
    t = GP_TEXT
    return SharingRecord(
        kind="shared",
        occurred_at="2025-03-11",
        counterpart=Counterpart("Sarah Hughes", "GP", "Parkside Surgery", "health"),
        subject="Daniel Evans",
        information="that Daniel Evans said he is frightened to go home",
        reason="Daniel had",
        consent=Consent("obtained", "Daniel"),
        evidence={
            "occurred_at": _span(t, "yesterday", 0.9),
            "counterpart.name": _span(t, "Sarah Hughes"),
            "reason": _span(t, "Daniel had", 0.85),
            "consent.status": _span(t, "consented", 0.9),
            "consent.given_by": _span(t, "Daniel had", 0.85),
        },
    )


def seed_gp(store: Store) -> int:
    """The GP memo (recorded 2025-03-12 16:00) with its flagged draft; returns the record id."""
    memo_id, _ = store.add_memo("/memos/gp.wav", "d" * 64, datetime(2025, 3, 12, 16, 0), 20.0)
    store.claim_memo(memo_id, "test")
    (record_id,) = store.finish_memo(memo_id, timed_transcript(GP_TEXT), [gp_record()])
    return record_id
