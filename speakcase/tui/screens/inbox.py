"""The inbox: failed memos with their error, then records (drafts first), searchable and paged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static
from textual.worker import Worker

from speakcase.models.store import InboxFilter, InboxRow, MemoInfo
from speakcase.tui.messages import StoreFailed, failure_text
from speakcase.tui.screens.dialogs import ChoiceDialog
from speakcase.tui.search import SEARCH_HELP, parse_search

if TYPE_CHECKING:
    from speakcase.tui.app import ReviewApp

PAGE = 100
STATUS_STYLES = {"draft": "bold", "discarded": "dim"}
DEBOUNCE_S = 0.25
STATUS_OPTIONS = (
    ("Drafts, confirmed", "open"),
    ("Drafts", "draft"),
    ("Confirmed", "confirmed"),
    ("Discarded", "discarded"),
)


def _cut(value: str | None, width: int) -> str:
    value = value or ""
    return value if len(value) <= width else value[: width - 1] + "…"


def row_cells(row: InboxRow) -> tuple[Text, ...]:
    """The table cells for one inbox line (Text, so the table never parses markup in people's names)."""
    memo = f"#{row.memo_id}" if row.memo_id is not None else "hand"
    when = (row.occurred_at or "—").replace("T", " ")
    style = STATUS_STYLES.get(row.status, "")
    cells = (row.status, when, _cut(row.subject, 14), _cut(row.counterpart, 48), row.kind, memo)
    return (Text(cells[0], style=style), *(Text(c) for c in cells[1:]))


class InboxScreen(Screen[None]):
    """Memos and records waiting for review."""

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("ctrl+f", "search", "Search", show=False, priority=True),
        Binding("ctrl+n", "new_record", "New", priority=True),
        Binding("ctrl+t", "retry", "Retry", priority=True),
        Binding("f5", "refresh", "Refresh"),
    ]
    PALETTE = (
        ("Search records", "Focus the search box", "search"),
        ("Add a record by hand", "For an event the extraction missed", "new_record"),
        ("Retry the failed memo", "Re-run transcription and extraction on it", "retry"),
        ("Refresh the inbox", "Read the database again", "refresh"),
        ("Show drafts", "Only records waiting for review", "status('draft')"),
        ("Show confirmed records", "Only confirmed records", "status('confirmed')"),
        ("Show discarded records", "Drafts set aside, kept in history", "status('discarded')"),
        ("Show drafts and confirmed", "The default view", "status('open')"),
    )

    class Loaded(Message):
        """A page of inbox lines (and, on a full reload, the failed memos) was read."""

        def __init__(
            self,
            generation: int,
            rows: list[InboxRow],
            total: int | None,
            failed: list[MemoInfo] | None,
            append: bool,
        ) -> None:
            super().__init__()
            self.generation, self.rows, self.total = generation, rows, total
            self.failed, self.append = failed, append

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0
        self.total = 0
        self.loaded_rows = 0
        self._debounce: Timer | None = None

    @property
    def review(self) -> ReviewApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder=SEARCH_HELP, id="search", compact=True)
            yield Select(STATUS_OPTIONS, value="open", allow_blank=False, id="status", compact=True)
        yield Static("Loading…", id="summary")
        yield Label("Failed memos (enter: details, ctrl+t: retry)", id="failed-title")
        yield DataTable(id="failed", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="records", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        failed = self.query_one("#failed", DataTable)
        failed.add_column("Memo", width=5)
        failed.add_column("Tries", width=5)
        failed.add_column("Error", width=max(20, self.app.size.width - 22))
        records = self.query_one("#records", DataTable)
        with_width = max(10, min(48, self.app.size.width - 66))
        for label, width in (
            ("Status", 9),
            ("When", 16),
            ("Subject", 14),
            ("With", with_width),
            ("Kind", 8),
            ("Memo", 4),
        ):
            records.add_column(label, width=width)
        records.focus()
        self.reload(with_memos=True)

    def on_screen_resume(self) -> None:
        if self.generation:
            self.reload(with_memos=True)

    def current_filter(self) -> InboxFilter:
        """The filter the search box and status choice describe."""
        status = self.query_one("#status", Select).value
        return parse_search(self.query_one("#search", Input).value, None if status == "open" else str(status))

    def reload(self, with_memos: bool = False) -> Worker[None]:
        """Read the first page again for the current filter."""
        self.generation += 1
        return self._fetch(self.generation, self.current_filter(), 0, with_memos)

    @work(thread=True, group="inbox", exclusive=True)
    def _fetch(self, generation: int, filters: InboxFilter, offset: int, with_memos: bool) -> None:
        store = self.review.store
        try:
            rows = store.inbox(filters, limit=PAGE, offset=offset)
            total = store.count_inbox(filters) if offset == 0 else None
            failed = store.memos("failed") if with_memos else None
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.post_message(StoreFailed(failure_text(exc)))
            return
        self.post_message(self.Loaded(generation, rows, total, failed, append=offset > 0))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        if event.failed is not None:
            self._show_failed(event.failed)
        if event.generation != self.generation:
            return
        table = self.query_one("#records", DataTable)
        keep = None if event.append else self._highlighted_key(table)
        if not event.append:
            table.clear()
        for row in event.rows:
            if str(row.id) not in table.rows:
                table.add_row(*row_cells(row), key=str(row.id))
        if event.total is not None:
            self.total = event.total
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._show_summary()

    def _show_summary(self) -> None:
        table = self.query_one("#records", DataTable)
        if self.total == 0:
            text = "No records match. ctrl+n adds one by hand; `speakcase process` turns memos into drafts."
        else:
            noun = "record" if self.total == 1 else "records"
            text = f"{self.total:,} {noun}, drafts first · showing {table.row_count:,}"
        self.query_one("#summary", Static).update(text)

    def _show_failed(self, memos: list[MemoInfo]) -> None:
        table = self.query_one("#failed", DataTable)
        table.clear()
        for memo in memos:
            table.add_row(f"#{memo.id}", str(memo.attempts), memo.error or "unknown error", key=str(memo.id))
        table.styles.height = min(len(memos), 3) + 1
        self.set_class(bool(memos), "has-failed")

    @staticmethod
    def _highlighted_key(table: DataTable) -> str | None:
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None

    @on(DataTable.RowHighlighted, "#records")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if event.cursor_row >= table.row_count - 10 and table.row_count < self.total:
            self._fetch(self.generation, self.current_filter(), table.row_count, False)

    @on(DataTable.RowSelected, "#records")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.review.open_record(int(str(event.row_key.value)))

    @on(DataTable.RowSelected, "#failed")
    def _failed_details(self, event: DataTable.RowSelected) -> None:
        memo_id = int(str(event.row_key.value))
        error = str(event.data_table.get_row(event.row_key)[2])
        choices = [("Retry", "retry", "primary"), ("Close", "close", "default")]

        def chosen(answer: str | None) -> None:
            if answer == "retry":
                self.review.retry_memo(memo_id)

        self.app.push_screen(ChoiceDialog(f"Memo {memo_id} failed", error, choices), chosen)

    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_S, self.reload)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.reload()
        self.query_one("#records").focus()

    @on(Select.Changed, "#status")
    def _status_changed(self) -> None:
        self.reload()

    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#search").focus()

    def action_status(self, status: str) -> None:
        """Show records of one status ("open": drafts and confirmed)."""
        self.query_one("#status", Select).value = status

    def action_refresh(self) -> None:
        """Read the database again."""
        self.reload(with_memos=True)

    def action_new_record(self) -> None:
        """Add a record by hand, in the highlighted record's memo."""
        table = self.query_one("#records", DataTable)
        key = self._highlighted_key(table)
        memo = str(table.get_row(key)[5]) if key is not None else "hand"
        self.review.new_record(int(memo[1:]) if memo.startswith("#") else None)

    def action_retry(self) -> None:
        """Re-run the highlighted failed memo."""
        table = self.query_one("#failed", DataTable)
        key = self._highlighted_key(table)
        if key is None:
            self.notify("No failed memo to retry.", severity="warning")
            return
        self.review.retry_memo(int(key))
