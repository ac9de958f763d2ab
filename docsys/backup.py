"""Backups an operator can trust: a consistent online copy, its restore, and its proof.

A backup is a folder::

    manifest.json          what is inside, with the SHA-256 and size of every file
    database.sqlite3       SQLite's online backup (one read transaction: a consistent copy
                           taken while users keep saving), or
    database.pgdump        ``pg_dump --format=custom`` of docsys' schema on PostgreSQL
    blobs/aa/bb/<sha256>   the stored files (signed PDFs, archive originals)
    pki/ca.pem, pki/demo-ca.crl  the demo CA's certificate and CRL, when there is one (public)

The database is copied first and the files after it: files are written before the
transaction that references them commits, so every file the copied database names is
already on disk when the copy of the files begins. The manifest is written last; a folder
without one is an unfinished backup.

The installation's secrets (the secret key and the key that seals the signers' stored
certificates) are deliberately NOT copied: whoever holds a backup and its keys can sign, so
the keys must be kept apart. ``keys_notice`` says where they are.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from docsys import migrate
from docsys.audit import verify_chain
from docsys.config import audit_key
from docsys.signing.pki import CRL_FILE
from docsys.db import make_engine, make_session_factory
from docsys.errors import DocsysError
from docsys.blobs import FileStore, store_for
from docsys.audit import KEYED, entry_hash
from docsys.models import (AuditCheckpoint, AuditEntry, Blob, BlobContent, Issuance,
                            SigningCredential, User)

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
BLOBS = "blobs"
FORMAT = 1
_CHUNK = 1024 * 1024


class BackupError(DocsysError):
    """A backup or restore that cannot go on (the message says why, in Spanish)."""

    status = 409


class KeyMissing(RuntimeError):
    """A key kept apart from the backups is not here, and what it protects exists: docsys
    refuses to start rather than make a new key (the message says which and why)."""


class KeystoreKeyMissing(KeyMissing):
    """Sealed certificates or second-factor secrets exist but their key is not here."""


class AuditKeyMissing(KeyMissing):
    """The audit chain is keyed (or its head signed) but that key is not here."""


# ---- helpers ------------------------------------------------------------------------------

def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("La base de datos SQLite en memoria no se puede respaldar.")
    return Path(database)


def libpq_url(engine: Engine) -> str:
    """The engine's address as pg_dump/pg_restore read it (no SQLAlchemy driver name)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_schema(engine: Engine) -> str:
    """docsys' schema: the current one, or (in a new database where it does not exist yet)
    the first one the search path names."""
    with engine.connect() as conn:
        current = conn.scalar(text("SELECT current_schema()"))
        if current:
            return str(current)
        path = str(conn.scalar(text("SHOW search_path")))
    names = [p.strip().strip('"') for p in path.split(",")]
    return next((n for n in names if n and n != "$user"), "public")


