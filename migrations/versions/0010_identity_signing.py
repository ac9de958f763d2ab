"""identity and signing: each user's DNI (the identity certificates are matched against)

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('dni', sa.String(length=8), nullable=True))
        batch.create_unique_constraint('uq_users_dni', ['dni'])


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_dni', type_='unique')
        batch.drop_column('dni')
