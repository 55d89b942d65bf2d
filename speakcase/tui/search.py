"""Parsing the inbox search box: free words plus field prefixes (no Textual)."""

from __future__ import annotations

import shlex

from speakcase.models.store import InboxFilter

STATUSES = ("draft", "confirmed", "discarded")
_PREFIXES = {
    "subject": "subject",
    "about": "subject",
    "with": "counterpart",
    "counterpart": "counterpart",
    "date": "date",
    "when": "date",
    "status": "status",
}
SEARCH_HELP = "words, subject:amy  with:price  date:2026-11  status:draft"


def parse_search(text: str, status: str | None = None) -> InboxFilter:
    """The inbox filter for a search box's text and the status chosen beside it."""
    try:
        tokens = shlex.split(text)
    except ValueError:
        tokens = text.split()
    words: list[str] = []
    fields = {"subject": "", "counterpart": "", "date": "", "status": status or ""}
    for token in tokens:
        key, sep, value = token.partition(":")
        target = _PREFIXES.get(key.lower()) if sep else None
        if target is None:
            words.append(token)
        elif target == "status":
            if value.lower() in STATUSES:
                fields["status"] = value.lower()
        else:
            fields[target] = (fields[target] + " " + value).strip()
    return InboxFilter(
        status=fields["status"] or None,
        search=" ".join(words),
        subject=fields["subject"],
        counterpart=fields["counterpart"],
        date=fields["date"],
    )
