"""Reading and validating the rule data files of this package (JSONL rules, one JSON of lexicons).

Every rule file is JSON Lines: one rule object per line; blank lines and lines starting with `//`
are skipped. A rule is medspaCy-ConText-like:

- `literal` (string): the wording, matched by a PhraseMatcher on lower-cased tokens, both as
  written and as a speech recogniser gives it (no punctuation, no apostrophes, hyphens as spaces);
- `pattern` (list): a spaCy Matcher token pattern instead (with `literal` kept as its readable
  name); a value `"@lexicon"` inside `IN`/`NOT_IN` stands for that lexicon's words;
- `category` (string): what a match means (an agency code, a basis code, `MASH`...); each file
  has its own closed set of categories;
- `direction` (`forward`, `backward`, `bidirectional`) and `scope` (tokens) for context cues that
  act on a neighbouring match rather than being one;
- `comment` (string): free text for the reader;
- `allowed_types` (list of categories): a context cue acts only on matches of these categories
  (medspaCy's allowed_types), e.g. "had" rules out "just now" but not "had a call at ten";
- file-specific keys (e.g. `default_year` in legislation.jsonl) listed in `FileSpec.extra`.

An unknown key, an unknown category, a missing required key, a bad pattern or an unknown
`@lexicon` raises `RuleError` naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = [
    "LEXICON_NAMES",
    "FileSpec",
    "Match",
    "Rule",
    "RuleError",
    "expand_pattern",
    "load_lexicons",
    "read_rules",
]

BASE_KEYS = frozenset({"literal", "pattern", "category", "direction", "scope", "allowed_types", "comment"})
DIRECTIONS = frozenset({"forward", "backward", "bidirectional"})

LEXICON_NAMES = frozenset(
    {
        "numbers",
        "misheard_numbers",
        "ordinals",
        "months",
        "weekdays",
        "day_parts",
        "kin",
        "titles",
        "ranks",
        "approximators",
        "clock_directions",
        "corrections",
        "role_heads",
    }
)
"""The lexicons lexicons.json must hold (and may hold no others)."""


class RuleError(ValueError):
    """A rule data file is malformed: the message names the file and line."""


@dataclass(frozen=True)
class Rule:
    """One validated rule line."""

    file: str
    line: int
    category: str | None
    literal: str | None = None
    pattern: tuple[dict[str, Any], ...] | None = None
    direction: str | None = None
    scope: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


Match = tuple[int, int, Rule]
"""A match: token offsets [start, end) and the rule."""


@dataclass(frozen=True)
class FileSpec:
    """What one rule file may contain."""

    name: str
    categories: frozenset[str | None]
    extra: frozenset[str] = frozenset()
    needs_category: bool = True
    context: bool = False
    """Whether `direction`/`scope` are allowed (context cue files)."""


def _text(name: str) -> str:
    return (
        resources.files("speakcase.pipelines.extract.rules")
        .joinpath("data")
        .joinpath(name)
        .read_text("utf-8")
    )


def load_lexicons(text: str | None = None, name: str = "lexicons.json") -> dict[str, Any]:
    """The lexicons, each a list of words or a mapping word -> value, checked against LEXICON_NAMES."""
    try:
        raw = json.loads(_text(name) if text is None else text)
    except json.JSONDecodeError as exc:
        raise RuleError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise RuleError(f"{name}:1: must be an object of lexicons")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith("//"):
            continue
        if key not in LEXICON_NAMES:
            raise RuleError(f"{name}: unknown lexicon {key!r} (known: {', '.join(sorted(LEXICON_NAMES))})")
        words = value.get("words") if isinstance(value, dict) else None
        if not isinstance(words, list | dict) or set(value) - {"words", "comment"}:
            raise RuleError(f"{name}: lexicon {key!r} must be {{'words': [...] or {{...}}, 'comment': ...}}")
        seen = set()
        for word in words:
            if not isinstance(word, str) or word != word.lower() or word in seen:
                raise RuleError(f"{name}: lexicon {key!r}: {word!r} is not a new lower-case string")
            seen.add(word)
        out[key] = words
    missing = LEXICON_NAMES - set(out)
    if missing:
        raise RuleError(f"{name}: missing lexicons {', '.join(sorted(missing))}")
    return out


def expand_pattern(pattern: list[Any], lexicons: dict[str, Any], where: str) -> tuple[dict[str, Any], ...]:
    """The token pattern with every `"@lexicon"` in an IN / NOT_IN list replaced by the lexicon's words."""
    if not isinstance(pattern, list) or not pattern:
        raise RuleError(f"{where}: 'pattern' must be a non-empty list of token objects")
    out = []
    for token in pattern:
        if not isinstance(token, dict):
            raise RuleError(f"{where}: every pattern token must be an object, not {token!r}")
        out.append({k: _expand_value(v, lexicons, where) for k, v in token.items()})
    return tuple(out)


