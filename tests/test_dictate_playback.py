"""Playing the evidence on a real PulseAudio server: what reaches the null sink's monitor is compared
sample by sample with the memo's audio between the evidence words' timings (half a second either side)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.fixtures_paths import AUDIO
from tests.pulse import pulse_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def police(transcriber):
    return transcriber.transcribe(AUDIO / "memo_police.ogg")


def ncc_find(piece: np.ndarray, source: np.ndarray) -> tuple[int, float]:
    """Where `piece` best matches in `source` (normalised cross-correlation) and how well."""
    n = len(source) + len(piece)
    size = 1 << (n - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(source, size) * np.conj(np.fft.rfft(piece, size)), size)
    corr = corr[: len(source) - len(piece) + 1]
    energy = np.convolve(source * source, np.ones(len(piece)), mode="valid")
    ncc = corr / np.sqrt(np.maximum(energy, 1e-12) * float(piece @ piece))
    at = int(np.argmax(ncc))
    return at, float(ncc[at])


def heard_span(recorded: np.ndarray, source: np.ndarray) -> tuple[float, float, float]:
    """(first, last) second of `source` the speakers played, and the share of loud pieces that are
    the memo's own samples in order.

    Each loud 0.1 s piece of the recording is looked up in the memo; a busy machine may underrun
    the device, which puts silence between pieces (a piece straddling a gap matches worse) but never
    other audio, and never plays anything twice or out of order.
    """
    found: list[tuple[int, float]] = []
    for i in range(0, len(recorded) - 1600, 1600):
        piece = recorded[i : i + 1600]
        if np.sqrt(np.mean(piece**2)) > 0.05:
            at, score = ncc_find(piece, source)
            found.append((at - i, score))
    assert found, "nothing loud was played"
    good = [offset for offset, score in found if score > 0.98]
    # recorded[i] is source[i + offset]: silence let in by an underrun lowers the offset, nothing raises it
    in_order = all(b - a <= 2 for a, b in zip(good, good[1:], strict=False))
    share = len(good) / len(found) if in_order else 0.0
    played = np.nonzero(np.abs(recorded) > 1e-3)[0]
    first = (int(played[0]) + good[0]) / 16000 if good else -1.0
    last = (int(played[-1]) + 1 + good[-1]) / 16000 if good else -1.0
    return first, last, share


def play_and_capture(server, player, start, end):
    monitor = server.monitor()
    time.sleep(0.4)
    player.play(start, end)
    assert player.wait(30)
    time.sleep(0.4)
    return monitor.stop()


def test_evidence_window_covers_the_words_with_half_a_second(police):
    from speakcase.pipelines.playback import evidence_window, timed_words

    at = police.text.index("Davies")
    window = evidence_window(police, at, at + len("Davies"))
    assert window is not None
    t0, t1 = window
    word = next(w for w in timed_words(police) if w.char_start <= at < w.char_end)
    assert t0 == pytest.approx(word.start - 0.5) and t1 == pytest.approx(word.end + 0.5)
    assert evidence_window(police, len(police.text), len(police.text) + 3) is None


def test_plays_exactly_the_evidence_of_a_field(pulse_server, police):
    from speakcase.pipelines.audio import load_audio
    from speakcase.pipelines.playback import Player, evidence_window

    samples = load_audio(AUDIO / "memo_police.ogg")
    at = police.text.index("Davies")
    window = evidence_window(police, police.text.index("Mark"), at + len("Davies"))
    assert window is not None
    t0, t1 = window
    player = Player(samples)
    recorded = play_and_capture(pulse_server, player, t0, t1)
    first, last, r = heard_span(recorded, samples)
    assert r > 0.6  # the memo's own samples, in order, nothing else
    # From the window's start (a monitor misses up to ~0.1 s as a stream starts: PulseAudio rewinds)
    # to its end, give or take the quiet at its edges.
    assert t0 - 0.01 <= first <= t0 + 0.12 and t1 - 0.12 <= last <= t1 + 0.01, (t0, t1, first, last)
    assert player.position == pytest.approx(t1, abs=0.05)


def test_plays_the_whole_memo_from_the_focused_sentence(pulse_server, police):
    from speakcase.pipelines.audio import load_audio
    from speakcase.pipelines.playback import Player, sentence_start, timed_words, word_at

    samples = load_audio(AUDIO / "memo_police.ogg")
    # A character inside the second sentence: play from that sentence's first word to the end.
    offset = police.text.index("Davies")
    start = sentence_start(police, offset)
    words = timed_words(police)
    opening = word_at(words, start + 0.01)
    assert opening is not None and police.text[opening.char_start : opening.char_end] == "At"
    player = Player(samples)
    seen: list[str] = []
    monitor = pulse_server.monitor()
    time.sleep(0.4)
    player.play(start)
    while player.playing:  # what a view highlights while it plays
        w = word_at(words, player.position)
        if w is not None and (not seen or seen[-1] != police.text[w.char_start : w.char_end]):
            seen.append(police.text[w.char_start : w.char_end])
        time.sleep(0.02)
    time.sleep(0.4)
    recorded = monitor.stop()
    first, last, r = heard_span(recorded, samples)
    assert r > 0.6 and start - 0.01 <= first <= start + 0.12 and last >= len(samples) / 16000 - 0.3
    assert seen[0] == "At" and "Davies" in seen and seen[-1].startswith("risk")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_record_screen_f6_plays_the_focused_fields_evidence(
    pulse_server, transcriber, extractor, store, tmp_path, anyio_backend
):
    """Textual's Pilot: a processed memo's draft, the counterpart's name focused, f6 -> its words heard."""
    import shutil

    from speakcase.pipelines.audio import load_audio
    from speakcase.pipelines.playback import evidence_window
    from speakcase.pipelines.process import process_file
    from speakcase.tui.app import ReviewApp
    from speakcase.tui.screens.record import RecordScreen
    from speakcase.tui.widgets.record_form import RecordForm
    from speakcase.tui.widgets.transcript import TranscriptView

    memo_file = tmp_path / "memo.ogg"
    shutil.copy(AUDIO / "memo_police.ogg", memo_file)
    result = process_file(store, memo_file, transcriber, extractor)
    record_id = result.record_ids[0]
    record = store.record(record_id).record
    evidence = record.evidence["counterpart.name"]
    transcript = store.transcript(result.memo_id)
    assert transcript is not None
    window = evidence_window(transcript, evidence.start, evidence.end)
    assert window is not None
    t0, t1 = window
    samples = load_audio(memo_file)
    from speakcase.config import save_config

    save_config({"practitioner": "Sam Tester"})
    async with ReviewApp(store).run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app = pilot.app
        assert isinstance(app, ReviewApp)
        app.open_record(record_id)
        for _ in range(50):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, RecordScreen) and screen.info is not None:
                break
        assert isinstance(screen, RecordScreen)
        screen.query_one(RecordForm).widget_for("counterpart.name").focus()
        await pilot.pause()
        monitor = pulse_server.monitor()
        await pilot.pause(0.4)
        await pilot.press("f6")
        lit: set[str] = set()
        view = screen.query_one(TranscriptView)
        for _ in range(200):
            await pilot.pause(0.03)
            if view.evidence is not None:
                lit.add(transcript.text[view.evidence.start : view.evidence.end])
            if screen._player is not None and not screen._player.playing and screen._listen_timer is None:
                break
        await pilot.pause(0.4)
        recorded = monitor.stop()
    first, last, r = heard_span(recorded, samples)
    assert r > 0.6 and t0 - 0.01 <= first <= t0 + 0.12 and t1 - 0.12 <= last <= t1 + 0.01
    # The words played were lit one by one, the name among them.
    name_words = set(transcript.text[evidence.start : evidence.end].split())
    assert name_words & lit, (lit, name_words)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_inbox_f8_dictates_into_a_draft_that_opens(
    pulse_server, transcriber, extractor, store, anyio_backend
):
    """Textual's Pilot: f8 in the inbox, the memo spoken into the microphone, enter -> its draft opens."""
    from speakcase.config import save_config
    from speakcase.pipelines.audio import load_audio
    from speakcase.tui.app import ReviewApp
    from speakcase.tui.screens.dictate import DictateScreen
    from speakcase.tui.screens.record import RecordScreen

    save_config({"practitioner": "Sam Tester"})
    speech = load_audio(AUDIO / "memo_police.ogg")
    async with ReviewApp(store).run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        screen = pilot.app.screen
        assert isinstance(screen, DictateScreen)
        for _ in range(300):
            await pilot.pause(0.05)
            if screen.state == "recording":
                break
        assert screen.state == "recording", screen.state
        feeder = pulse_server.speak(speech, speed=3.0)
        while feeder.is_alive():
            await pilot.pause(0.1)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.session.recorder.elapsed >= len(speech) / 16000 + 0.3:
                break
        status = str(screen.query_one("#dictate-status").render())
        assert status.startswith("Recording  00:1"), status  # elapsed time shown, 15 s memo
        await pilot.press("enter")
        for _ in range(600):
            await pilot.pause(0.05)
            if isinstance(pilot.app.screen, RecordScreen) and pilot.app.screen.info is not None:
                break
        record_screen = pilot.app.screen
        assert isinstance(record_screen, RecordScreen) and record_screen.info is not None
        memo = store.memo(record_screen.info.memo_id)
        assert memo.status == "done" and memo.paths[0].endswith(".flac")
        assert "Davies" in (store.transcript(memo.id).text or "")
