"""The migrated schema is what the ORM models expect."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from speakcase.models.db import open_database
from speakcase.models.orm import Base


def test_migrated_schema_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    open_database(url).dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    triggers = {
        row[0]
        for row in engine.connect().exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert {"record_revision_no_update", "record_revision_no_delete", "audit_event_no_update"} <= triggers
    assert "alembic_version" in inspect(engine).get_table_names()


def test_opening_twice_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    open_database(url).dispose()
    open_database(url).dispose()
