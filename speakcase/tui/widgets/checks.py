"""The checks panel: what blocks confirming a record, which values to check, and what only warns."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from speakcase.models.checks import missing_for_confirmation, proportionality_warnings
from speakcase.models.flags import Flag
from speakcase.models.records import SharingRecord

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
            text.append("Check these values (correct, or ctrl+o if right):\n", style="bold")
            for flag in flags:
                text.append(f" ? {flag.message}\n", style="yellow")
        if not missing and not flags and status == "draft":
            text.append("✓ Ready to confirm (ctrl+s shows the summary).\n", style="green")
        for finding in proportionality_warnings(record):
            text.append(f" ! {finding.message}\n", style="dim")
        self.set_class(blocked and bool(missing or flags), "blocked")
        text.rstrip()
        self.update(text if text.plain else Text(IDLE.get(status, ""), style="dim"))