def _run(args: list[str]) -> None:
    try:
        subprocess.run(args, check=True, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError as exc:
        raise BackupError(f"No se encontró el programa {args[0]} (instale el cliente de "
                          "PostgreSQL).") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{args[0]} falló: {(exc.stderr or '').strip()[:500]}") from exc


def _blob_files(blob_dir: Path) -> Iterator[Path]:
    if blob_dir.is_dir():
        for path in sorted(blob_dir.rglob("*")):
            if path.is_file() and len(path.name) == 64 and not path.name.startswith("tmp"):
                yield path


def keys_notice(settings) -> str:
    """Where the keys that a backup deliberately leaves out are, in plain words."""
    instance = Path(settings["INSTANCE_DIR"])
    secret = ("la variable DOCSYS_SECRET_KEY" if os.environ.get("DOCSYS_SECRET_KEY")
              else f"el archivo {instance / 'secret_key'}")
    keystore = ("la variable DOCSYS_KEYSTORE_KEY" if settings.get("KEYSTORE_KEY")
                else f"el archivo {instance / 'keystore_key'}")
    audit = ("la variable DOCSYS_AUDIT_KEY" if os.environ.get("DOCSYS_AUDIT_KEY")
             else f"el archivo {instance / 'audit_key'}")
    return ("IMPORTANTE: las claves NO están en la copia y deben guardarse aparte, en otro "
            f"lugar seguro:\n  - clave secreta de la aplicación: {secret}\n"
            f"  - clave del almacén de certificados de firma: {keystore}\n"
            f"  - clave del registro de auditoría: {audit}\n"
            f"  - clave que firma los puntos de control: {instance / 'audit_signing_key.pem'}\n"
            "Sin la clave del almacén, los certificados de firma guardados no se pueden usar; "
            "sin la del registro, la cadena de auditoría no se puede verificar.")


PUBLIC_PKI_FILES = ("ca.pem", CRL_FILE)


# ---- backup -------------------------------------------------------------------------------

@dataclass
class BackupSummary:
    path: Path
    database: str
    files: int
    blobs: int
    size: int
    revision: str | None


def create_backup(settings, engine: Engine, dest: Path) -> BackupSummary:
    """Copy the database (online), then the files, then write the manifest. A destination
    that cannot be written (not a folder, no permission, the disk full) is a BackupError
    that says so; what was written before it has no manifest, so no restore takes it."""
    dest = Path(dest)
    try:
        if dest.exists() and not dest.is_dir():
            raise BackupError(f"El destino {dest} no es una carpeta.")
        if dest.exists() and any(dest.iterdir()):
            raise BackupError(f"La carpeta de destino {dest} no está vacía.")
        dest.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _write_backup(settings, engine, dest)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BackupError(f"No se pudo escribir la copia en {dest}: {reason}. Lo que se "
                          "haya escrito no es una copia utilizable (no tiene manifiesto)."
                          ) from exc


def _write_backup(settings, engine: Engine, dest: Path) -> BackupSummary:
    revision = migrate.current_revision(engine)
    schema = None
    if _is_sqlite(engine):
        database = "sqlite"
        source = sqlite3.connect(str(_sqlite_path(engine)), timeout=30)
        target = sqlite3.connect(str(dest / SQLITE_FILE))
        try:
            with target:
                source.backup(target)  # one step: one read transaction, one consistent copy
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            target.close()
            source.close()
    else:
        database = "postgresql"
        schema = _pg_schema(engine)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--schema={schema}", f"--file={dest / PG_FILE}", f"--dbname={libpq_url(engine)}"])
    blob_dir = Path(settings["BLOB_DIR"])
    in_database = not isinstance(store_for(settings["BLOB_DIR"]), FileStore)
    blobs = 0
    for path in ([] if in_database else _blob_files(blob_dir)):
        target_path = dest / BLOBS / path.relative_to(blob_dir)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target_path)
        blobs += 1
    for name in PUBLIC_PKI_FILES:  # public: the demo CA's certificate and its CRL
        public = Path(settings.get("PKI_DIR") or "") / name
        if settings.get("PKI_DIR") and public.is_file():
            (dest / "pki").mkdir(exist_ok=True)
            shutil.copyfile(public, dest / "pki" / name)
    files: dict[str, dict[str, str | int]] = {}
    for path in sorted(dest.rglob("*")):
        if path.is_file():
            files[path.relative_to(dest).as_posix()] = {"sha256": _sha256_file(path),
                                                       "size": path.stat().st_size}
    manifest = {
        "format": FORMAT, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "database": database, "schema": schema, "revision": revision, "files": files,
        "blob_backend": "database" if in_database else "filesystem",
        "keys_included": False,
        "keys_note": "La clave secreta y la clave del almacén de certificados no se copian.",
    }
    tmp = dest / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, dest / MANIFEST)
    return BackupSummary(dest, database, len(files), blobs,
                         sum(int(f["size"]) for f in files.values()), revision)


# ---- checks shared by restore and verify --------------------------------------------------

def read_manifest(src: Path) -> dict:
    path = Path(src) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} no es una copia completa: falta {MANIFEST}.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} está dañado: {exc}.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Formato de copia desconocido: {manifest.get('format')!r}.")
    return manifest


def manifest_problems(src: Path, manifest: dict) -> list[str]:
    """Files missing, changed or added since the backup was written (empty: all intact)."""
    src = Path(src)
    problems = []
    listed = manifest.get("files", {})
    for name, info in listed.items():
        path = src / name
        if not path.is_file():
            problems.append(f"falta el archivo {name}")
        elif _sha256_file(path) != info["sha256"]:
            problems.append(f"el archivo {name} fue modificado (su huella no coincide)")
    for path in src.rglob("*"):
        name = path.relative_to(src).as_posix()
        if path.is_file() and name != MANIFEST and name not in listed:
            problems.append(f"el archivo {name} no figura en el manifiesto")
    return problems


def _database_file(src: Path, manifest: dict) -> Path:
    return Path(src) / (SQLITE_FILE if manifest["database"] == "sqlite" else PG_FILE)


