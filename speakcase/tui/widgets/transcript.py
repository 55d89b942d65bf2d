"""The transcript pane: the memo's text, uncertain words marked, the focused field's evidence lit."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from speakcase.models.records import Evidence
from speakcase.models.transcript import Transcript

LOW_PROBABILITY = 0.5
UNSURE_STYLE = "underline italic #ffaf5f"
EVIDENCE_STYLE = "bold reverse"


def unsure_spans(transcript: Transcript, threshold: float = LOW_PROBABILITY) -> list[tuple[int, int]]:
    """Character spans in transcript.text of the words recognised with probability below `threshold`."""
    return [(at, end) for word, at, end in transcript.word_spans() if word.probability < threshold]


def corrections_note(transcript: Transcript) -> str:
    """One line per word corrected after recognition (glossary, section number, known name) and per
    stretch the hallucination guard wants listened to; "" when there is none (issue 12's hook)."""
    lines = [
        f'  {c["start"]:.1f} s  heard "{c["heard"]}", written "{c["word"]}" ({c["source"]}, {c["match"]:.2f})'
        for c in transcript.corrections()
    ]
    lines += [f"  {s.start:.1f}-{s.end:.1f} s  {s.review}" for s in transcript.segments if s.review]
    return "Changed after recognition or to listen to:\n" + "\n".join(lines) if lines else ""


def paragraph_spans(transcript: Transcript) -> list[tuple[int, int]]:
    """Character spans of the transcript's sentences-ending segment runs (one block when not found)."""
    text, cursor = transcript.text, 0
    spans: list[tuple[int, int]] = []
    open_block = False
    for segment in transcript.segments:
        token = segment.text.strip()
        at = text.find(token, cursor) if token else -1
        if at < 0:
            return [(0, len(text))]
        if open_block:  # the recogniser split mid-sentence: keep reading in the same paragraph
            spans[-1] = (spans[-1][0], at + len(token))
        else:
            spans.append((cursor if not spans else at, at + len(token)))
        open_block = not token.endswith((".", "?", "!"))
        cursor = at + len(token)
    if not spans:
        return [(0, len(text))]
    spans[-1] = (spans[-1][0], len(text))
    return spans


class TranscriptView(VerticalScroll, can_focus=False):
    """The memo transcript, one block per segment so the evidence can be scrolled into view."""

    DEFAULT_CLASSES = "pane"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.transcript: Transcript | None = None
        self._unsure: list[tuple[int, int]] = []
        self._blocks: list[tuple[int, int]] = []
        self.evidence: Evidence | None = None

    def show(
        self, transcript: Transcript | None, note: str = "No transcript: this record was added by hand."
    ) -> None:
        """Replace the text shown."""
        self.transcript = transcript
        self.remove_children()
        if transcript is None or not transcript.text.strip():
            self.mount(Static(note, classes="transcript-note"))
            return
        self._unsure = unsure_spans(transcript)
        self._blocks = paragraph_spans(transcript)
        self.mount_all(Static(self._render_block(s, e), classes="segment") for s, e in self._blocks)
        if note_text := corrections_note(transcript):
            self.mount(Static(note_text, classes="transcript-note"))

    def highlight(self, evidence: Evidence | None) -> None:
        """Light up one evidence span (or none) and scroll it into view."""
        self.evidence = evidence
        if self.transcript is None or not self._blocks:
            return
        blocks = list(self.query(".segment").results(Static))
        target: Static | None = None
        for widget, (start, end) in zip(blocks, self._blocks, strict=False):
            widget.update(self._render_block(start, end))
            if evidence is not None and start <= evidence.start < max(end, start + 1):
                target = widget
        if target is not None:
            self.scroll_to_widget(target, animate=False)

    def _render_block(self, start: int, end: int) -> Text:
        assert self.transcript is not None
        chunk = self.transcript.text[start:end]
        offset = start + len(chunk) - len(chunk.lstrip())
        text = Text(chunk.strip())
        spans = [(a, b, UNSURE_STYLE) for a, b in self._unsure]
        if self.evidence is not None:
            spans.append((self.evidence.start, self.evidence.end, EVIDENCE_STYLE))
        for a, b, style in spans:
            a, b = max(a - offset, 0), min(b - offset, len(text))
            if a < b:
                text.stylize(style, a, b)
        return text
