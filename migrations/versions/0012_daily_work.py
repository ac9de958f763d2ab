"""daily work: comments addressed, working copies, notifications, local holidays, e-mail
digest preference, the Bandeja's index on updated_at, the official names of the years

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('addressed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('addressed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_comments_addressed_by_id', 'users',
                                    ['addressed_by_id'], ['id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_digest', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_updated_at', ['updated_at', 'id'], unique=False)

    op.create_table('working_copies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'user_id')
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)
    op.create_table('local_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day')
    )
    year_names = op.create_table('year_names',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    # The names known when this was written; an administrator corrects or adds them.
    op.bulk_insert(year_names, [
        {'year': 2019, 'name': 'Año de la Lucha contra la Corrupción y la Impunidad'},
        {'year': 2020, 'name': 'Año de la Universalización de la Salud'},
        {'year': 2021, 'name': 'Año del Bicentenario del Perú: 200 años de Independencia'},
        {'year': 2022, 'name': 'Año del Fortalecimiento de la Soberanía Nacional'},
        {'year': 2023, 'name': 'Año de la Unidad, la Paz y el Desarrollo'},
        {'year': 2024, 'name': 'Año del Bicentenario, de la consolidación de nuestra Independencia, '
                              'y de la conmemoración de las heroicas batallas de Junín y Ayacucho'},
        {'year': 2025, 'name': 'Año de la recuperación y consolidación de la economía peruana'},
        {'year': 2026, 'name': 'Año de la Esperanza y el Fortalecimiento de la Democracia'},
    ])


def downgrade() -> None:
    op.drop_table('year_names')
    op.drop_table('local_holidays')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
    op.drop_table('notifications')
    op.drop_table('working_copies')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_updated_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_digest')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint('fk_comments_addressed_by_id', type_='foreignkey')
        batch_op.drop_column('addressed_by_id')
        batch_op.drop_column('addressed_at')
