"""The audit trail on SQLite and PostgreSQL: every entry chained to the previous one,
appends serialised under concurrency, and any edit, deletion or insertion behind the
application's back found by ``verify_chain`` (and by the CLI) at the first broken entry."""
from __future__ import annotations

import csv
import io
import threading

import pytest
from sqlalchemy import text

from docsys import audit
from docsys.db import transaction
from docsys.errors import ImmutableError
from docsys.models import AuditEntry
from tests.conftest import get_user


def record_many(factory, count, username="asesor", **details):
    for n in range(count):
        with transaction(factory) as s:
            audit.record(s, "comment", get_user(s, username), 7, n=n, **details)


def verify(factory):
    with transaction(factory) as s:
        return audit.verify_chain(s)


def tamper(factory, sql, **params):
    """Change the table directly, as someone with database access could."""
    with transaction(factory) as s:
        s.execute(text(sql), params)


def test_intact_chain(session_factory):
    record_many(session_factory, 5, texto="Observación con tildes: acción, año, «comillas»")
    report = verify(session_factory)
    assert (report.ok, report.checked, report.broken_seq) == (True, 5, None)
    assert report.message.startswith("Cadena íntegra: 5 entradas verificadas")
    with transaction(session_factory) as s:
        entries = audit.list_entries(s, limit=10)
        assert [e.seq for e in entries] == [5, 4, 3, 2, 1]
        assert entries[-1].prev_hash == audit.GENESIS
        assert all(a.prev_hash == b.hash for a, b in zip(entries, entries[1:]))
        assert report.head_hash == entries[0].hash


def test_empty_chain_is_intact(session_factory):
    assert verify(session_factory).ok


TAMPERING = [
    ("UPDATE audit_entries SET actor_name = 'Otra Persona' WHERE seq = 3", 3, "modificada"),
    ("UPDATE audit_entries SET action = 'download' WHERE seq = 2", 2, "modificada"),
    ("UPDATE audit_entries SET details = '{\"n\": 99}' WHERE seq = 4", 4, "modificada"),
    ("UPDATE audit_entries SET at = at - interval '1 second' WHERE seq = 1", 1, "modificada"),
    ("UPDATE audit_entries SET hash = :fake WHERE seq = 2", 2, "modificada"),
    ("DELETE FROM audit_entries WHERE seq = 3", 3, "Falta la entrada 3"),
    ("DELETE FROM audit_entries WHERE seq = 5", 5, "al final"),
    ("DELETE FROM audit_entries", 1, "al final"),
]


def test_tampering_is_found_at_the_first_broken_entry(session_factory):
    """Each edit or deletion made behind the application's back, one at a time on the same
    five entries (put back as they were after each case)."""
    record_many(session_factory, 5)
    table = AuditEntry.__table__
    with transaction(session_factory) as s:
        original = [dict(row._mapping) for row in s.execute(table.select())]
    for sql, broken, words in TAMPERING:
        if "interval" in sql and session_factory.kw["bind"].dialect.name == "sqlite":
            sql = sql.replace("at - interval '1 second'", "'2020-01-01 00:00:00.000000'")
        tamper(session_factory, sql, fake="f" * 64)
        report = verify(session_factory)
        assert not report.ok and report.broken_seq == broken, (sql, report)
        assert words in report.message, (sql, report)
        with transaction(session_factory) as s:   # put the rows back, below the ORM
            s.execute(table.delete())
            s.execute(table.insert(), original)
        assert verify(session_factory).ok


def _rewrite(factory, seq):
    """Edit an entry and give it a hash that matches its new content (as someone holding
    the chain's key could; without it, see tests/security/test_audit_anchoring.py)."""
    with transaction(factory) as s:
        entry = next(e for e in audit.list_entries(s) if e.seq == seq)
        new_hash = audit.entry_hash(entry.prev_hash, seq, entry.at, entry.actor_id,
                                    "Otra Persona", entry.action, entry.document_id,
                                    entry.details, key=audit.session_key(s))
    tamper(factory, "UPDATE audit_entries SET actor_name = 'Otra Persona', hash = :h "
           "WHERE seq = :seq", h=new_hash, seq=seq)


