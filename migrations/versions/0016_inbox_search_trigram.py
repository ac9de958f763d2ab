"""Bandeja: trigram indexes for the substring search (PostgreSQL only)

The Bandeja searches ``lower(title)`` and ``lower(official_number)`` with LIKE '%word%'.
On PostgreSQL a pg_trgm GIN index on each expression serves rare words, and, as important,
makes ANALYZE keep statistics on the lowered text, so the planner estimates how many rows a
common word matches and keeps walking the (updated_at, id) index instead of scanning and
sorting the whole table (bench/bench_inbox.py: a drafter's search 97 ms -> 1 ms at 50k).
SQLite has no trigram index and needs none at this size; nothing changes there.

The extension is created once per database (the schema's migrations may run in parallel,
so under an advisory lock) and left in place on downgrade: other schemas may use it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 18:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

_LOCK = 1602160216  # any constant: serialises CREATE EXTENSION between parallel migrations
INDEXES = {"ix_documents_title_trgm": "title", "ix_documents_number_trgm": "official_number"}


def _trigram_schema(bind) -> str:
    bind.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    schema = bind.scalar(sa.text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                                 "WHERE extname = 'pg_trgm'"))
    if schema is None:
        bind.execute(sa.text("CREATE EXTENSION pg_trgm WITH SCHEMA public"))
        schema = "public"
    return schema


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = _trigram_schema(bind)
    for name, column in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON documents "
                   f"USING gin (lower({column}) {schema}.gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