def _has_data(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return bool(conn.scalar(select(func.count()).select_from(User)))
    except Exception:  # no tables yet: an empty instance
        return False


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro&immutable=1", uri=True)
    target = sqlite3.connect(str(target_path), timeout=30)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _pg_extensions(engine: Engine) -> None:
    """The extensions the schema's indexes use (migration 0016: pg_trgm, in public). A dump
    of one schema does not carry them: a new database needs them before pg_restore."""
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(1602160216)"))  # as migration 0016
            if conn.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")) is None:
                conn.execute(text("CREATE EXTENSION pg_trgm WITH SCHEMA public"))
    except SQLAlchemyError as exc:
        raise BackupError("No se pudo crear la extensión pg_trgm que usa el esquema "
                          f"(el usuario de la base necesita ese permiso): {exc}") from exc


def _pg_restore(dump: Path, engine: Engine, schema: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    _pg_extensions(engine)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          f"--dbname={libpq_url(engine)}", str(dump)])


# ---- restore ------------------------------------------------------------------------------

def restore_backup(settings, engine: Engine, src: Path, force: bool = False) -> dict:
    """Bring a backup back into this instance's database and blob folder."""
    src = Path(src)
    manifest = read_manifest(src)
    problems = manifest_problems(src, manifest)
    if problems:
        raise BackupError("La copia está dañada; no se restaura: " + "; ".join(problems[:5]))
    is_sqlite = _is_sqlite(engine)
    if (manifest["database"] == "sqlite") != is_sqlite:
        raise BackupError(f"La copia es de {manifest['database']} y la base configurada no.")
    blob_dir = Path(settings["BLOB_DIR"])
    if not force and (_has_data(engine) or any(_blob_files(blob_dir))):  # (files only)
        raise BackupError("La instancia no está vacía (tiene usuarios o archivos); use --force "
                          "para reemplazar su contenido por la copia.")
    if is_sqlite:
        engine.dispose()
        _sqlite_copy(_database_file(src, manifest), _sqlite_path(engine))
    else:
        schema = _pg_schema(engine)
        if schema != manifest.get("schema"):
            raise BackupError(f"La copia es del esquema {manifest.get('schema')} y la base "
                              f"configurada usa {schema}.")
        engine.dispose()
        _pg_restore(_database_file(src, manifest), engine, schema)
    engine.dispose()
    migrate.upgrade(engine)  # a copy taken by an older docsys gets the newer schema
    restored = 0
    for path in _blob_files(src / BLOBS):
        target = blob_dir / path.relative_to(src / BLOBS)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            restored += 1
    for name in PUBLIC_PKI_FILES:
        public = src / "pki" / name
        if public.is_file() and settings.get("PKI_DIR"):
            Path(settings["PKI_DIR"]).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(public, Path(settings["PKI_DIR"]) / name)
    return {"database": manifest["database"], "blobs": restored,
            "created_at": manifest.get("created_at")}


# ---- verify -------------------------------------------------------------------------------

@dataclass
class Check:
    name: str
    ok: bool
    message: str


@dataclass
class VerifyReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def add(self, name: str, ok: bool, message: str) -> None:
        self.checks.append(Check(name, ok, message))


def verify_backup(settings, src: Path, engine: Engine | None = None) -> VerifyReport:
    """Restore the copy into a scratch place and prove it usable: file hashes, database
    integrity, the audit chain, every stored file the database names, one signed PDF.
    ``engine`` (PostgreSQL) gives the server where a scratch database is created."""
    src = Path(src)
    report = VerifyReport()
    manifest = read_manifest(src)
    problems = manifest_problems(src, manifest)
    report.add("manifiesto", not problems,
               "; ".join(problems[:10]) if problems
               else f"{len(manifest['files'])} archivos con la huella registrada.")
    with tempfile.TemporaryDirectory(prefix="docsys-verify-") as scratch:
        if manifest["database"] == "sqlite":
            path = Path(scratch) / "restored.db"
            _sqlite_copy(_database_file(src, manifest), path)
            conn = sqlite3.connect(str(path))
            try:
                result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
                fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                conn.close()
            ok = result == ["ok"] and not fk
            report.add("base de datos", ok, "integridad correcta (integrity_check, claves "
                       "foráneas)." if ok else f"integrity_check: {result[:5]}, "
                       f"claves foráneas rotas: {len(fk)}")
            _verify_restored(settings, src, report, f"sqlite:///{path}", manifest)
        else:
            if engine is None or _is_sqlite(engine):
                raise BackupError("Para verificar una copia de PostgreSQL configure "
                                  "DOCSYS_DATABASE_URL con un servidor PostgreSQL.")
            _verify_pg(settings, src, manifest, engine, report)
    return report


