"""The chain head kept outside the database, so deleting the newest events (or all) is caught."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from speakcase.files import create_private, make_private_dir, write_private

__all__ = ["anchor_path", "database_identity", "read_anchor", "record_anchor"]


def anchor_path() -> Path:
    """SPEAKCASE_AUDIT_ANCHORS, else `audit-anchors.json` beside the user config."""
    from speakcase.config import config_path

    env = os.environ.get("SPEAKCASE_AUDIT_ANCHORS")
    return Path(env) if env else config_path().parent / "audit-anchors.json"


def database_identity(url: str) -> str:
    """A database's name in the anchor file: the real path of a SQLite file, else the URL sans password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return "sqlite:" + os.path.realpath(parsed.database)
    return parsed.render_as_string(hide_password=True)


def _load(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        from speakcase.errors import StoreError

        raise StoreError(f"The audit anchor file {path} is unreadable or damaged.") from None
    return data if isinstance(data, dict) else {}


def read_anchor(url: str) -> tuple[int, str] | None:
    """The head last anchored for this database, if any."""
    entry = _load(anchor_path()).get(database_identity(url))
    if not isinstance(entry, dict):
        return None
    count, head = entry.get("count"), entry.get("head")
    return (count, head) if isinstance(count, int) and isinstance(head, str) else None


def record_anchor(url: str, count: int, head: str) -> None:
    """Move this database's anchor forward to (count, head); never backwards."""
    import fcntl

    path = anchor_path()
    make_private_dir(path.parent)
    lock = path.with_name(path.name + ".lock")
    try:
        fd = create_private(lock)
    except FileExistsError:
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        anchors = _load(path)
        key = database_identity(url)
        known = anchors.get(key)
        known_count = known.get("count") if isinstance(known, dict) else None
        if isinstance(known_count, int) and known_count >= count:
            return
        anchors[key] = {"count": count, "head": head}
        write_private(path, json.dumps(anchors, indent=1, sort_keys=True).encode())
    finally:
        os.close(fd)
