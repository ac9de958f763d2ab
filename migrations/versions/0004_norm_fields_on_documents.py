"""norm fields on documents: official number, issue date, legal status, publication

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 08:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('official_number', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('number_key', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('issue_date', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('legal_status', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('origin', sa.String(length=20), nullable=False,
                                   server_default='redactado'))
        batch.create_index('ix_documents_official_number', ['official_number'], unique=True)
        batch.create_index('ix_documents_number_key', ['number_key'])
    # The outbox names documents by id only (no foreign key): a document with pending rows
    # can still be deleted, its index entry is then removed by the consumer. The queue is
    # rebuilt rather than altered: SQLite cannot drop an unnamed constraint in place.
    _recreate_outbox(with_fk=False)


def _recreate_outbox(with_fk: bool) -> None:
    columns = [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    ]
    if with_fk:
        columns.append(sa.ForeignKeyConstraint(['document_id'], ['documents.id']))
    op.create_table('search_outbox_new', *columns)
    op.execute("INSERT INTO search_outbox_new (id, document_id, enqueued_at, attempts) "
               "SELECT id, document_id, enqueued_at, attempts FROM search_outbox"
               + (" WHERE document_id IN (SELECT id FROM documents)" if with_fk else ""))
    op.drop_index('ix_search_outbox_document_id', table_name='search_outbox')
    op.drop_table('search_outbox')
    op.rename_table('search_outbox_new', 'search_outbox')
    op.create_index('ix_search_outbox_document_id', 'search_outbox', ['document_id'])
    if op.get_bind().dialect.name == 'postgresql':
        # Keep ids growing after the copy.
        op.execute("SELECT setval(pg_get_serial_sequence('search_outbox', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM search_outbox), 0) + 1, false)")


def downgrade() -> None:
    _recreate_outbox(with_fk=True)
    with op.batch_alter_table('documents') as batch:
        batch.drop_index('ix_documents_number_key')
        batch.drop_index('ix_documents_official_number')
        for column in ('origin', 'published_at', 'legal_status', 'issue_date', 'number_key',
                       'official_number'):
            batch.drop_column(column)