def _verify_pg(settings, src: Path, manifest: dict, engine: Engine, report: VerifyReport):
    name = "docsys_verify_" + uuid.uuid4().hex[:12]
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        scratch_url = engine.url.set(database=name)
        scratch = create_engine(scratch_url)
        try:
            _pg_extensions(scratch)
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  f"--dbname={libpq_url(scratch)}", str(_database_file(src, manifest))])
            report.add("base de datos", True,
                       f"restaurada sin errores en la base temporal {name}.")
        except BackupError as exc:
            report.add("base de datos", False, exc.message)
            return
        finally:
            scratch.dispose()
        _verify_restored(settings, src, report,
                         scratch_url.render_as_string(hide_password=False), manifest)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _verify_restored(settings, src: Path, report: VerifyReport, url: str,
                     manifest: dict) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        # The chain is keyed with the audit key, which lives outside the database (and the copy).
        key = settings.get("AUDIT_KEY") or audit_key(Path(settings["INSTANCE_DIR"]))
        key = key.encode("utf-8") if isinstance(key, str) else key
        sessions = make_session_factory(engine, audit_key=key)
        with sessions() as session:
            chain = verify_chain(session)
            report.add("auditoría", chain.ok, chain.message)
            if manifest.get("blob_backend") == "database":  # the files are in the database
                def read(digest: str) -> bytes | None:
                    return session.scalar(select(BlobContent.data)
                                          .where(BlobContent.sha256 == digest))
            else:
                read = FileStore(src / BLOBS).read
            _check_blobs(session, read, report)
            _check_signed_pdf(session, settings, src, read, report)
    finally:
        engine.dispose()


def _check_blobs(session: Session, read, report: VerifyReport) -> None:
    missing, damaged, count = [], [], 0
    for digest in session.scalars(select(Blob.sha256)):
        count += 1
        data = read(digest)
        if data is None:
            missing.append(digest[:12])
        elif hashlib.sha256(data).hexdigest() != digest:
            damaged.append(digest[:12])
    ok = not missing and not damaged
    report.add("archivos", ok, f"{count} archivos registrados, todos presentes e intactos."
               if ok else f"faltan {len(missing)} {missing[:3]}, dañados {len(damaged)} "
               f"{damaged[:3]}")


def _check_signed_pdf(session: Session, settings, src: Path, read,
                      report: VerifyReport) -> None:
    from docsys import verification  # the signature stack loads only when there is a PDF
    issuance = session.scalars(select(Issuance).order_by(Issuance.id.desc()).limit(1)).first()
    if issuance is None:
        report.add("PDF firmado", True, "no hay normas emitidas: ningún PDF que verificar.")
        return
    pdf = read(issuance.pdf_sha256)
    if pdf is None:
        report.add("PDF firmado", False, f"falta el PDF de {issuance.official_number}.")
        return
    scratch_settings = dict(settings)
    scratch_settings.update(BLOB_DIR=str(src / BLOBS), PKI_DIR=str(src / "pki"))
    try:
        result = verification.verify_file(session, scratch_settings, pdf)
    except DocsysError as exc:
        report.add("PDF firmado", False, f"{issuance.official_number}: {exc.message}")
        return
    intact = bool(result.report.signatures) and all(s.intact for s in result.report.signatures)
    ok = result.authentic and intact and not result.report.altered_after_signing
    report.add("PDF firmado", ok, f"{issuance.official_number}: {result.verdict_text}")


# ---- the keystore key at start-up ---------------------------------------------------------

def sealed_with_keystore_key(engine: Engine) -> tuple[int, int]:
    """What the keystore key opens: stored signing certificates, and users' second-factor
    (TOTP) secrets. (0, 0) when the database cannot tell (no tables yet, or unreachable)."""
    try:
        with engine.connect() as conn:
            certificates = conn.scalar(select(func.count()).select_from(SigningCredential))
            second_factors = conn.scalar(select(func.count()).select_from(User)
                                         .where(User.totp_secret_sealed.is_not(None)))
    except Exception:  # no database or no table yet: nothing sealed can be lost
        return 0, 0
    return int(certificates or 0), int(second_factors or 0)


