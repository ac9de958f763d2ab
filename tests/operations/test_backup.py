"""Backups on both databases: a consistent copy while users save, restore, and a verify
that proves the copy usable (database integrity, file hashes, audit chain, a signed PDF)
and catches a tampered file; a missing keystore key stops docsys from starting."""
from __future__ import annotations

import shutil
import threading

import pytest
from sqlalchemy import func, select

from docsys import backup, blobs, issuing, totp
from docsys.audit import verify_chain
from docsys.db import transaction
from docsys.drafting import service
from docsys.models import AuditEntry, Document, Issuance
from tests.conftest import KEYSTORE_KEY, TOTP_SECRET, get_user, make_test_app
from tests.issuing.support import SECRET, approved_document


def _issue_one(factory, settings) -> str:
    with transaction(factory) as session:
        document = approved_document(session, settings)
        issuance = issuing.issue(session, settings, document, get_user(session, "gerente"), secret=SECRET)
        return issuance.pdf_sha256


def _counts(factory) -> tuple[int, int, int]:
    with transaction(factory) as session:
        return (session.scalar(select(func.count()).select_from(Document)),
                session.scalar(select(func.count()).select_from(AuditEntry)),
                session.scalar(select(func.count()).select_from(Issuance)))


def test_backup_restore_and_verify_round_trip(signing_ready, settings, database_url, tmp_path):
    """SQLite with files on disk; PostgreSQL with files in the database (blob_contents)."""
    engine = signing_ready.kw["bind"]
    on_postgresql = not database_url.startswith("sqlite")
    if on_postgresql:
        blobs.use_store(settings["BLOB_DIR"], blobs.DatabaseStore(engine))
    pdf_sha = _issue_one(signing_ready, settings)
    dest = tmp_path / "copia"
    summary = backup.create_backup(settings, engine, dest)
    assert (dest / "manifest.json").is_file()
    # The issued PDF and the signing copy as each V°B° left it; on PostgreSQL: in the dump.
    assert summary.blobs == (0 if on_postgresql else 3)
    at_backup = _counts(signing_ready)

    report = backup.verify_backup(settings, dest, engine)  # PostgreSQL: a scratch database
    assert report.ok, report.checks
    names = {c.name: c.message for c in report.checks}
    assert "Cadena íntegra" in names["auditoría"]
    assert "0001-" in names["PDF firmado"]

    # Work after the copy, then the disk with the files is lost: restore brings back the
    # state of the copy (refused over a non-empty instance without --force).
    with transaction(signing_ready) as session:
        service.create_document(session, "resolucion-gerencia-municipal",
                                {"sumilla": "Trabajo posterior a la copia"},
                                get_user(session, "redactor"))
    shutil.rmtree(settings["BLOB_DIR"], ignore_errors=True)
    with pytest.raises(backup.BackupError, match="no está vacía"):
        backup.restore_backup(settings, engine, dest)
    backup.restore_backup(settings, engine, dest, force=True)
    assert _counts(signing_ready) == at_backup
    with transaction(signing_ready) as session:
        assert verify_chain(session).ok
        issuance = session.scalars(select(Issuance)).one()
        assert issuance.pdf_sha256 == pdf_sha
        assert issuing.signed_pdf(settings, issuance)  # the file came back, intact

    if database_url.startswith("sqlite"):
        # A tampered stored file is caught, by its manifest hash and its content address
        # (the same file-level checks run for a PostgreSQL copy).
        blob = next((dest / "blobs").rglob(pdf_sha))
        data = bytearray(blob.read_bytes())
        data[len(data) // 2] ^= 0x01
        blob.write_bytes(bytes(data))
        report = backup.verify_backup(settings, dest, engine)
        assert not report.ok
        assert {"manifiesto", "archivos"} <= {c.name for c in report.checks if not c.ok}
        with pytest.raises(backup.BackupError, match="dañada"):
            backup.restore_backup(settings, engine, dest, force=True)


def test_backup_during_concurrent_saves_is_consistent(app, tmp_path):
    """Writers keep saving (each save writes a version and an audit entry) while backups are
    taken: every copy passes integrity_check and its audit chain is whole."""
    factory = app.extensions["docsys.sessions"]
    engine = app.extensions["docsys.engine"]
    with transaction(factory) as session:
        author = get_user(session, "redactor")
        documents = [service.create_document(session, "resolucion-gerencia-municipal",
                                             {"sumilla": f"Documento {i}"}, author)
                     for i in range(2)]
        session.flush()
        contents = {d.id: dict(d.versions[-1].content) for d in documents}
        document_ids = list(contents)
    stop = threading.Event()
    saves = [0]
    errors: list[Exception] = []

    def writer(document_id: int) -> None:
        from docsys import services
        while not stop.is_set():
            try:
                with transaction(factory) as session:
                    actor = get_user(session, "redactor")
                    document = session.get(Document, document_id)
                    content = dict(contents[document_id], sumilla=f"Versión {saves[0]}")
                    services.save_version(session, actor, document_id, content,
                                          document.latest_version)
                saves[0] += 1
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=writer, args=(i,)) for i in document_ids]
    for thread in threads:
        thread.start()
    try:
        copies = []
        for n in range(3):
            copies.append(backup.create_backup(app.config, engine, tmp_path / f"copia{n}").path)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert saves[0] > 0
    for copy in copies:
        report = backup.verify_backup(app.config, copy, engine)
        assert report.ok, report.checks