def _expand_value(value: Any, lexicons: dict[str, Any], where: str) -> Any:
    if isinstance(value, dict):
        return {k: _expand_value(v, lexicons, where) for k, v in value.items()}
    if isinstance(value, list):
        items: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("@"):
                if item[1:] not in lexicons:
                    raise RuleError(f"{where}: unknown lexicon {item!r}")
                items.extend(w for w in lexicons[item[1:]] if " " not in w)
            else:
                items.append(item)
        return items
    return value


def read_rules(spec: FileSpec, lexicons: dict[str, Any], text: str | None = None) -> list[Rule]:
    """The rules of one file (the packaged one unless `text` is given), validated line by line."""
    source = _text(spec.name) if text is None else text
    rules = []
    allowed = BASE_KEYS | spec.extra
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        where = f"{spec.name}:{number}"
        try:
            raw = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise RuleError(f"{where}: not valid JSON: {exc.msg}") from None
        if not isinstance(raw, dict):
            raise RuleError(f"{where}: a rule must be a JSON object")
        unknown = set(raw) - allowed
        if unknown:
            keys, known = ", ".join(sorted(unknown)), ", ".join(sorted(allowed))
            raise RuleError(f"{where}: unknown key(s) {keys} (allowed: {known})")
        if "literal" not in raw and "pattern" not in raw:
            raise RuleError(f"{where}: a rule needs 'literal' or 'pattern'")
        literal = raw.get("literal")
        if literal is not None and (not isinstance(literal, str) or not literal.strip()):
            raise RuleError(f"{where}: 'literal' must be a non-empty string")
        if spec.needs_category and "category" not in raw:
            raise RuleError(f"{where}: missing 'category'")
        category = raw.get("category")
        if category not in spec.categories:
            known = ", ".join(sorted(str(c) for c in spec.categories))
            raise RuleError(f"{where}: unknown category {category!r} (known: {known})")
        direction, scope = raw.get("direction"), raw.get("scope")
        if (direction is not None or scope is not None) and not spec.context:
            raise RuleError(f"{where}: 'direction'/'scope' are only for context cue files")
        if direction is not None and direction not in DIRECTIONS:
            raise RuleError(
                f"{where}: unknown direction {direction!r} (known: {', '.join(sorted(DIRECTIONS))})"
            )
        if scope is not None and (not isinstance(scope, int) or isinstance(scope, bool) or scope < 1):
            raise RuleError(f"{where}: 'scope' must be a positive number of tokens")
        allowed_types = raw.get("allowed_types")
        if allowed_types is not None:
            if not spec.context or not isinstance(allowed_types, list):
                raise RuleError(f"{where}: 'allowed_types' is a list, only for context cue files")
            for kind in allowed_types:
                if kind not in spec.categories:
                    raise RuleError(f"{where}: unknown category {kind!r} in allowed_types")
        pattern = expand_pattern(raw["pattern"], lexicons, where) if "pattern" in raw else None
        extra = {k: raw[k] for k in (*spec.extra, "allowed_types") if k in raw}
        rules.append(Rule(spec.name, number, category, literal, pattern, direction, scope, extra))
    return rules