def keystore_key_present(settings) -> bool:
    return bool(settings.get("KEYSTORE_KEY")) or \
        (Path(settings["INSTANCE_DIR"]) / "keystore_key").exists()


def check_keystore_key(settings, engine: Engine) -> None:
    """Refuse to start when secrets are sealed and their key is not here: generating a new
    key would silently make every stored certificate unusable and lock every signer and
    administrator out at their second factor."""
    if keystore_key_present(settings):
        return
    certificates, second_factors = sealed_with_keystore_key(engine)
    if certificates or second_factors:
        key_file = Path(settings["INSTANCE_DIR"]) / "keystore_key"
        sealed = " y ".join(part for part in (
            f"{certificates} certificado(s) de firma" if certificates else "",
            f"el segundo factor de {second_factors} usuario(s)" if second_factors else "")
            if part)
        raise KeystoreKeyMissing(
            f"docsys no arranca: hay {sealed} guardados y sellados, pero falta su clave "
            f"(ni DOCSYS_KEYSTORE_KEY ni el archivo {key_file}). Restaure la clave del "
            "almacén guardada aparte de la copia de seguridad; no se genera una nueva porque "
            "dejaría inutilizables esos certificados y sin acceso a esos usuarios.")


def _audit_hmac_key(settings) -> bytes | None:
    """The audit chain's key as the application would use it, without generating one."""
    value = settings.get("AUDIT_KEY") or os.environ.get("DOCSYS_AUDIT_KEY")
    if not value:
        path = Path(settings["INSTANCE_DIR"]) / "audit_key"
        value = path.read_text(encoding="utf-8").strip() if path.exists() else None
    if not value:
        return None
    return value.encode("utf-8") if isinstance(value, str) else value


def audit_key_problems(settings, engine: Engine) -> list[str]:
    """The audit keys that are missing, or not the ones in use, while what they key exists:
    the HMAC key of a keyed chain (its last keyed entry must verify with it) and the key
    that signed the published checkpoints. A new HMAC key would make every earlier entry
    fail ``audit verify`` for good; a new signing key, every earlier checkpoint look forged."""
    instance = Path(settings["INSTANCE_DIR"])
    key = _audit_hmac_key(settings)
    signing_file = Path(settings.get("AUDIT_SIGNING_KEY_FILE")
                        or instance / "audit_signing_key.pem")
    try:
        with engine.connect() as conn:
            last = conn.execute(select(AuditEntry).where(AuditEntry.scheme == KEYED)
                                .order_by(AuditEntry.seq.desc()).limit(1)).first()
            signed = 0 if signing_file.exists() else conn.scalar(
                select(func.count()).select_from(AuditCheckpoint))
    except Exception:  # no database or no table yet: nothing keyed can be lost
        return []
    problems = []
    if last is not None and key is None:
        problems.append("el registro de auditoría está firmado con HMAC, pero falta su clave "
                        f"(ni DOCSYS_AUDIT_KEY ni el archivo {instance / 'audit_key'})")
    elif last is not None and not hmac.compare_digest(last.hash, entry_hash(
            last.prev_hash, last.seq, last.at, last.actor_id, last.actor_name, last.action,
            last.document_id, last.details, key=key)):
        problems.append(f"la clave del registro de auditoría de esta instancia no es la que "
                        f"firmó su última entrada (la {last.seq}): ¿una clave nueva tras "
                        "restaurar una copia?")
    if signed:
        problems.append(f"hay {signed} punto(s) de control de auditoría firmados, pero falta "
                        f"la clave que los firmó ({signing_file})")
    return problems


def check_keys(settings, engine: Engine) -> None:
    """At start-up: every key kept apart from the backups is here when what it protects
    exists (see ``check_keystore_key`` and ``audit_key_problems``)."""
    check_keystore_key(settings, engine)
    problems = audit_key_problems(settings, engine)
    if problems:
        raise AuditKeyMissing(
            "docsys no arranca: " + "; ".join(problems) + ". Restaure las claves del registro "
            "de auditoría guardadas aparte de la copia de seguridad; no se generan nuevas "
            "porque la cadena de auditoría ya no se podría verificar.")


__all__ = ["create_backup", "restore_backup", "verify_backup", "keys_notice", "check_keys",
           "check_keystore_key", "audit_key_problems", "BackupError", "KeyMissing",
           "KeystoreKeyMissing", "AuditKeyMissing"]