def test_cli_backup_names_the_keys_it_leaves_out(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["docsys", "backup", str(tmp_path / "copia")])
    assert result.exit_code == 0, result.output
    assert "NO están en la copia" in result.output
    assert "DOCSYS_KEYSTORE_KEY" in result.output
    result = runner.invoke(args=["docsys", "backup", "verify", str(tmp_path / "copia")])
    assert result.exit_code == 0, result.output
    assert "La copia es utilizable" in result.output
    result = runner.invoke(args=["docsys", "restore", str(tmp_path / "copia")])
    assert result.exit_code == 1 and "no está vacía" in result.output

    # Work done after the copy is gone after a forced restore, from the index too.
    factory = app.extensions["docsys.sessions"]
    before = _counts(factory)
    with transaction(factory) as session:
        service.create_document(session, "resolucion-gerencia-municipal",
                                {"sumilla": "Aprobar el plan de Pichari"},
                                get_user(session, "redactor"))
    search = app.extensions["docsys.search"]
    search.ensure_fresh()
    from search import Visibility
    assert search.backend.search("Pichari", visibility=Visibility.everything()).total == 1
    result = runner.invoke(args=["docsys", "restore", "--force", str(tmp_path / "copia")])
    assert result.exit_code == 0, result.output
    assert _counts(factory) == before
    assert search.backend.search("Pichari", visibility=Visibility.everything()).total == 0


