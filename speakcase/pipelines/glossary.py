"""Safeguarding vocabulary to bias the recogniser towards: built-in terms, the user's file, caller names."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from speakcase import config

# Only terms tiny.en gets wrong unaided. A long hint list costs more than it gives: with ~390
# characters of hints (everyday words included) tiny.en dropped the whole first 30 s window of 2 of
# 3 espeak memos, and a short list of these hard terms kept every word (bench/transcribe.py).
BUILTIN_TERMS: tuple[str, ...] = (
    "section 47",
    "section 17",
    "section 20",
    "MASH",
    "MARAC",
    "MAPPA",
    "LADO",
    "CAMHS",
    "IDVA",
    "DSL",
    "Cafcass",
    "Caldicott guardian",
    "strategy discussion",
    "child protection plan",
    "designated safeguarding lead",
    "Working Together",
    "Children Act",
    "health visitor",
    "enquiry",
)
"""Terms a UK safeguarding social worker dictates that Whisper tends to mishear."""
MAX_PROMPT_CHARS = 250
"""Longest bias string; caller names come first, so they can crowd built-in terms out."""

__all__ = ["BUILTIN_TERMS", "bias_prompt", "glossary_path", "glossary_terms", "read_user_terms"]


def glossary_path() -> Path:
    """The user glossary: config key "glossary_file", else glossary.txt beside the settings file."""
    configured = config.load_config().get("glossary_file")
    if configured:
        return Path(str(configured)).expanduser()
    return config.config_path().parent / "glossary.txt"


def read_user_terms(path: Path | None = None) -> tuple[str, ...]:
    """One term per line from the user glossary; blank lines and `#` comments skipped, absent file empty."""
    path = path or glossary_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def glossary_terms(extra_terms: Iterable[str] = (), user_file: Path | None = None) -> tuple[str, ...]:
    """Caller names (people, organisations), then the user's terms, then the built-ins, deduplicated."""
    seen: set[str] = set()
    terms: list[str] = []
    for term in (*extra_terms, *read_user_terms(user_file), *BUILTIN_TERMS):
        cleaned = " ".join(str(term).split())
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            terms.append(cleaned)
    return tuple(terms)


def bias_prompt(terms: Iterable[str], max_chars: int = MAX_PROMPT_CHARS) -> str:
    """The terms joined as a hotwords / initial-prompt string, cut at a whole term under `max_chars`."""
    out: list[str] = []
    length = 0
    for term in terms:
        if length + len(term) + 2 > max_chars:
            break
        out.append(term)
        length += len(term) + 2
    return ", ".join(out)
