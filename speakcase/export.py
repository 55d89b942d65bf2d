"""A case's information-sharing log, exported as CSV, JSON or PDF for an auditor or a team manager."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from speakcase.errors import SpeakCaseError
from speakcase.models.audit import AuditReport
from speakcase.models.records import FIELD_NAMES
from speakcase.models.store import RecordInfo, RevisionInfo, Store
from speakcase.models.wording import FIELD_LABELS, summary_lines, value_text, when_text

FORMATS = ("csv", "json", "pdf")


@dataclass(frozen=True)
class Change:
    """One field an amendment changed."""

    field: str
    """Dotted field name."""
    before: Any
    """The value before."""
    after: Any
    """The value after."""


@dataclass(frozen=True)
class Amendment:
    """A change to a confirmed record, with its reason."""

    by: str
    """Who amended it."""
    at: datetime
    """When."""
    reason: str
    """Why (correction or challenge, and the practitioner's words)."""
    changes: tuple[Change, ...]
    """What changed."""


@dataclass(frozen=True)
class LogEntry:
    """A record as the log shows it: its fields, who confirmed it and when, and every amendment."""

    info: RecordInfo
    """The record's current fields and status."""
    confirmed_by: str | None
    """Who confirmed it (the first confirmation)."""
    confirmed_at: datetime | None
    """When."""
    confirm_note: str | None
    """What the confirmation noted, such as flagged values accepted as checked."""
    amendments: tuple[Amendment, ...]
    """Every amendment, oldest first."""


@dataclass(frozen=True)
class Log:
    """What an export holds."""

    title: str
    """The log's title."""
    exported_at: datetime
    """When it was made."""
    entries: tuple[LogEntry, ...]
    """The records, oldest event first."""
    audit: AuditReport
    """The audit chain's verification at export time."""


def _entry(info: RecordInfo, history: list[RevisionInfo]) -> LogEntry:
    confirm = next((r for r in history if r.change == "confirm"), None)
    amendments = []
    for before, revision in zip(history, history[1:], strict=False):
        if revision.change == "amend":
            changes = tuple(
                Change(name, before.record.get(name), revision.record.get(name))
                for name in FIELD_NAMES
                if before.record.get(name) != revision.record.get(name)
            )
            amendments.append(Amendment(_who(revision), revision.created_at, revision.reason or "", changes))
    return LogEntry(
        info,
        _who(confirm) if confirm else None,
        confirm.created_at if confirm else None,
        confirm.reason if confirm else None,
        tuple(amendments),
    )


def _who(revision: RevisionInfo) -> str:
    """The author, with the name typed beside a team-mode account."""
    return f"{revision.author} (signed {revision.signed_as})" if revision.signed_as else revision.author


def _same_name(a: str | None, b: str) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join(b.split()).casefold()


def select_records(store: Store, subject: str | None, status: str | None) -> list[RecordInfo]:
    """Records for exactly one subject (any case and spacing), or all; oldest event first.

    Raises SpeakCaseError when nothing matches, naming subjects that contain what was typed.
    """
    found = store.records(status=status, search=subject)
    if subject:
        exact = [r for r in found if _same_name(r.record.subject, subject)]
        if not exact:
            near = sorted({r.record.subject or "" for r in found if r.record.subject})
            hint = f" Subjects containing it: {', '.join(near)}; give one in full." if near else ""
            which = f"{status} " if status else ""
            raise SpeakCaseError(f"No {which}records have the subject {subject!r}.{hint}")
        found = exact
    elif not found:
        raise SpeakCaseError(f"No {status + ' ' if status else ''}records to export.")
    return sorted(found, key=lambda r: (r.record.occurred_at or "", r.id))


def build_log(store: Store, records: Sequence[RecordInfo], title: str) -> Log:
    """The log for `records`: each with its confirmation and amendments, and the audit chain's check."""
    entries = tuple(_entry(info, store.history(info.id)) for info in records)
    return Log(title, datetime.now().replace(microsecond=0), entries, store.verify_audit())


def audit_sentence(report: AuditReport) -> str:
    """The audit chain's verification as a sentence for the log."""
    tail = f"\nChain head {report.head} (check with `speakcase audit verify --expect HEAD`)."
    if report.ok:
        return f"Audit log verified at export: {report.events} events intact.{tail}"
    return (
        f"WARNING: the audit log fails verification at event {report.first_bad_seq}"
        f" ({report.problem}); this log may not match what was recorded.{tail}"
    )


def render(log: Log, fmt: str) -> bytes:
    """The log in the given format."""
    if fmt == "json":
        return json.dumps(_json(log), indent=2, ensure_ascii=False).encode()
    if fmt == "csv":
        return _csv(log)
    if fmt == "pdf":
        return _pdf(log)
    raise ValueError(f"unknown format {fmt!r}")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="minutes") if value else None


