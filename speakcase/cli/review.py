"""`speakcase review`: the Textual app (imported only when the command runs, so --help stays fast)."""

from __future__ import annotations

from speakcase.cli import db_option, main


@main.command()
@db_option
def review(db_url: str | None) -> None:
    """Review, correct and confirm draft records in a terminal UI."""
    from speakcase.cli.common import open_store

    store = open_store(db_url)  # before the app starts: a bad --db is one clear error, not a broken screen
    try:
        from speakcase.tui.app import ReviewApp

        ReviewApp(store).run()
    finally:
        store.close()
