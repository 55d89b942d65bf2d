"""Glossary terms, section numbers and known names: corrected after recognition with the heard form
kept, on real tiny.en transcripts of synthesised memos and on word lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from speakcase.cli import main
from speakcase.models.transcript import Transcript, Word
from speakcase.pipelines import vocabulary
from speakcase.pipelines.names import KnownName, NameScope, known_names
from speakcase.pipelines.transcribe import Transcriber, load_transcriber
from tests.factories import complete_record

AUDIO = Path(__file__).parent / "fixtures" / "audio"


def _words(text: str) -> list[Word]:
    return [Word(i * 0.5, i * 0.5 + 0.4, f" {w}", 0.9) for i, w in enumerate(text.split())]


def _correct(text: str, names: tuple[str, ...] | list[str] = ()) -> tuple[str, list[Word]]:
    words = vocabulary.correct_words(_words(text), vocabulary.known_terms(names))
    return "".join(w.word for w in words).strip(), [w for w in words if w.heard]


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("under section forty two of the Care Act", "under section 42 of the Care Act"),
        ("a section 40 to enquiry", "a section 42 enquiry"),
        ("the section forty-seven, today", "the section 47, today"),
        ("a section 20 to the council", "a section 20 to the council"),  # 22 is no section cited
        ("at the mapper meeting with cams", "at the MAPPA meeting with CAMHS"),
        ("the Kaldikot Guardian agreed", "the Caldicott guardian agreed"),
        ("then Kafka's and the marek", "then Cafcass and the MARAC"),
        ("the lady said the map was wrong", "the lady said the map was wrong"),
        ("two strategy discussions", "two strategy discussions"),
    ],
)
def test_glossary_and_sections(heard: str, expected: str) -> None:
    assert _correct(heard)[0] == expected


def test_known_names_take_their_spelling_and_keep_the_heard_form() -> None:
    names = ["Lily-Mae Turner", "George Pryce", "Severnshire Council"]
    text, fixed = _correct("I phoned George Rice at Seven Shire Council about Lily May Turner.", names)
    assert text == "I phoned George Pryce at Severnshire Council about Lily-Mae Turner."
    assert [w.heard.strip() for w in fixed] == ["George Rice", "Seven Shire Council", "Lily May Turner."]
    assert all(w.source == "caseload" and w.match is not None and 0.85 <= w.match < 1 for w in fixed)
    # A name close to nobody stays as heard; a correct one is untouched; the known name followed by
    # other words does not swallow them.
    assert _correct("Kerry Smith rang Severnshire Council and Mr Pryce", names) == (
        "Kerry Smith rang Severnshire Council and Mr Pryce",
        [],
    )


def test_a_heard_name_between_two_known_ones_stays_as_heard() -> None:
    """ "Jon" is as close to Joan as to John: left as heard; the surname both share takes its spelling."""
    text, fixed = _correct("Jon Smyth rang", ["Joan Smith", "John Smith"])
    assert text == "Jon Smith rang" and [w.heard for w in fixed] == [" Smyth"]


def test_corrections_round_trip_in_the_transcript_json() -> None:
    words = vocabulary.correct_words(_words("the Mapper meeting"), vocabulary.known_terms())
    from speakcase.models.transcript import Segment

    transcript = Transcript(
        "the MAPPA meeting", "en", 2.0, (Segment(0, 1.4, "the MAPPA meeting", tuple(words)),)
    )
    data = transcript.to_dict()
    corrected = [w for w in data["segments"][0]["words"] if "heard" in w]
    assert corrected == [
        {"start": 0.5, "end": 0.9, "word": " MAPPA", "probability": 0.9, "heard": " Mapper"}
        | {"source": "glossary", "match": 1.0}
    ]
    assert Transcript.from_dict(data).corrections() == transcript.corrections()
    assert transcript.corrections()[0]["heard"] == "Mapper"


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    return load_transcriber("tiny.en")


@pytest.mark.slow
def test_real_memo_names_resolve_to_the_caseload(transcriber: Transcriber) -> None:
    """tiny.en hears "Lily May Turner" and "George Price"; with the caseload they take its spelling."""
    plain = transcriber.transcribe(AUDIO / "memo_names.ogg")
    assert "Lily-Mae Turner" not in plain.text and "George Pryce" not in plain.text
    assert "section 42" in plain.text.lower()
    known = [KnownName("Lily-Mae Turner", "caseload"), KnownName("George Pryce", "store")]
    fixed = transcriber.transcribe(AUDIO / "memo_names.ogg", extra_terms=known)
    assert "Lily-Mae Turner" in fixed.text and "George Pryce" in fixed.text
    by_word = {c["word"].strip(",."): c for c in fixed.corrections()}
    assert by_word["George Pryce"]["source"] == "store" and by_word["George Pryce"]["heard"] != "George Pryce"
    assert by_word["Lily-Mae Turner"]["source"] == "caseload"


@pytest.mark.slow
def test_real_memo_terms_are_corrected(transcriber: Transcriber) -> None:
    plain = transcriber.transcribe(AUDIO / "memo_terms.ogg", correct=False)
    fixed = transcriber.transcribe(AUDIO / "memo_terms.ogg")
    right = [t for t in ("MAPPA", "CAMHS", "LADO", "Cafcass", "MARAC", "MASH") if t in fixed.text]
    before = [t for t in ("MAPPA", "CAMHS", "LADO", "Cafcass", "MARAC", "MASH") if t in plain.text]
    assert len(right) >= 4 and len(right) > len(before) + 2
    assert all(c["heard"] and c["source"] == "glossary" for c in fixed.corrections())


@pytest.mark.slow
def test_cli_case_option_and_corrections_on_stderr(transcriber: Transcriber) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["transcribe", "--case", "Lily-Mae Turner", "--case", "George Pryce", str(AUDIO / "memo_names.ogg")],
    )
    assert result.exit_code == 0, result.output
    assert "Lily-Mae Turner" in result.stdout and "George Pryce" in result.stdout
    assert "corrected: heard 'George Price' as 'George Pryce' (caseload, 0.9" in result.stderr
    data = json.loads(runner.invoke(main, ["transcribe", "--json", str(AUDIO / "memo_names.ogg")]).stdout)
    assert "George Pryce" not in data["text"]  # no caseload, nothing in a store: stays as heard


def _confirmed(store, subject: str, counterpart: str, author: str) -> None:
    record = complete_record(subject=subject, **{"counterpart.name": counterpart})
    record_id = store.add_record(None, record, author=author)
    store.confirm(record_id, record, author=author)


def test_store_names_come_from_confirmed_records_within_scope(store) -> None:
    _confirmed(store, "Tyler Benson", "Anita Collins", author="amy")
    _confirmed(store, "Noah Price", "Dan Ross", author="ben")
    store.add_record(None, complete_record(subject="Lily Materner"), author="amy")  # a draft
    everyone = {n.text for n in known_names(store)}
    assert {"Tyler Benson", "Anita Collins", "Noah Price", "Dan Ross", "Northshire Police"} <= everyone
    assert "Lily Materner" not in everyone  # a draft holds what was heard, not what was checked
    amy = {n.text for n in known_names(store, NameScope(practitioner="amy"), caseload=["Kerry Benson"])}
    assert "Kerry Benson" in amy and "Tyler Benson" in amy
    assert not amy & {"Noah Price", "Dan Ross"}  # no name from Ben's cases
    assert [n.source for n in known_names(store, caseload=["Tyler Benson"])][0] == "caseload"


def test_review_screen_note_lists_corrections_and_marks() -> None:
    from speakcase.models.transcript import Segment
    from speakcase.tui.widgets.transcript import corrections_note

    words = tuple(vocabulary.correct_words(_words("the Mapper meeting"), vocabulary.known_terms()))
    marked = Segment(3.0, 6.0, "", (), review="Listen again: speech was detected here but not transcribed.")
    transcript = Transcript(
        "the MAPPA meeting", "en", 6.0, (Segment(0, 1.4, "the MAPPA meeting", words), marked)
    )
    note = corrections_note(transcript)
    assert 'heard "Mapper", written "MAPPA" (glossary, 1.00)' in note
    assert "3.0-6.0 s  Listen again" in note
    plain = Transcript("ok", "en", 1.0, (Segment(0, 1, "ok", tuple(_words("ok"))),))
    assert corrections_note(plain) == ""


def test_a_whole_name_heard_in_lower_case_needs_a_closer_match() -> None:
    names = ["Noah Fairbrother", "Hollybrook Primary School"]
    text, fixed = _correct("this is for no fair brother at Ollie Brook primary school", names)
    assert text == "this is for Noah Fairbrother at Hollybrook Primary School" and len(fixed) == 2
    assert _correct("the fair brother said no", names) == ("the fair brother said no", [])
