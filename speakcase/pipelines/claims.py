"""Who holds a memo: a claim names its process (host:pid), so a dead claimant's memo is taken back at once."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta

from speakcase.models.store import Store

__all__ = ["STALE_AFTER", "claimant_is_dead", "take_back_if_dead", "take_back_stale_claims", "worker_name"]

STALE_AFTER = timedelta(minutes=30)
"""A claim whose process cannot be checked (another machine's) is taken back after this long."""


def worker_name(pid: int | None = None) -> str:
    """A claim name, "host:pid", which lets a later run check whether its process is still alive."""
    return f"{socket.gethostname()}:{pid or os.getpid()}"


def claimant_is_dead(claimed_by: str, claimed_at: datetime | None) -> bool:
    """True when the claim names a process on this machine that has exited (or whose pid was reused)."""
    import psutil

    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only the age rule applies
    try:
        process = psutil.Process(int(pid))
        if process.status() == psutil.STATUS_ZOMBIE:
            return True
        started = process.create_time()
    except psutil.NoSuchProcess:
        return True
    if claimed_at is not None:
        claimed = claimed_at if claimed_at.tzinfo else claimed_at.replace(tzinfo=UTC)
        return started > claimed.timestamp() + 1  # the pid now belongs to a newer process
    return False


def take_back_if_dead(store: Store, memo_id: int) -> bool:
    """Requeue one memo whose claimant has died; True if it was taken back."""
    for claimed_id, claimed_by, claimed_at in store.claims():
        if claimed_id == memo_id and claimed_by and claimant_is_dead(claimed_by, claimed_at):
            store.release_memo(memo_id, claimed_by)
            return True
    return False


def take_back_stale_claims(store: Store, stale_after: timedelta = STALE_AFTER) -> int:
    """Requeue memos claimed by a process that is dead (same host) or silent too long; returns how many."""
    taken = 0
    for memo_id, claimed_by, claimed_at in store.claims():
        if claimed_by and claimant_is_dead(claimed_by, claimed_at):
            store.release_memo(memo_id, claimed_by)
            taken += 1
    return taken + store.requeue_stale(stale_after)
