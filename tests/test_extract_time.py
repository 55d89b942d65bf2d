"""Spoken and written time expressions resolved against when the memo was recorded."""

from __future__ import annotations

from datetime import datetime

import pytest

from speakcase.pipelines.extract.text import TextView
from speakcase.pipelines.extract.timeparse import find_mentions, resolve

RECORDED = datetime(2026, 3, 11, 16, 40)  # a Wednesday afternoon


def when(text: str) -> str | None:
    view = TextView(text)
    return resolve(find_mentions(view, 0, len(text), RECORDED), view, RECORDED)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at ten past two this afternoon I rang", "2026-03-11T14:10"),
        ("at 11 I phoned", "2026-03-11T11:00"),
        ("at quarter to four she rang", "2026-03-11T15:45"),
        ("half past nine this morning", "2026-03-11T09:30"),
        ("at twenty five to one this afternoon", "2026-03-11T12:35"),
        ("at 14:05 I emailed", "2026-03-11T14:05"),
        ("at 2.30pm I emailed", "2026-03-11T14:30"),
        ("at half three", "2026-03-11T15:30"),
        ("at about eight fifteen this morning", "2026-03-11T08:15"),
        ("at midday", "2026-03-11T12:00"),
        ("yesterday morning I rang", "2026-03-10"),
        ("last night at about eleven", "2026-03-10T23:00"),
        ("last Friday", "2026-03-06"),
        ("on Monday afternoon at four", "2026-03-09T16:00"),
        ("on the 19th", "2026-02-19"),
        ("on the 3rd", "2026-03-03"),
        ("on the second of March", "2026-03-02"),
        ("just now I told her", "2026-03-11T16:40"),
        ("I've just come off the phone with her", "2026-03-11T16:40"),
        ("ive just come off the phone", "2026-03-11T16:40"),
        ("this afternoon at two, no, half past two, I rang", "2026-03-11T14:30"),
        ("on Tuesday, sorry, it was Monday, I rang", "2026-03-09"),
        ("she is seven and has two brothers", None),
        ("", None),
    ],
)
def test_time_expressions_resolve(text: str, expected: str | None) -> None:
    assert when(text) == expected


def test_an_hour_later_than_the_recording_is_read_as_morning() -> None:
    early = datetime(2026, 3, 11, 9, 0)
    view = TextView("at about ten to six")
    assert resolve(find_mentions(view, 0, len(view.original), early), view, early)[0] == "2026-03-11T05:50"


def test_deadlines_are_not_times_of_sharing() -> None:
    assert when("he will send a summary by Friday") is None
