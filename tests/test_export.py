"""Exporting a case's log: CSV, JSON and PDF an auditor can read, owner-only files, exact subjects."""

import csv
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from speakcase.models.store import Store
from tests.factories import complete_record, stored_record


def run_export(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "speakcase", "export", *args, "--db", db_url]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.fixture
def amended_db(db_url):
    """Leo Grant's record, confirmed by Sam Jones and amended by Ana Ruiz with a reason."""
    store = Store.open(db_url)
    record_id = stored_record(store)
    store.confirm(record_id, complete_record(), "Sam Jones")
    corrected = complete_record(**{"counterpart.name": "Priya Shaw"})
    store.amend(record_id, corrected, "Ana Ruiz", "correction: surname misheard")
    store.close()
    return db_url


def test_export_formats_say_who_confirmed_and_every_amendment(tmp_path, amended_db):
    for fmt in ("csv", "json", "pdf"):
        out = tmp_path / f"log.{fmt}"
        result = run_export(amended_db, "--subject", "leo grant", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"Wrote 1 record to {out}."  # the audit head is in the log itself
        assert out.stat().st_mode & 0o077 == 0
    rows = list(csv.DictReader((tmp_path / "log.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["With (name)"] == "Priya Shaw" and rows[0]["Confirmed by"] == "Sam Jones"
    assert rows[0]["Consent"] == "not sought"
    assert "Ana Ruiz. Reason: correction: surname misheard" in rows[0]["Amendments"]
    assert rows[0]["Audit log"].startswith("Audit log verified at export")
    data = json.loads((tmp_path / "log.json").read_text())
    record = data["records"][0]
    assert record["consent"]["reasons"] == ["increase_risk"] and record["confirmed_by"] == "Sam Jones"
    assert record["amendments"][0]["changes"] == [
        {"field": "counterpart.name", "from": "Priya Shah", "to": "Priya Shaw"}
    ]
    assert data["audit"]["ok"] is True
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "log.pdf").pages)
    assert "Information-sharing log: Leo Grant" in text
    assert "by Sam Jones" in text and "correction: surname misheard" in text
    assert "seeking consent would increase risk" in text and "Audit log verified" in text
    assert "counterpart.name" not in text and "not_sought" not in text  # no internal names


def test_export_matches_the_subject_exactly_and_refuses_an_empty_log(tmp_path, amended_db):
    out = tmp_path / "log.pdf"
    partial = run_export(amended_db, "--subject", "le", "-o", str(out))
    assert partial.returncode == 1 and not out.exists()
    assert "No confirmed records have the subject 'le'. Subjects containing it: Leo Grant" in partial.stderr
    nobody = run_export(amended_db, "--subject", "Nobody", "-o", str(out))
    assert nobody.returncode == 1 and not out.exists()
    assert "No confirmed records have the subject 'Nobody'." in nobody.stderr
