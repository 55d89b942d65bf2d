"""Known people and organisations: the names recognition is biased towards and heard names resolve to.

Names come from two places: a caseload the practitioner gives (`--case NAME`, repeatable) and the
store's confirmed records (subjects, counterparts and their organisations, consent givers). Draft
records are not used: their names are what the recogniser heard, not what a person checked.

The store lookup takes a scope so that team mode can keep names inside the practitioner's own cases:
`NameScope(practitioner="j.smith")` returns only names from records that practitioner confirmed, so a
name from one practitioner's cases is never suggested to another. `NameScope()` (single-user mode,
today's default) takes every confirmed record in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["KnownName", "NameScope", "known_names"]


@dataclass(frozen=True)
class NameScope:
    """Whose confirmed records may lend their names."""

    practitioner: str | None = None
    """Only records confirmed by this author (team mode); None: all confirmed records (single user)."""


@dataclass(frozen=True)
class KnownName:
    """A name with where it came from, shown beside a correction it makes."""

    text: str
    """The spelling to use."""
    source: str
    """"caseload" (given with --case) or "store" (a confirmed record)."""

    def __str__(self) -> str:
        return self.text


def known_names(
    store: Any | None, scope: NameScope | None = None, caseload: Iterable[str] = ()
) -> list[KnownName]:
    """The caseload's names first, then the confirmed records' in scope, deduplicated (case-blind)."""
    out: dict[str, KnownName] = {}
    for name in caseload:
        cleaned = " ".join(str(name).split())
        if cleaned:
            out.setdefault(cleaned.casefold(), KnownName(cleaned, "caseload"))
    if store is not None:
        scope = scope or NameScope()
        for name in store.confirmed_names(author=scope.practitioner):
            out.setdefault(name.casefold(), KnownName(name, "store"))
    return list(out.values())