def _json(log: Log) -> dict[str, Any]:
    report = log.audit
    return {
        "title": log.title,
        "exported_at": _iso(log.exported_at),
        "audit_head": report.head,
        "audit": {
            "ok": report.ok,
            "events": report.events,
            "head": report.head,
            "problem": report.problem,
        },
        "records": [
            {
                "id": e.info.id,
                "status": e.info.status,
                "revision": e.info.revision,
                **e.info.record.to_dict(),
                "confirmed_by": e.confirmed_by,
                "confirmed_at": _iso(e.confirmed_at),
                "confirm_note": e.confirm_note,
                "amendments": [
                    {
                        "by": a.by,
                        "at": _iso(a.at),
                        "reason": a.reason,
                        "changes": [{"field": c.field, "from": c.before, "to": c.after} for c in a.changes],
                    }
                    for a in e.amendments
                ],
            }
            for e in log.entries
        ],
    }


def amendment_text(amendment: Amendment) -> str:
    """An amendment in one line: when, who, why, and what changed."""
    changes = "; ".join(
        f"{FIELD_LABELS[c.field]}: {value_text(c.field, c.before) or '(empty)'} -> "
        f"{value_text(c.field, c.after) or '(empty)'}"
        for c in amendment.changes
    )
    return f"{amendment.at:%Y-%m-%d %H:%M} by {amendment.by}. Reason: {amendment.reason}. Changed: {changes}"


def _csv(log: Log) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    names = list(FIELD_NAMES)
    writer.writerow(
        ["Record", "Status", "Revision", *(FIELD_LABELS[n] for n in names), "Confirmed by", "Confirmed at"]
        + ["Confirmation note", "Amendments", "Audit log"]
    )
    audit = audit_sentence(log.audit).replace("\n", " ")
    for e in log.entries:
        fields = [value_text(n, e.info.record.get(n)) for n in names]
        fields[names.index("occurred_at")] = (e.info.record.occurred_at or "").replace("T", " ")
        writer.writerow(
            [str(e.info.id), e.info.status, str(e.info.revision), *fields]
            + [e.confirmed_by or "", _iso(e.confirmed_at) or "", e.confirm_note or ""]
            + [" | ".join(amendment_text(a) for a in e.amendments), audit]
        )
    return buf.getvalue().encode("utf-8-sig")


_PLAIN = str.maketrans({"→": "->", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def _pdf(log: Log) -> bytes:
    from fpdf import FPDF

    class LogPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=7)
            self.cell(0, 5, _latin1(f"OFFICIAL-SENSITIVE · {log.title} · page {self.page_no()}/{{nb}}"))

    pdf = LogPDF(format="A4")
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, _latin1(log.title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("Helvetica", size=9)
    count = len(log.entries)
    head = f"Exported {log.exported_at:%Y-%m-%d %H:%M}; {count} record{'s' if count != 1 else ''}."
    pdf.multi_cell(0, 5, _latin1(head), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("Helvetica", "B" if not log.audit.ok else "", 9)
    pdf.multi_cell(0, 5, _latin1(audit_sentence(log.audit)), new_x="LMARGIN", new_y="NEXT", align="L")
    for entry in log.entries:
        _pdf_entry(pdf, entry)
    return bytes(pdf.output())


def _pdf_entry(pdf: Any, entry: LogEntry) -> None:
    record, info = entry.info.record, entry.info
    pdf.ln(3)
    pdf.set_draw_color(150)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 11)
    amended = f", amended {len(entry.amendments)}x" if entry.amendments else ""
    title = f"Record {info.id}: {record.kind}, {when_text(record.occurred_at)} ({info.status}{amended})"
    pdf.multi_cell(0, 6, _latin1(title), new_x="LMARGIN", new_y="NEXT", align="L")
    rows = summary_lines(record)
    if entry.confirmed_by:
        rows.append(("Confirmed", f"by {entry.confirmed_by}, {entry.confirmed_at:%Y-%m-%d %H:%M}"))
    else:
        rows.append(("Confirmed", "not confirmed"))
    if entry.confirm_note:
        rows.append(("Note", entry.confirm_note))
    for amendment in entry.amendments:
        rows.append(("Amended", f"{amendment.at:%Y-%m-%d %H:%M} by {amendment.by}"))
        rows.append(("    Reason", amendment.reason))
        for change in amendment.changes:
            before = value_text(change.field, change.before) or "(empty)"
            after = value_text(change.field, change.after) or "(empty)"
            rows.append((f"    {FIELD_LABELS[change.field]}", f"was: {before}\nnow: {after}"))
    label_width = 40
    for label, words in rows:
        if pdf.get_y() > pdf.h - 30:  # a label and its words stay on one page
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(label_width, 5, _latin1(label), new_x="RIGHT", new_y="TOP", align="L")
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(pdf.l_margin + label_width, y)
        pdf.multi_cell(0, 5, _latin1(words), new_x="LMARGIN", new_y="NEXT", align="L")


def write_private(path: Path, data: bytes) -> None:
    """Write an export readable by its owner only, atomically, never through a planted file or link."""
    from speakcase.files import write_private as write

    write(path, data)
