"""A case's information-sharing log, exported as CSV, JSON or PDF."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from speakcase.models.records import FIELD_NAMES
from speakcase.models.store import RecordInfo, Store

FORMATS = ("csv", "json", "pdf")
_COLUMNS = ("id", "status", "revision", *FIELD_NAMES)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return "; ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _rows(records: Sequence[RecordInfo]) -> list[list[str]]:
    return [
        [str(r.id), r.status, str(r.revision), *(_cell(r.record.get(f)) for f in FIELD_NAMES)]
        for r in records
    ]


def select_records(store: Store, subject: str | None, status: str | None) -> list[RecordInfo]:
    """Records for one subject (or all), oldest event first, as a log reads."""
    found = store.records(status=status, search=subject)
    if subject:
        wanted = subject.lower()
        found = [r for r in found if wanted in (r.record.subject or "").lower()]
    return sorted(found, key=lambda r: (r.record.occurred_at or "", r.id))


def render(records: Sequence[RecordInfo], fmt: str, title: str, audit_head: str | None = None) -> bytes:
    """The log in the given format; `audit_head` (COUNT:HASH) lets an auditor check the chain later."""
    if fmt == "json":
        items = [
            {"id": r.id, "status": r.status, "revision": r.revision, **r.record.to_dict()} for r in records
        ]
        doc = {"title": title, "audit_head": audit_head, "records": items}
        return json.dumps(doc, indent=2, ensure_ascii=False).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(_COLUMNS)
        writer.writerows(_rows(records))
        return buf.getvalue().encode("utf-8-sig")
    if fmt == "pdf":
        return _pdf(records, title, audit_head)
    raise ValueError(f"unknown format {fmt!r}")


def _pdf(records: Sequence[RecordInfo], title: str, audit_head: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(
        0,
        5,
        f"Exported {datetime.now():%Y-%m-%d %H:%M}; {len(records)} record(s). OFFICIAL-SENSITIVE."
        + (f" Audit head {audit_head}." if audit_head else ""),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for r in records:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(
            0,
            6,
            _latin1(
                f"Record {r.id}: {r.record.kind}, {r.record.occurred_at or 'time not set'}"
                f" ({r.status}, revision {r.revision})"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", size=9)
        for name in FIELD_NAMES[1:]:
            value = _cell(r.record.get(name))
            if value:
                pdf.multi_cell(0, 5, _latin1(f"{name}: {value}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def write_private(path: Path, data: bytes) -> None:
    """Write an export readable by its owner only, atomically, never through a planted file or link."""
    from speakcase.files import write_private as write

    write(path, data)
