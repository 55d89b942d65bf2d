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
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(out.stdout.split())


def test_core_does_not_import_textual():
    imports = "\n".join(
        f"try:\n    import {m}\nexcept ModuleNotFoundError as e:\n    assert e.name == '{m}', e" for m in CORE
    )
    assert not any(m == "textual" or m.startswith("textual.") for m in _loaded_after(imports))


def test_cli_help_loads_no_model_library():
    loaded = _loaded_after("from speakcase.cli import main")
    assert not {"faster_whisper", "ctranslate2", "spacy", "textual", "torch"} & loaded
