"""Unit tests of the review app's pure helpers, and the CLI's lazy import of Textual."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from speakcase.models.records import FIELD_NAMES, SharingRecord
from speakcase.tui.fields import (
    FIELDS,
    SPECS,
    changed_fields,
    check_occurred_at,
    dotted_name,
    from_widget,
    to_widget,
    widget_id,
)
from speakcase.tui.search import parse_search
from speakcase.tui.widgets.transcript import paragraph_spans, unsure_spans
from tests.tui_seed import MEMO_TEXT, police_record, timed_transcript


def test_the_form_shows_every_schema_field_in_order():
    assert tuple(spec.name for spec in FIELDS) == FIELD_NAMES
    assert all(dotted_name(widget_id(name)) == name for name in FIELD_NAMES)


def test_when_accepts_the_formats_the_screens_show():
    assert from_widget("occurred_at", "2026-11-24 14:10") == "2026-11-24T14:10"  # as the inbox shows it
    assert from_widget("occurred_at", "2026-11-24T14:10") == "2026-11-24T14:10"
    assert from_widget("occurred_at", "24/11/2026 14:10") == "2026-11-24T14:10"
    assert from_widget("occurred_at", " 2026-11-24 ") == "2026-11-24"
    assert from_widget("occurred_at", "") is None
    for bad in ("2026-02-30", "2026-11-24T25:00", "yesterday"):
        assert check_occurred_at(bad) is not None


@settings(deadline=None)  # a pure function; a loaded machine must not fail it
@given(
    st.sampled_from([name for name in FIELD_NAMES if SPECS[name].widget in ("multi", "select", "tri_state")]),
    st.data(),
)
def test_coded_fields_round_trip_through_their_widgets(name, data):
    spec = SPECS[name]
    if spec.widget == "multi":
        value = tuple(c for c in spec.codes if c in data.draw(st.sets(st.sampled_from(spec.codes))))
    elif spec.widget == "tri_state":
        value = data.draw(st.sampled_from([True, False, None]))
    else:
        value = data.draw(st.sampled_from(spec.codes + ((None,) if spec.optional else ())))
    assert from_widget(name, to_widget(name, value)) == value


@settings(deadline=None)
@given(st.lists(st.text(alphabet="abcdef 0123456789", min_size=1).map(str.strip).filter(bool), max_size=4))
def test_legislation_round_trips_as_semicolon_text(acts):
    assert from_widget("legislation", to_widget("legislation", tuple(acts))) == tuple(acts)


def test_empty_text_is_none_except_information():
    assert from_widget("reason", "   ") is None
    assert from_widget("information", "") == ""


def test_search_prefixes_become_filters():
    found = parse_search('amy with:"helen price" date:2026-11 status:draft about:morgan', None)
    assert (found.search, found.counterpart, found.date, found.status, found.subject) == (
        "amy",
        "helen price",
        "2026-11",
        "draft",
        "morgan",
    )
    assert parse_search("status:bogus x", "confirmed").status == "confirmed"
    assert parse_search('unbalanced "quote', None).search == 'unbalanced "quote'


def test_low_probability_words_are_located_in_the_text():
    transcript = timed_transcript(MEMO_TEXT)
    assert [MEMO_TEXT[a:b] for a, b in unsure_spans(transcript)] == ["Pryce", "nurse"]
    spans = paragraph_spans(transcript)
    assert spans[0][0] == 0 and spans[-1][1] == len(MEMO_TEXT) and len(spans) == 4


def test_changed_fields_lists_each_difference():
    before = police_record()
    after = before.with_field("counterpart.name", "Helen Price").with_field("protocols", ["MASH"])
    assert changed_fields(before, after) == [
        ("counterpart.name", "Helen Pryce", "Helen Price"),
        ("protocols", (), ("MASH",)),
    ]
    assert changed_fields(SharingRecord(), SharingRecord()) == []


def test_cli_help_does_not_import_textual():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom speakcase.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "assert 'review' in main.commands\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_segments_split_mid_sentence_read_as_one_paragraph():
    from speakcase.models.transcript import Segment, Transcript

    first, second, third = "I spoke to PC Mark Davies from North", "Shire Police at ten.", "Mum was told."
    text = f"{first} {second} {third}"
    transcript = Transcript(
        text, "en", 9.0, (Segment(0, 3, first), Segment(3, 6, second), Segment(6, 9, third))
    )
    assert [text[a:b].strip() for a, b in paragraph_spans(transcript)] == [f"{first} {second}", third]
