"""The checks panel: what blocks confirming a record, which values to check, and what only warns."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from speakcase.models.checks import missing_for_confirmation, proportionality_warnings
from speakcase.models.flags import Flag
from speakcase.models.records import SharingRecord
from speakcase.models.wording import FIELD_LABELS

_ORDER = {"contradicted": 0, "after_recording": 1, "fragment": 2, "not_a_name": 3}
IDLE = {
    "confirmed": "Confirmed: read-only (ctrl+e to amend with a reason).",
    "discarded": "Discarded: kept in the history, read-only.",
}


class ChecksPanel(Static):
    """Lists the golden-rule checks and the value flags for the record being edited."""

    def show(self, record: SharingRecord, status: str, flags: list[Flag], blocked: bool = False) -> None:
        """Show the checks on `record` and its open `flags`; `blocked` after a refused confirm."""
        text = Text()
        missing = missing_for_confirmation(record) if status == "draft" or blocked else []
        if missing:
            head = "Cannot confirm yet, missing:" if blocked else "Needed before confirming:"
            text.append(head + "\n", style="bold red" if blocked else "bold")
            for finding in missing:
                text.append(f" ✗ {finding.message}\n", style="red")
        if flags and status == "draft":
            text.append("Check (correct it, or ctrl+o on it if right):\n", style="bold")
            for flag in sorted((f for f in flags if f.code != "unsure"), key=lambda f: _ORDER[f.code]):
                text.append(f" ? {flag.message}\n", style="yellow")
            unsure = [FIELD_LABELS[f.field] for f in flags if f.code == "unsure"]
            if unsure:
                text.append(
                    f" ? Unsure: {', '.join(unsure)}; check against the transcript.\n", style="yellow"
                )
        if not missing and not flags and status == "draft":
            text.append("✓ Ready to confirm (ctrl+s shows the summary).\n", style="green")
        for finding in proportionality_warnings(record):
            text.append(f" ! {finding.message}\n", style="dim")
        self.set_class(blocked and bool(missing or flags), "blocked")
        text.rstrip()
        self.update(text if text.plain else Text(IDLE.get(status, ""), style="dim"))