def test_a_destination_that_cannot_be_written_is_an_error_not_a_traceback(app, tmp_path):
    """A file where the folder should be, or a folder that cannot be made (here under a
    file): the command says so in Spanish and fails; nothing is left that looks like a
    copy (no manifest)."""
    runner = app.test_cli_runner()
    a_file = tmp_path / "copia.txt"
    a_file.write_text("no es una carpeta")
    result = runner.invoke(args=["docsys", "backup", str(a_file)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "no es una carpeta" in result.output
    result = runner.invoke(args=["docsys", "backup", str(a_file / "dentro")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "No se pudo escribir la copia en" in result.output
    assert a_file.read_text() == "no es una carpeta"


def test_missing_keystore_key_refuses_to_start(seeded_sqlite, tmp_path):
    from docsys.signing.demo_setup import setup_demo_pki
    db = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, db)
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "keystore_key").write_text(KEYSTORE_KEY)  # the key the seed sealed with
    first = make_test_app(f"sqlite:///{db}", instance, KEYSTORE_KEY=None)
    with transaction(first.extensions["docsys.sessions"]) as session:
        setup_demo_pki(session, first.config, usernames=["gerente"])
    assert first.test_client().get("/readyz").status_code == 200

    (instance / "keystore_key").unlink()  # e.g. a restore without the key kept apart
    ready = first.test_client().get("/readyz")  # and the running process says so
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["keys"]["problems"] == [
        "falta la clave del almacén de certificados"]
    first.extensions["docsys.engine"].dispose()
    with pytest.raises(backup.KeystoreKeyMissing, match="certificado"):
        make_test_app(f"sqlite:///{db}", instance, KEYSTORE_KEY=None)
    assert not (instance / "keystore_key").exists()  # no new key was made
    make_test_app(f"sqlite:///{db}", instance,  # with the key it starts again
                  KEYSTORE_KEY=KEYSTORE_KEY).extensions["docsys.engine"].dispose()


def test_missing_keystore_key_with_second_factors_refuses_to_start(seeded_sqlite, tmp_path):
    """No stored certificate, but the signers' and admins' TOTP secrets are sealed with the
    same key: a new key would lock every one of them out at the second factor."""
    db = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, db)
    instance = tmp_path / "instance"
    with pytest.raises(backup.KeystoreKeyMissing, match="segundo factor"):
        make_test_app(f"sqlite:///{db}", instance, KEYSTORE_KEY=None)
    assert not (instance / "keystore_key").exists()
    app = make_test_app(f"sqlite:///{db}", instance, KEYSTORE_KEY=KEYSTORE_KEY)
    with app.extensions["docsys.sessions"]() as session:  # the sealed secrets still open
        assert totp.secret_of(app.config, get_user(session, "gerente")) == TOTP_SECRET
    app.extensions["docsys.engine"].dispose()


def test_missing_or_new_audit_keys_refuse_to_start(seeded_sqlite, tmp_path):
    """A restore without the audit keys kept apart: a new HMAC key would leave every earlier
    entry unverifiable, a new checkpoint key every earlier checkpoint looking forged."""
    from docsys import audit, checkpoints
    db = tmp_path / "app.db"
    shutil.copy(seeded_sqlite, db)
    instance = tmp_path / "instance"
    first = make_test_app(f"sqlite:///{db}", instance)
    with transaction(first.extensions["docsys.sessions"]) as session:
        audit.record(session, "prueba", get_user(session, "admin"))
        checkpoints.create(session, first.config)
    first.extensions["docsys.engine"].dispose()
    hmac_key = (instance / "audit_key").read_bytes()
    signing_key = (instance / "audit_signing_key.pem").read_bytes()

    (instance / "audit_key").unlink()
    with pytest.raises(backup.AuditKeyMissing, match="falta su clave"):
        make_test_app(f"sqlite:///{db}", instance)
    assert not (instance / "audit_key").exists()  # no new key was made

    (instance / "audit_key").write_text("una-clave-nueva-que-no-firmó-nada")  # as a restore
    with pytest.raises(backup.AuditKeyMissing, match="no es la que firmó"):  # run makes one
        make_test_app(f"sqlite:///{db}", instance)

    (instance / "audit_key").write_bytes(hmac_key)
    (instance / "audit_signing_key.pem").unlink()
    with pytest.raises(backup.AuditKeyMissing, match="punto"):
        make_test_app(f"sqlite:///{db}", instance)
    assert not (instance / "audit_signing_key.pem").exists()

    (instance / "audit_signing_key.pem").write_bytes(signing_key)
    app = make_test_app(f"sqlite:///{db}", instance)  # with both keys back it starts
    with app.extensions["docsys.sessions"]() as session:
        assert checkpoints.verify(session, app.config).ok
    app.extensions["docsys.engine"].dispose()


def test_restore_into_a_new_instance_needs_the_keys_kept_apart(app, tmp_path):
    """The operator's path: a backup restored on a new machine. The restore run itself says
    the audit key is not the one that signed the chain; the next start refuses until the
    keys kept apart are put back, and then the chain verifies."""
    from docsys import checkpoints
    with transaction(app.extensions["docsys.sessions"]) as session:
        service.create_document(session, "resolucion-gerencia-municipal",
                                {"sumilla": "Aprobar el plan de Kepashiato"},
                                get_user(session, "redactor"))
    assert app.test_cli_runner().invoke(
        args=["docsys", "backup", str(tmp_path / "copia")]).exit_code == 0

    new = tmp_path / "nueva"
    url = f"sqlite:///{new / 'docsys.db'}"
    fresh = make_test_app(url, new)  # an empty instance: nothing to protect yet
    result = fresh.test_cli_runner().invoke(args=["docsys", "restore", str(tmp_path / "copia")])
    fresh.extensions["docsys.engine"].dispose()
    assert result.exit_code == 0, result.output
    assert "ATENCIÓN" in result.stderr and "no es la que firmó" in result.stderr
    with pytest.raises(backup.AuditKeyMissing):
        make_test_app(url, new)

    shutil.copy(tmp_path / "audit_key", new / "audit_key")  # the key kept apart
    restored = make_test_app(url, new)
    with restored.extensions["docsys.sessions"]() as session:
        assert checkpoints.verify(session, restored.config).ok
    restored.extensions["docsys.engine"].dispose()