def test_entries_rewritten_with_fresh_hashes_are_found(session_factory):
    record_many(session_factory, 4)
    _rewrite(session_factory, 4)                 # the last one: it no longer matches the tip
    report = verify(session_factory)
    assert (report.ok, report.broken_seq) == (False, 4)
    assert report.message == "La entrada 4 no es la que registró docsys."
    _rewrite(session_factory, 2)                 # an earlier one: the next no longer links
    report = verify(session_factory)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert report.message == "La entrada 3 no se encadena con la anterior."


def test_forged_entry_appended_without_the_chain_is_found(session_factory):
    record_many(session_factory, 2)
    with transaction(session_factory) as s:
        last = audit.list_entries(s, limit=1)[0]
        forged = dict(seq=3, at=last.at, actor_id=None, actor_name="x", action="sign",
                      document_id=7, details={}, prev_hash=last.hash)
        forged["hash"] = audit.entry_hash(last.hash, 3, last.at, None, "x", "sign", 7, {},
                                          key=audit.session_key(s))
    tamper(session_factory, "INSERT INTO audit_entries (seq, at, actor_id, actor_name, action, "
           "document_id, details, prev_hash, hash, scheme) VALUES (:seq, :at, :actor_id, "
           ":actor_name, :action, :document_id, '{}', :prev_hash, :hash, 'hmac-sha256')",
           **{k: v for k, v in forged.items() if k != "details"})
    report = verify(session_factory)
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "se agregaron fuera de docsys" in report.message


def test_the_application_cannot_edit_or_delete_entries(session_factory):
    record_many(session_factory, 1)
    with transaction(session_factory) as s:
        entry = s.query(AuditEntry).one()
        entry.actor_name = "Otra"
        with pytest.raises(ImmutableError):
            s.flush()
        s.rollback()
        s.delete(s.query(AuditEntry).one())
        with pytest.raises(ImmutableError):
            s.flush()
        s.rollback()
    assert verify(session_factory).ok


def test_concurrent_appends_keep_one_chain(session_factory):
    """Writers from several threads (the first ones racing to create the chain's tip)
    get consecutive numbers, each entry chained to the one before."""
    barrier = threading.Barrier(4)
    errors = []

    def writer(username):
        barrier.wait()
        try:
            record_many(session_factory, 5, username=username)
        except Exception as exc:  # noqa: BLE001 - any failure fails the test below
            errors.append(repr(exc))
    threads = [threading.Thread(target=writer, args=(u,))
               for u in ("asesor", "gerente", "redactor", "archivo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify(session_factory)
    assert report.ok and report.checked == 20, report


def test_csv_export_has_every_entry_and_neutralises_formulas(session_factory):
    from docsys import accounts
    with transaction(session_factory) as s:
        accounts.create_user(s, "formula", "clave-segura-1", "=HYPERLINK(\"http://x\")",
                             ["legal"], office_code="GAJ")
    record_many(session_factory, 2)
    record_many(session_factory, 1, username="formula", nota="-2+3")
    rows = list(csv.reader(io.StringIO(_export(session_factory))))
    assert rows[0] == ["seq", "fecha_utc", "usuario", "accion", "documento", "detalles",
                       "hash_anterior", "hash", "esquema"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]
    assert rows[1][2] == "Carmen Rojas Villanueva" and rows[1][3] == "comment"
    assert rows[3][2] == "'=HYPERLINK(\"http://x\")"
    assert rows[3][6] == rows[2][7]     # each row carries the hash it chains to


def _export(factory):
    with transaction(factory) as s:
        return audit.export_csv(s)
