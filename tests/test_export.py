"""Exporting a case's log: CSV, JSON and PDF that open, owner-only files."""

import csv
import json
import subprocess
import sys

from speakcase.models.store import Store
from tests.factories import complete_record, stored_record


def test_export_formats(tmp_path, db_url):
    store = Store.open(db_url)
    record_id = stored_record(store)
    store.confirm(record_id, complete_record(), "Sam Jones")
    store.close()
    for fmt in ("csv", "json", "pdf"):
        out = tmp_path / f"log.{fmt}"
        result = subprocess.run(
            [sys.executable, "-m", "speakcase", "export", "--subject", "Leo", "-o", str(out), "--db", db_url],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert out.stat().st_mode & 0o077 == 0
    rows = list(csv.DictReader((tmp_path / "log.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["counterpart.name"] == "Priya Shah" and rows[0]["status"] == "confirmed"
    data = json.loads((tmp_path / "log.json").read_text())
    assert data["records"][0]["consent"]["reasons"] == ["increase_risk"]
    pdf = (tmp_path / "log.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 800
