"""search speed: a generation number for cached bearer checks, each version's cited keys,
and who queued each search outbox row

- ``auth_generation``: one row, bumped by triggers in the same transaction as any change a
  bearer check relies on (tokens revoked, expired early, deleted or moved; users
  deactivated, moved or deleted; roles; office codes), so a process reuses a cached check
  only while nothing of that changed, whoever changed it and however (docsys.accounts).
  On PostgreSQL the triggers are statement-level and call a function in the same schema.
- ``document_versions.cited_keys`` / ``cited_keys_rev``: the norms each version's text
  cites, stored when it is written (versions are immutable), so a reindex does not read
  every text for citations again. Existing rows stay NULL: they are read as before.
- ``search_outbox.actor_id``: a search waits only for its own user's queued changes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 20:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

# table -> the columns whose change must invalidate cached bearer checks (None: any
# change, inserts included)
WATCHED = {
    "api_tokens": "revoked_at, expires_at, user_id, token_hash",
    "users": "active, office_id",
    "user_roles": None,
    "offices": "code",
}
BUMP = "UPDATE auth_generation SET value = value + 1 WHERE id = 1"


def _events(table: str, columns: str | None) -> list[tuple[str, str]]:
    """(trigger suffix, event clause) pairs for ``table``."""
    out = [("upd", f"UPDATE OF {columns}" if columns else "UPDATE"), ("del", "DELETE")]
    if columns is None:
        out.append(("ins", "INSERT"))
    return out


def upgrade() -> None:
    op.create_table('auth_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO auth_generation (id, value) VALUES (1, 0)")
    with op.batch_alter_table('document_versions') as batch_op:
        batch_op.add_column(sa.Column('cited_keys', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('cited_keys_rev', sa.String(length=40), nullable=True))
    with op.batch_alter_table('search_outbox') as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))

    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE FUNCTION docsys_bump_auth_generation() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$")
    for table, columns in WATCHED.items():
        for suffix, clause in _events(table, columns):
            name = f"auth_generation_{table}_{suffix}"
            if postgres:
                op.execute(f"CREATE TRIGGER {name} AFTER {clause} ON {table} "
                           "FOR EACH STATEMENT EXECUTE FUNCTION docsys_bump_auth_generation()")
            else:
                op.execute(f"CREATE TRIGGER {name} AFTER {clause} ON {table} "
                           f"BEGIN {BUMP}; END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, columns in WATCHED.items():
        for suffix, _ in _events(table, columns):
            name = f"auth_generation_{table}_{suffix}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS docsys_bump_auth_generation()")
    with op.batch_alter_table('search_outbox') as batch_op:
        batch_op.drop_column('actor_id')
    with op.batch_alter_table('document_versions') as batch_op:
        batch_op.drop_column('cited_keys_rev')
        batch_op.drop_column('cited_keys')
    op.drop_table('auth_generation')
