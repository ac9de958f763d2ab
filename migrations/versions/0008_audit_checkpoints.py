"""hardening: keyed audit chain (scheme per entry), signed audit checkpoints, usage limits

Revision ID: 0008
Revises: 0012
Create Date: 2026-12-06 17:00:00

The entries written before this revision were chained with plain SHA-256: the new column
``scheme`` marks them "sha256" (server default) so they stay verifiable; docsys writes
every new entry as "hmac-sha256", keyed with a secret kept outside the database.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_entries') as batch:
        batch.add_column(sa.Column('scheme', sa.String(length=20), nullable=False,
                                   server_default='sha256'))
    op.create_table('audit_checkpoints',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('number')
    )
    op.create_table('usage_counters',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('window_no', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('usage_counters')
    op.drop_table('audit_checkpoints')
    with op.batch_alter_table('audit_entries') as batch:
        batch.drop_column('scheme')
