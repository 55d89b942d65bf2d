"""The core never imports Textual, and the CLI starts without loading models."""

import subprocess
import sys

CORE = [
    "speakcase.models.store",
    "speakcase.models.records",
    "speakcase.pipelines.process",
    "speakcase.pipelines.extract",
    "speakcase.pipelines.transcribe",
    "speakcase.pipelines.batch",
]


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`; an import that fails fails the test."""
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_core_does_not_import_textual():
    imports = "\n".join(f"import {m}" for m in CORE)  # a core module that is missing is a failure
    assert not any(m == "textual" or m.startswith("textual.") for m in _loaded_after(imports))


def test_cli_help_loads_no_model_library():
    loaded = _loaded_after("from speakcase.cli import main")
    assert not {"faster_whisper", "ctranslate2", "spacy", "textual", "torch"} & loaded
