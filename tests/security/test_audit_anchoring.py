"""The anchored audit trail: the chain is keyed (HMAC) with a secret outside the database,
its head is signed into checkpoints that outlive the database (a file in the instance
directory, the portal), and a full rewrite of the chain is caught — without the key by
the HMAC, with the key by the checkpoints. Entries written before the key existed stay
verifiable (nothing saved is lost)."""
from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import text

from docsys import audit, checkpoints, events, migrate
from docsys.db import make_engine, make_session_factory, transaction
from docsys.models import AuditEntry
from tests.conftest import get_user, seed

KEY = b"clave-de-auditoria-de-pruebas-0123456789"


@pytest.fixture
def keyed(database_url):
    """A migrated, seeded database whose sessions carry the audit key."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine, audit_key=KEY)
    seed(factory)
    yield factory
    engine.dispose()


@pytest.fixture
def settings(tmp_path):
    return {"INSTANCE_DIR": str(tmp_path / "instance"), "MUNICIPALITY_NAME": "MD Megantoni"}


def record_many(factory, count):
    for n in range(count):
        with transaction(factory) as s:
            audit.record(s, "comment", get_user(s, "asesor"), 7, n=n)


def checkpoint(factory, settings):
    with transaction(factory) as s:
        return checkpoints.create(s, settings)


def verify(factory, settings):
    with transaction(factory) as s:
        return checkpoints.verify(s, settings)


def rewrite_chain(factory, key, scheme, edit_seq=None):
    """What someone with write access to the database could do: edit one entry (or none)
    and recompute every hash and the head, with ``key`` (None: plain SHA-256)."""
    table = AuditEntry.__table__
    with transaction(factory) as s:
        rows = [dict(r._mapping) for r in s.execute(table.select().order_by(table.c.seq))]
        prev = audit.GENESIS
        for row in rows:
            if row["seq"] == edit_seq:
                row["actor_name"] = "Otra Persona"
            digest = audit.entry_hash(prev, row["seq"], row["at"], row["actor_id"],
                                      row["actor_name"], row["action"], row["document_id"],
                                      row["details"], key=key)
            s.execute(table.update().where(table.c.seq == row["seq"]).values(
                actor_name=row["actor_name"], prev_hash=prev, hash=digest, scheme=scheme))
            prev = digest
        s.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


def test_forged_full_chain_rewrite_is_caught(keyed, settings):
    record_many(keyed, 4)
    made = checkpoint(keyed, settings)
    assert (made.anchor.number, made.anchor.seq) == (1, 4)
    record_many(keyed, 2)
    report = verify(keyed, settings)
    assert report.ok and report.anchor.number == 1, report
    day = datetime.now(timezone.utc).strftime("%d/%m/%Y")
    assert report.message.startswith(f"Cadena íntegra hasta el punto de control 1 del {day}")
    assert "(entrada 4); 6 entradas verificadas, 2 posteriores" in report.message

    with transaction(keyed) as s:
        original = [dict(r._mapping) for r in s.execute(AuditEntry.__table__.select())]
        head = s.execute(text("SELECT hash FROM audit_head")).scalar_one()

    def put_back():
        with transaction(keyed) as s:
            s.execute(AuditEntry.__table__.delete())
            s.execute(AuditEntry.__table__.insert(), original)
            s.execute(text("UPDATE audit_head SET hash = :h"), {"h": head})
        assert verify(keyed, settings).ok

    # Without the key, as plain SHA-256 (posing as entries from before the key existed).
    rewrite_chain(keyed, None, audit.PLAIN, edit_seq=2)
    report = verify(keyed, settings)
    assert not report.ok and report.broken_seq == 4, report
    assert "no es la que certifica el punto de control 1" in report.message
    put_back()
    # Without the key, with a guessed one.
    rewrite_chain(keyed, b"otra clave", audit.KEYED, edit_seq=5)
    report = verify(keyed, settings)
    assert (report.ok, report.broken_seq) == (False, 1)
    assert "fue modificada" in report.message
    put_back()
    # With the key itself: the chain is consistent, but contradicts the checkpoint.
    rewrite_chain(keyed, KEY, audit.KEYED, edit_seq=2)
    with transaction(keyed) as s:
        assert audit.verify_chain(s).ok          # the chain alone cannot tell
    report = verify(keyed, settings)
    assert (report.ok, report.broken_seq) == (False, 4)
    assert f"no es la que certifica el punto de control 1 del {day}" in report.message
    # ... even when the checkpoints are also deleted from the database: the file holds.
    with transaction(keyed) as s:
        s.execute(text("DELETE FROM audit_checkpoints"))
    assert verify(keyed, settings).broken_seq == 4
    put_back()


def test_entries_after_a_checkpoint_must_be_keyed_and_not_cut(keyed, settings):
    record_many(keyed, 3)
    checkpoint(keyed, settings)
    record_many(keyed, 2)
    # Entries after the checkpoint rewritten as if from before the key (plain SHA-256),
    # while keeping entries 1..3 as they were.
    table = AuditEntry.__table__
    with transaction(keyed) as s:
        rows = [dict(r._mapping) for r in s.execute(table.select().where(table.c.seq > 3)
                                                     .order_by(table.c.seq))]
        for row in rows:
            digest = audit.entry_hash(row["prev_hash"], row["seq"], row["at"], row["actor_id"],
                                      row["actor_name"], row["action"], row["document_id"],
                                      row["details"])
            s.execute(table.update().where(table.c.seq == row["seq"])
                      .values(hash=digest, scheme=audit.PLAIN))
            break          # only entry 4: enough to show the rule
    report = verify(keyed, settings)
    assert (report.ok, report.broken_seq) == (False, 4) and "no lleva la clave" in report.message
    # Entries cut at the end, head adjusted to match: the checkpoint still says 3.
    with transaction(keyed) as s:
        last = s.execute(text("SELECT hash FROM audit_entries WHERE seq = 2")).scalar_one()
        s.execute(text("DELETE FROM audit_entries WHERE seq > 2"))
        s.execute(text("UPDATE audit_head SET seq = 2, hash = :h"), {"h": last})
    report = verify(keyed, settings)
    assert not report.ok and "el punto de control 1" in report.message
    assert "certifica 3 entradas y la base tiene 2" in report.message


def test_a_forged_checkpoint_is_refused(keyed, settings):
    record_many(keyed, 2)
    checkpoint(keyed, settings)
    path = checkpoints.checkpoint_file(settings)
    line = json.loads(path.read_text())
    forged = line["statement"].replace('"seq":2', '"seq":1')
    path.write_text(json.dumps({"statement": forged, "signature": line["signature"]}) + "\n")
    report = verify(keyed, settings)
    assert not report.ok and "no lleva una firma válida" in report.message


def test_entries_from_before_the_key_stay_verifiable(database_url, settings):
    """A database at the revision before the key, with entries chained the old way, is
    upgraded: its entries are marked plain SHA-256, verify, and new ones are keyed."""
    engine = make_engine(database_url)
    migrate.upgrade(engine, "0006")
    prev = audit.GENESIS
    at = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
    with engine.begin() as conn:
        for seq in (1, 2, 3):
            digest = audit.entry_hash(prev, seq, at, None, "sistema", "create", seq, {"n": seq})
            conn.execute(text(
                "INSERT INTO audit_entries (seq, at, actor_id, actor_name, action, document_id, "
                "details, prev_hash, hash) VALUES (:seq, :at, NULL, 'sistema', 'create', :seq, "
                ":details, :prev, :hash)"),
                {"seq": seq, "at": at, "details": json.dumps({"n": seq}), "prev": prev,
                 "hash": digest})
            prev = digest
        conn.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 3, :h)"), {"h": prev})
    migrate.upgrade(engine)
    factory = make_session_factory(engine, audit_key=KEY)
    seed(factory)
    record_many(factory, 2)
    with transaction(factory) as s:
        schemes = s.execute(text("SELECT scheme FROM audit_entries ORDER BY seq")).scalars()
        assert list(schemes) == ["sha256"] * 3 + ["hmac-sha256"] * 2
    assert verify(factory, settings).ok
    checkpoint(factory, settings)
    report = verify(factory, settings)
    assert report.ok and report.checked == 5 and report.anchor.seq == 5
    engine.dispose()


def _make_entries(app, count):
    sessions = app.extensions["docsys.sessions"]
    for n in range(count):
        with transaction(sessions) as s:
            events.record(s, "comment", get_user(s, "asesor"), 7, n=n)


def test_cli_checkpoints_on_schedule_portal_and_automatic(app, client):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 3
    runner = app.test_cli_runner()
    _make_entries(app, 2)
    assert "Sin entradas nuevas" not in runner.invoke(
        args=["docsys", "audit", "checkpoint"]).output
    assert "Sin entradas nuevas" in runner.invoke(args=["docsys", "audit", "checkpoint"]).output
    _make_entries(app, 3)      # the third entry since the last checkpoint makes one
    verified = runner.invoke(args=["docsys", "audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert re.search(r"Cadena íntegra hasta el punto de control 2 del \d\d/\d\d/\d{4} "
                     r"\d\d:\d\d UTC \(entrada 5\)", verified.output), verified.output

    published = client.get("/auditoria/puntos-de-control.json").get_json()   # no login
    assert [c["number"] for c in published["checkpoints"]] == [2, 1]
    public_key = load_pem_public_key(published["public_key"].encode())
    for item in published["checkpoints"]:
        public_key.verify(base64.b64decode(item["signature"]), item["statement"].encode())
        assert item["at"].endswith("+00:00")
    lines = checkpoints.checkpoint_file(app.config).read_text().splitlines()
    assert [json.loads(line)["statement"] for line in lines] == \
        [c["statement"] for c in reversed(published["checkpoints"])]
    page = client.get("/auditoria/puntos-de-control")
    assert page.status_code == 200 and published["checkpoints"][0]["hash"] in page.get_data(
        as_text=True)
