"""Listening on the record screen: f6 plays the focused field's evidence (half a second either side),
f7 plays the memo from the focused field's sentence; the word being played is lit in the transcript."""

from __future__ import annotations

from typing import Any

from speakcase.models.records import Evidence

__all__ = ["ListenMixin"]


class ListenMixin:
    """Mixed into the record screen, which has `info`, `record`, a TranscriptView and a RecordForm."""

    _player: Any = None
    _player_memo: int | None = None
    _listen_timer: Any = None

    def _listen_parts(self) -> tuple[Any, Any, str | None] | None:
        from speakcase.tui.widgets.record_form import RecordForm
        from speakcase.tui.widgets.transcript import TranscriptView

        view = self.query_one(TranscriptView)  # type: ignore[attr-defined]
        info = self.info  # type: ignore[attr-defined]
        if view.transcript is None or info is None or info.memo_id is None:
            self.notify("This record has no memo audio to play.", severity="warning")  # type: ignore[attr-defined]
            return None
        return view, info, self.query_one(RecordForm).focused_field()  # type: ignore[attr-defined]

    def _ensure_player(self, memo_id: int) -> Any:
        from speakcase.pipelines.playback import Player, memo_audio

        if self._player is None or self._player_memo != memo_id:
            self._player = Player.from_file(memo_audio(self.review.store, memo_id))  # type: ignore[attr-defined]
            self._player_memo = memo_id
        return self._player

    def _play(self, start: float, end: float | None) -> None:
        from speakcase.errors import SpeakCaseError

        parts = self._listen_parts()
        if parts is None:
            return
        view, info, _ = parts
        try:
            player = self._ensure_player(info.memo_id)
            if player.playing:
                self.action_stop_playing()
                return
            player.play(start, end)
        except SpeakCaseError as exc:
            self.notify(str(exc), severity="warning")  # type: ignore[attr-defined]
            return
        from speakcase.pipelines.playback import timed_words

        words = timed_words(view.transcript)
        if self._listen_timer is not None:
            self._listen_timer.stop()
        self._listen_timer = self.set_interval(0.05, lambda: self._follow(view, words))  # type: ignore[attr-defined]

    def _follow(self, view: Any, words: list[Any]) -> None:
        from speakcase.pipelines.playback import word_at

        player = self._player
        if player is None or not player.playing:
            self.action_stop_playing()
            return
        word = word_at(words, player.position)
        if word is not None:
            view.highlight(Evidence(word.char_start, word.char_end, 1.0))

    def _focused_evidence(self) -> tuple[Any, Evidence | None] | None:
        parts = self._listen_parts()
        if parts is None:
            return None
        view, _, name = parts
        return view.transcript, self.record.evidence.get(name) if name else None  # type: ignore[attr-defined]

    def action_play_evidence(self) -> None:
        """Play the audio behind the focused field's evidence, half a second either side."""
        from speakcase.pipelines.playback import evidence_window

        found = self._focused_evidence()
        if found is None:
            return
        transcript, evidence = found
        window = evidence_window(transcript, evidence.start, evidence.end) if evidence else None
        if window is None:
            self.notify("The focused field has no evidence in the memo to play.", severity="warning")  # type: ignore[attr-defined]
            return
        self._play(*window)

    def action_play_from_sentence(self) -> None:
        """Play the memo from the sentence of the focused field's evidence (else from the start)."""
        from speakcase.pipelines.playback import sentence_start

        found = self._focused_evidence()
        if found is None:
            return
        transcript, evidence = found
        self._play(sentence_start(transcript, evidence.start) if evidence else 0.0, None)

    def action_stop_playing(self) -> None:
        """Stop playing and light the focused field's evidence again."""
        from speakcase.tui.widgets.transcript import TranscriptView

        if self._listen_timer is not None:
            self._listen_timer.stop()
            self._listen_timer = None
        if self._player is not None:
            self._player.stop()
        parts = self.query_one(TranscriptView)  # type: ignore[attr-defined]
        name = self.query_one("#form").focused_field()  # type: ignore[attr-defined]
        parts.highlight(self.record.evidence.get(name) if name else None)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        if self._player is not None:
            self._player.stop()
