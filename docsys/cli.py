"""`flask --app wsgi docsys ...`: the operator's commands. Each calls the domain functions
the web pages use; errors are printed in Spanish with a non-zero exit status."""
from __future__ import annotations

import smtplib
import sys
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from docsys import accounts, migrate, policy, services, verification
from docsys.archive.extract import DEFAULT_MAX_BYTES
from docsys.audit import export_csv
from docsys.compliance.norms import analyze_archive, refresh_statuses
from docsys.compliance.report import check_text
from docsys.compliance.text import text_from_file
from docsys.db import transaction
from docsys.drafting.service import load_template_files
from docsys.errors import DocsysError
from docsys.indexing import results_json
from docsys.models import ROLES, Document, User, UserRole
from docsys.signing import credentials, pki
from docsys.signing.demo_setup import DEMO_PASSPHRASE, DEMO_SIGNING_SECRET, setup_demo_pki
from docsys.states import REVIEW_MOVES, label
from docsys.web.api import version_url_builder


@click.group("docsys", cls=AppGroup, help="Administración de docsys.")
@with_appcontext
def docsys_cli():
    # A command's changes reach the index before it exits (see _catch_up_index), not from
    # a background thread that would die with the process.
    current_app.extensions["docsys.search"].background = False


@docsys_cli.result_callback()
@with_appcontext
def _catch_up_index(*_args, **_kwargs):
    current_app.extensions["docsys.search"].ensure_fresh()


@contextmanager
def unit_of_work():
    """A transaction; a domain error becomes a clean CLI error (exit status 1)."""
    try:
        with transaction(current_app.extensions["docsys.sessions"]) as session:
            yield session
    except DocsysError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)


@docsys_cli.command("init")
def init_command():
    """Crea o actualiza el esquema de la base de datos y carga las plantillas."""
    engine = current_app.extensions["docsys.engine"]
    migrate.upgrade(engine)
    click.echo(f"Base de datos al día (revisión {migrate.current_revision(engine)}).")
    _load_templates(update=False)
    _read_earlier_sources()
    _analyse_again_if_readers_changed()


def _read_earlier_sources() -> None:
    """Norms imported before docsys kept where their text came from gain it (once)."""
    from docsys.archive.provenance import fill_earlier_sources

    with unit_of_work() as session:
        filled = fill_earlier_sources(session, current_app.config["BLOB_DIR"])
    if filled:
        click.echo("Fuente del texto leída de su archivo original: "
                   + (f"{filled} normas importadas" if filled > 1 else "1 norma importada")
                   + " antes de esta versión.")


def _analyse_again_if_readers_changed() -> None:
    """An upgrade whose readers of citations and relations changed analyses the archive
    again (queued first: an interrupted run leaves the rest for the next one)."""
    from docsys.compliance import pending

    with unit_of_work() as session:
        queued = pending.queue_if_readers_changed(session)
    if queued:
        click.echo(f"Esta versión lee las citas y relaciones de otro modo: se analizan de nuevo "
                   f"las {queued} normas del archivo (las relaciones ya decididas se conservan).")
        _analyse_pending(quiet=False)


def _load_templates(update: bool) -> None:
    with unit_of_work() as session:
        counts = load_template_files(session, current_app.config["DOCUMENT_TEMPLATES_DIR"],
                                     update=update)
    click.echo("Plantillas: {created} nuevas, {updated} actualizadas, {unchanged} sin cambios."
               .format(**counts))


@docsys_cli.command("load-templates")
@click.option("--update", is_flag=True,
              help="Crear una nueva versión de las plantillas cuyo archivo cambió.")
def load_templates_command(update):
    """Carga las plantillas de templates/documents/ en la base de datos."""
    _load_templates(update)


@docsys_cli.command("create-user")
@click.argument("username")
@click.option("--full-name", required=True, help="Nombre completo.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="Rol (repetible).")
@click.option("--office", default=None, help="Código de la oficina (p. ej. GM).")
@click.option("--position", default="", help="Cargo (p. ej. Gerente Municipal).")
@click.option("--email", default="")
@click.option("--dni", default=None, help="DNI (8 dígitos): el que lleva su certificado digital.")
@click.password_option(help="Contraseña (se pide si no se indica).")
def create_user_command(username, full_name, roles, office, position, email, dni, password):
    """Crea un usuario."""
    with unit_of_work() as session:
        user = accounts.create_user(session, username, password, full_name, roles,
                                    office_code=office, position=position, email=email,
                                    dni=dni)
        click.echo(f"Usuario «{user.username}» creado con roles: {', '.join(sorted(user.roles))}.")


@docsys_cli.command("create-office")
@click.argument("code")
@click.argument("name")
def create_office_command(code, name):
    """Crea una oficina (CODE aparece en los números oficiales, p. ej. GM)."""
    code = code.strip().upper()
    if not code.replace("-", "").isalnum() or len(code) > 20 or not name.strip():
        click.echo("Error: el código admite hasta 20 letras o números y el nombre es obligatorio.",
                   err=True)
        sys.exit(1)
    with unit_of_work() as session:
        office = accounts.ensure_office(session, code, name.strip())
        click.echo(f"Oficina {office.code}: {office.name}.")


@docsys_cli.command("create-token")
@click.argument("username")
@click.option("--name", default="consola", show_default=True, help="Para qué se usará el token.")
@click.option("--days", type=int, default=None,
              help="Vigencia en días (por defecto DOCSYS_API_TOKEN_DAYS, 90).")
def create_token_command(username, name, days):
    """Crea un token para la API (se muestra una sola vez)."""
    with unit_of_work() as session:
        click.echo(services.create_token_for(session, current_app.config, username, name, days))


users_cli = AppGroup("users", help="Cuentas: contraseñas, activación, sesiones y tokens.")
docsys_cli.add_command(users_cli)
_ADMIN = click.option("--admin", "admin_name", required=True,
                      help="Administrador que realiza la acción (queda en la auditoría).")


@users_cli.command("list")
def users_list_command():
    """Usuarios, su estado y si tienen segundo factor."""
    with unit_of_work() as session:
        for user in accounts.list_users(session):
            flags = ["activo" if user.active else "DESACTIVADO"]
            if user.totp_secret_sealed is not None:
                flags.append("2FA")
            if user.must_change_password:
                flags.append("debe cambiar contraseña")
            click.echo(f"{user.username:<20} {user.full_name:<36} {', '.join(flags)}")


@users_cli.command("reset-password")
@click.argument("username")
@_ADMIN
@click.password_option("--temporary-password", help="Contraseña temporal (se pide si falta).")
def users_reset_password_command(username, admin_name, temporary_password):
    """Contraseña temporal que el usuario cambiará al ingresar; cierra sus sesiones y tokens."""
    with unit_of_work() as session:
        services.reset_password(session, _named_user(session, admin_name), username,
                                temporary_password)
    click.echo(f"Contraseña de «{username}» restablecida; deberá cambiarla al ingresar.")


@users_cli.command("deactivate")
@click.argument("username")
@_ADMIN
def users_deactivate_command(username, admin_name):
    """Desactiva un usuario: no ingresa ni usa tokens; sus sesiones y tokens terminan."""
    with unit_of_work() as session:
        services.set_user_active(session, _named_user(session, admin_name), username, False)
    click.echo(f"Usuario «{username}» desactivado.")


@users_cli.command("activate")
@click.argument("username")
@_ADMIN
def users_activate_command(username, admin_name):
    """Reactiva un usuario desactivado."""
    with unit_of_work() as session:
        services.set_user_active(session, _named_user(session, admin_name), username, True)
    click.echo(f"Usuario «{username}» reactivado.")


@users_cli.command("reset-totp")
@click.argument("username")
@_ADMIN
def users_reset_totp_command(username, admin_name):
    """Olvida el segundo factor (teléfono perdido): lo configurará en su próximo ingreso."""
    with unit_of_work() as session:
        services.reset_second_factor(session, _named_user(session, admin_name), username)
    click.echo(f"Segundo factor de «{username}» restablecido.")


@users_cli.command("tokens")
@click.argument("username")
def users_tokens_command(username):
    """Los tokens de API de un usuario."""
    with unit_of_work() as session:
        for row in accounts.list_tokens(session, _named_user(session, username)):
            click.echo(f"{row.id:>5}  {row.name:<30} vence {row.expires_at:%Y-%m-%d}  "
                       f"{accounts.token_status(row)}")


@users_cli.command("revoke-token")
@click.argument("token_id")
@_ADMIN
def users_revoke_token_command(token_id, admin_name):
    """Revoca un token (por su número, ver `users tokens`)."""
    with unit_of_work() as session:
        services.revoke_token(session, _named_user(session, admin_name), token_id)
    click.echo(f"Token {token_id} revocado.")


audit_cli = AppGroup("audit", help="Registro de auditoría encadenado.")
docsys_cli.add_command(audit_cli)


@audit_cli.command("verify")
def audit_verify_command():
    """Verifica la cadena de auditoría (con su clave) contra los puntos de control
    publicados; sale con 2 y nombra la primera entrada rota."""
    with unit_of_work() as session:
        report = services.verify_audit(session, current_app.config)
    if report.ok:
        click.echo(report.message)
        click.echo(f"Huella de la última entrada: {report.head_hash}")
        return
    click.echo(f"CADENA ROTA en la entrada {report.broken_seq}: {report.message}", err=True)
    sys.exit(2)


@audit_cli.command("checkpoint")
def audit_checkpoint_command():
    """Firma y publica la cabeza de la cadena (para cron): un punto de control."""
    with unit_of_work() as session:
        made = services.checkpoint_audit(session, current_app.config)
    if made is None:
        click.echo("Sin entradas nuevas desde el último punto de control.")
        return
    click.echo(f"Punto de control {made.anchor.number}: entrada {made.anchor.seq}, "
               f"huella {made.anchor.hash}.")


@audit_cli.command("export")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def audit_export_command(output):
    """Exporta el registro de auditoría completo a CSV."""
    with unit_of_work() as session:
        data = export_csv(session)
    try:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
    except OSError as exc:
        raise click.ClickException(
            f"no se pudo escribir «{output}»: {exc.strerror or exc}.") from exc
    click.echo(f"Auditoría exportada a {output} ({data.count(chr(10)) - 1} entradas).")


def _named_user(session, username: str):
    """The user named on the command line (a Spanish error and exit 1 if there is none)."""
    return services.user_named(session, username)


@docsys_cli.command("transition")
@click.argument("document_id")
@click.argument("action", type=click.Choice(list(REVIEW_MOVES)))
@click.option("--user", "username", required=True, help="Quien realiza la acción.")
@click.option("--reason", default="",
              help="Motivo u observaciones (obligatorio al devolver y al descartar).")
@click.option("--assignee", default=None, help="Usuario al que se deriva el documento.")
def transition_command(document_id, action, username, reason, assignee):
    """Ejecuta una acción del flujo de revisión sobre un documento."""
    with unit_of_work() as session:
        user = _named_user(session, username)
        to_user = _named_user(session, assignee) if assignee else None
        moved = services.transition(session, user, document_id, action, reason, assignee=to_user)
        assigned = session.get(Document, moved.document_id).assignee
        click.echo(f"Documento {moved.document_id}: {label(moved.from_status)} → "
                   f"{label(moved.to_status)}"
                   + (f" (asignado a {assigned.full_name})" if assigned else "") + ".")


def _signing_secret(secret_file, p12):
    """The holder's clave de firma: from ``--secret-file`` (its first line), else typed at a
    hidden prompt; none when a .p12 is presented (its passphrase is asked instead)."""
    from pathlib import Path

    if p12:
        return None
    if secret_file:
        lines = Path(secret_file).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    return click.prompt("Clave de firma", hide_input=True)


def _presented(p12, passphrase):
    from pathlib import Path

    if p12 and passphrase is None:
        passphrase = click.prompt("Contraseña del certificado", hide_input=True)
    return (Path(p12).read_bytes() if p12 else None), passphrase


@docsys_cli.command("visto-bueno")
@click.argument("document_id")
@click.option("--user", "username", required=True,
              help="Asesoría Jurídica o el jefe del área del documento.")
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False),
              help="Archivo cuya primera línea es su clave de firma (si falta, se pide).")
@click.option("--p12", type=click.Path(exists=True, dir_okay=False),
              help="Certificado PKCS#12 a presentar en lugar del registrado.")
@click.option("--passphrase", default=None, help="Contraseña del .p12 (se pide si falta).")
def visto_bueno_command(document_id, username, secret_file, p12, passphrase):
    """Da y firma el visto bueno del usuario sobre la versión actual de un documento."""
    secret = _signing_secret(secret_file, p12)
    data, passphrase = _presented(p12, passphrase)
    with unit_of_work() as session:
        user = _named_user(session, username)
        row = services.give_visto_bueno(session, current_app.config, user, document_id,
                                        secret=secret, p12=data, passphrase=passphrase)
        kind = "Asesoría Jurídica" if row.kind == "legal" else "jefe del área"
        click.echo(f"Visto bueno ({kind}) de {user.full_name} firmado sobre la versión "
                   f"{row.version_number} del documento {row.document_id}.")


@docsys_cli.command("search")
@click.argument("query", default="")
@click.option("--json", "as_json", is_flag=True, help="Imprimir el resultado en JSON.")
@click.option("--page", default=1, show_default=True, help="Página de resultados.")
@click.option("--per-page", default=20, show_default=True, help="Resultados por página (1-100).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True)
@click.option("--user", "username", help="Buscar con la visibilidad de este usuario.")
@click.option("--public", is_flag=True, help="Solo normas publicadas (como el portal).")
def search_command(query, as_json, page, per_page, sort, username, public):
    """Busca en el archivo normativo (sin --user ni --public, en todo el archivo)."""
    import json

    from search import SearchError, Visibility

    service = current_app.extensions["docsys.search"]
    service.ensure_fresh()
    visibility = Visibility.public() if public else Visibility.everything()
    if username:
        with unit_of_work() as session:
            visibility = policy.search_visibility(_named_user(session, username))
    try:
        results = service.backend.search(query, visibility=visibility, sort=sort, page=page,
                                          per_page=per_page)
    except SearchError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    if as_json:

        # The same JSON as GET /api/v1/search, URLs on this installation's public address.
        base_url = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost"
        with current_app.test_request_context(base_url=base_url):
            body = results_json(results, version_url_builder())
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    for warning in results.warnings:
        click.echo(f"Aviso: {warning}", err=True)
    click.echo(f"{results.total} resultado(s), página {results.page} de {results.pages}")
    for hit in results.hits:
        label = hit.number or hit.title
        click.echo(f"- [{hit.doc_type}] {label} · {hit.status} · {hit.date or ''} "
                   f"(documento {hit.document_id}, versión {hit.version_number})")


@docsys_cli.command("reindex")
@click.option("--quiet", is_flag=True, help="Sin barra de progreso.")
def reindex_command(quiet):
    """Reconstruye el índice de búsqueda desde la base de datos (sin cortar las búsquedas)."""
    from search import SearchError

    service = current_app.extensions["docsys.search"]
    try:
        count = service.reindex(progress=not quiet)
    except SearchError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Índice reconstruido: {count} documento(s).")


pki_cli = AppGroup("pki", help="Certificados digitales de demostración.")
docsys_cli.add_command(pki_cli)


@pki_cli.command("demo")
@click.option("--user", "usernames", multiple=True,
              help="Solo estos usuarios (por defecto: firmantes y Asesoría Jurídica).")
@click.option("--passphrase", default=None,
              help="Contraseña de los .p12 (por defecto la de los usuarios de demostración).")
@click.option("--no-store", is_flag=True, help="Solo crear los .p12, sin registrarlos en docsys.")
def pki_demo_command(usernames, passphrase, no_store):
    """Crea una autoridad certificadora local de demostración y un certificado por firmante."""
    with unit_of_work() as session:
        made = setup_demo_pki(session, current_app.config, list(usernames) or None,
                              passphrase=passphrase or DEMO_PASSPHRASE, store=not no_store)
    pki_dir = current_app.config["PKI_DIR"]
    click.echo(f"Autoridad certificadora de demostración: {pki_dir}/ca.pem "
               "(solo para desarrollo y demostraciones; nunca para normas reales).")
    if not made:
        click.echo("Ningún usuario recibió certificado (¿existen usuarios firmantes?).")
    for row in made:
        state = "nuevo" if row["created"] else "ya existía"
        click.echo(f"  {row['username']:<20} {row['file']} ({state})")
    if made and not no_store:
        click.echo(f"Clave de firma de demostración de los certificados registrados: "
                   f"{DEMO_SIGNING_SECRET} (cada firmante la escribe al firmar).")


@pki_cli.command("revoke")
@click.argument("username")
def pki_revoke_command(username):
    """Revoca el certificado de demostración guardado de un usuario y publica la CRL."""
    with unit_of_work() as session:
        user = _named_user(session, username)
        row = credentials.stored_credential(session, user)
        if row is None:
            raise click.ClickException(f"{user.full_name} no tiene un certificado guardado.")
        pki.revoke(current_app.config["PKI_DIR"], row.serial)
    click.echo(f"Revocado el certificado {row.serial} de {user.full_name}; "
               "la CRL de demostración se publicó de nuevo.")


@docsys_cli.command("issue")
@click.argument("document_id")
@click.option("--user", "username", required=True, help="Autoridad que firma (rol signer).")
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False),
              help="Archivo cuya primera línea es su clave de firma (si falta, se pide).")
@click.option("--p12", type=click.Path(exists=True, dir_okay=False),
              help="Certificado PKCS#12 a usar en lugar del registrado.")
@click.option("--passphrase", default=None, help="Contraseña del .p12 (se pide si falta).")
def issue_command(document_id, username, secret_file, p12, passphrase):
    """Numera, firma y emite un documento aprobado (con su clave de firma)."""
    with unit_of_work() as session:   # "not you / not now" before asking for the secret
        services.check_issuable(session, _named_user(session, username), document_id)
    secret = _signing_secret(secret_file, p12)
    data, passphrase = _presented(p12, passphrase)
    with unit_of_work() as session:
        user = _named_user(session, username)
        issuance = services.issue(session, current_app.config, user, document_id,
                                  p12=data, passphrase=passphrase, secret=secret)
        click.echo(f"Emitida: {issuance.official_number}")
        click.echo(f"Código de verificación: {issuance.verification_code}")
        click.echo(f"SHA-256 del PDF firmado: {issuance.pdf_sha256}")


@docsys_cli.command("correct")
@click.argument("document_id")
@click.option("--kind", required=True,
              help="rectificar (error material), dejar_sin_efecto o modificar.")
@click.option("--user", "username", required=True,
              help="La autoridad que firma ese tipo de norma (rol signer).")
@click.option("--reason", required=True, help="Motivo breve de la corrección.")
def correct_command(document_id, kind, username, reason):
    """Inicia la corrección de una norma emitida mediante otra norma (nuevo borrador)."""
    with unit_of_work() as session:
        user = _named_user(session, username)
        correction = services.start_correction(session, user, document_id, kind, reason)
        click.echo(f"Borrador {correction.document_id} creado en "
                   f"{correction.document.office.code}: «{correction.document.title}».")
        click.echo("Complete las indicaciones entre corchetes, envíelo a revisión y emítalo; "
                   f"al emitirse quedará vinculado a {correction.corrected.official_number}.")


@docsys_cli.command("publish")
@click.argument("document_id")
@click.option("--user", "username", required=True, help="Secretaría General (rol archivist).")
def publish_command(document_id, username):
    """Publica una norma emitida en el portal."""
    with unit_of_work() as session:
        user = _named_user(session, username)
        document = services.publish(session, user, document_id)
        click.echo(f"Publicada: {document.official_number}")


VERIFY_EXIT = {"VÁLIDO": 0, "NO VÁLIDO": 1, "INDETERMINADO": 3}


@docsys_cli.command("verify")
@click.argument("pdf_file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Imprimir el informe en JSON.")
def verify_command(pdf_file, as_json):
    """Verifica un PDF firmado: autenticidad y cada firma.

    Sale con 0 si es el original emitido y todas sus firmas son válidas, 1 si alguna firma
    no es válida, el archivo fue alterado o no es una norma emitida, y 3 si la validez es
    indeterminada (p. ej. un certificado que no es de confianza)."""
    import json
    from pathlib import Path

    try:
        data = Path(pdf_file).read_bytes()
    except OSError as exc:
        click.echo(f"Error: no se pudo leer «{pdf_file}»: {exc.strerror}.", err=True)
        sys.exit(1)
    with unit_of_work() as session:
        result = verification.verify_file(session, current_app.config, data)
        report = verification.report_json(result)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(report["message"])
        for index, sig in enumerate(report["signatures"], start=1):
            click.echo(f"  {index}. {sig['signer']} — {sig['reason']} — {sig['signing_time']} — "
                       f"{sig['verdict']}: {sig['explanation']}")
    code = VERIFY_EXIT.get(report["verdict"], 1)
    sys.exit(code if report["authentic"] or code else 1)


@docsys_cli.command("import")
@click.argument("directory")
@click.option("--user", "username", help="Usuario (rol archivist) a cuyo nombre se importa; "
              "por defecto, el primer usuario con ese rol.")
@click.option("--json", "as_json", is_flag=True, help="Imprimir el resumen en JSON.")
@click.option("--quiet", is_flag=True, help="Sin barra de progreso.")
@click.option("--max-size", type=click.FloatRange(min=0.001), default=None,
              help="Tamaño máximo de un archivo, en MB (por defecto DOCSYS_ARCHIVE_MAX_FILE_BYTES).")
@click.option("--analizar-despues", "later", is_flag=True,
              help="No analizar ahora las citas y relaciones de las normas importadas en "
              "lote: quedan pendientes para «flask docsys compliance analyze --pendientes».")
def import_command(directory, username, as_json, quiet, max_size, later):
    """Importa al archivo normativo los PDF, DOCX, DOC, TXT y Markdown de DIRECTORY (y
    subcarpetas); un Markdown con encabezado YAML (el formato de datos abiertos de
    legalize-pe) aporta sus datos y las relaciones que anotan sus notas.

    Cada archivo se guarda por separado: si se interrumpe, volver a ejecutar continúa
    donde quedó; lo ya importado se omite como duplicado (misma huella SHA-256)."""
    import os

    from tqdm import tqdm

    from docsys.analysis_worker import AnalysisWorker
    from docsys.archive.service import (ImportInterrupted, ImportSettings, has_structured,
                                        import_directory, list_files)

    if not os.path.isdir(directory) or not os.access(directory, os.R_OK | os.X_OK):
        click.echo(f"Error: la carpeta «{directory}» no existe o no se puede leer.", err=True)
        sys.exit(1)
    actor_id = _archivist_id(username)
    settings = ImportSettings.from_config(
        current_app.config, max_file_bytes=int(max_size * 1024 * 1024) if max_size else None)
    files = list_files(directory)
    bar = tqdm(total=len(files), unit=" archivos", desc="Importando", file=sys.stderr,
               disable=quiet or not files, dynamic_ncols=True)
    counts = {"imported": 0, "duplicate": 0, "failed": 0}

    def progress(outcome):
        counts[outcome.status] += 1
        bar.set_postfix(importados=counts["imported"], duplicados=counts["duplicate"],
                        fallidos=counts["failed"], refresh=False)
        bar.update(1)

    factory = current_app.extensions["docsys.sessions"]
    # The queued analyses are drained by a process of their own while the import runs
    # (the other core), and what it leaves after the import by this one. Only structured
    # files queue theirs (PDF, DOCX and plain text are analysed as they are imported).
    worker = (None if later or not has_structured(files)
              else AnalysisWorker.start(factory, current_app.config,
                                        files=[str(path) for _name, path in files]))
    try:
        summary = import_directory(factory, settings, directory, actor_id,
                                   progress=progress, files=files)
    except ImportInterrupted as stop:
        bar.close()
        if worker is not None:
            worker.stop()
        _print_import_summary(stop.summary, as_json)
        click.echo("Importación interrumpida: lo importado hasta aquí se conserva; vuelva a "
                   "ejecutar el comando para continuar.", err=True)
        current_app.extensions["docsys.search"].ensure_fresh()
        sys.exit(130)
    except BaseException:
        if worker is not None:
            worker.stop()
        raise
    bar.close()
    _print_import_summary(summary, as_json)
    if worker is not None:
        _finish_worker(worker, quiet or as_json, to_stderr=as_json)
    elif not later:
        _analyse_pending(quiet or as_json, to_stderr=as_json)


def _finish_worker(worker, quiet: bool, to_stderr: bool) -> None:
    """Wait for the analysis worker (a bar for what it has left); if it failed, say why
    and analyse what it left here: the queue, not the worker, holds what is to be done."""
    from tqdm import tqdm

    from docsys.compliance import pending

    from docsys.db import read_only_transactions

    factory = current_app.extensions["docsys.sessions"]
    done = worker.analysed
    with read_only_transactions(), factory() as session:   # not waiting for the worker's lock
        waiting = pending.count(session)
    # (``finish`` reports every norm the worker analysed, those before it was called too)
    with tqdm(total=done + waiting, unit=" normas",
              desc="Analizando citas y relaciones", file=sys.stderr,
              disable=quiet or not waiting, dynamic_ncols=True) as bar:
        result = worker.finish(progress=bar.update, helper=factory)
    if result.error is not None:
        click.echo(f"El análisis en paralelo se detuvo ({result.error}); se completa "
                   "aquí lo pendiente.", err=True)
        _analyse_pending(quiet, to_stderr=to_stderr)
    elif any(result.totals.values()):
        _say_analysed(result.totals, to_stderr)


def _analyse_pending(quiet: bool, to_stderr: bool = False, say_none: bool = False) -> None:
    """The analyses a bulk import queued (docsys.compliance.pending), after its commits."""
    from tqdm import tqdm

    from docsys.compliance import pending

    factory = current_app.extensions["docsys.sessions"]
    with factory() as session:
        waiting = pending.count(session)
    if not waiting:
        if say_none:
            click.echo("No hay análisis pendientes.")
        return
    with tqdm(total=waiting, unit=" normas", desc="Analizando citas y relaciones",
              file=sys.stderr, disable=quiet, dynamic_ncols=True) as bar:
        totals = pending.process(factory, progress=bar.update)
    _say_analysed(totals, to_stderr)


def _say_analysed(totals: dict, to_stderr: bool) -> None:
    message = f"Análisis de citas y relaciones: {totals['analizadas']} norma(s)"
    if totals["fallidas"]:
        message += (f"; {totals['fallidas']} fallaron y quedan pendientes (flask docsys "
                    "compliance analyze --pendientes)")
    click.echo(message + ".", err=to_stderr)


def _archivist_id(username: str | None) -> int:
    from sqlalchemy import select

    with unit_of_work() as session:
        if username:
            user = _named_user(session, username)
            if not policy.allows(user, policy.Action.IMPORT):
                click.echo(f"Error: «{user.username}» no tiene el rol archivist (Archivo).",
                           err=True)
                sys.exit(1)
            return user.id
        user_id = session.scalar(select(User.id).join(UserRole, UserRole.user_id == User.id)
                                 .where(UserRole.role == "archivist", User.active.is_(True))
                                 .order_by(User.id).limit(1))
    if user_id is None:
        click.echo("Error: no hay ningún usuario con rol archivist. Créelo (flask docsys "
                   "create-user ... --role archivist) o indique --user.", err=True)
        sys.exit(1)
    return user_id


def _print_import_summary(summary, as_json: bool) -> None:
    import json
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    imported, duplicates, failed = summary.imported, summary.duplicates, summary.failed
    review = sum(f.needs_review for f in imported)
    click.echo(f"Importación {summary.batch_id}: {len(summary.files)} archivo(s) en "
               f"{summary.seconds:.1f} s.")
    click.echo(f"Importados: {len(imported)} ({review} para revisar, "
               f"{sum(f.ocr for f in imported)} con OCR)")
    for item in imported:
        marks = (" [revisar datos]" if item.needs_review else "") + (
            f" [OCR {item.ocr_confidence:.0f}%]" if item.ocr and item.ocr_confidence else "")
        click.echo(f"  + {item.filename} -> documento {item.document_id}: "
                   f"{item.official_number or item.title}{marks}")
    click.echo(f"Duplicados omitidos: {len(duplicates)}")
    for item in duplicates:
        click.echo(f"  = {item.filename} -> ya es el documento {item.document_id}")
    click.echo(f"Fallidos: {len(failed)}")
    for item in failed:
        click.echo(f"  ! {item.filename}: {item.reason}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(docsys_cli)


# ---- compliance ---------------------------------------------------------------------------

@docsys_cli.command("check")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Imprimir el informe en JSON.")
@click.option("--type", "doc_type", default=None,
              help="Tipo de documento (RA, RGM, RG, OM, DA, AC, DIR); por defecto, el del "
                   "encabezado.")
@click.option("--no-similar", is_flag=True, help="No buscar normas similares en el archivo.")
def check_command(file, as_json, doc_type, no_similar):
    """Revisa el cumplimiento de un texto (TXT, PDF o DOCX; «-» lee la entrada estándar)."""
    import json

    from search import Visibility

    try:
        if file == "-":
            data, name = sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1), "entrada estándar"
        else:
            with open(file, "rb") as handle:
                data, name = handle.read(DEFAULT_MAX_BYTES + 1), file
    except OSError as exc:
        click.echo(f"Error: no se pudo leer «{file}»: {exc.strerror}.", err=True)
        sys.exit(1)
    search = {}
    if not no_similar:
        service = current_app.extensions["docsys.search"]
        service.ensure_fresh()
        search = {"backend": service.backend, "visibility": Visibility.everything()}
    with unit_of_work() as session:
        text = text_from_file(data, name, DEFAULT_MAX_BYTES)
        report = check_text(session, text, doc_type=doc_type, **search)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_report(report)


def _print_report(report) -> None:
    head = report.doc_type_label or "Tipo no reconocido"
    if report.own_number:
        head += f" · {report.own_number}"
    click.echo(f"{head}: {len(report.citations)} cita(s) de {report.cited_norms} norma(s), "
               f"{len(report.warnings)} advertencia(s), {len(report.similar)} norma(s) similar(es).")
    for note in report.notes:
        click.echo(f"Nota: {note}")
    if report.warnings:
        click.echo("\nAdvertencias:")
        for w in report.warnings:
            click.echo(f"  [{w.kind}] {w.message}")
    if report.citations:
        click.echo("\nNormas citadas:")
        for item in report.citations:
            c = item.citation
            where = (f"{item.match.number} ({item.match.legal_status})" if item.match
                     else "no está en el archivo" if c.is_local else "fuera del archivo")
            arts = f" art. {', '.join(c.articles)}" if c.articles else ""
            click.echo(f"  {c.canonical_id:<22} {c.text}{arts} → {where}")
    if report.similar:
        click.echo("\nNormas similares:")
        for s in report.similar:
            click.echo(f"  {s.norm.number} ({s.norm.legal_status}) — {s.norm.title} "
                       f"[{s.score:.2f}]")


compliance_cli = AppGroup("compliance", help="Citas y relaciones entre normas del archivo.")
docsys_cli.add_command(compliance_cli)


@compliance_cli.command("analyze")
@click.argument("document_ids", nargs=-1, type=int)
@click.option("--quiet", is_flag=True, help="Sin barra de progreso.")
@click.option("--pendientes", "only_pending", is_flag=True,
              help="Solo las normas cuyo análisis quedó pendiente tras una importación.")
def compliance_analyze_command(document_ids, quiet, only_pending):
    """Registra las citas y propone las relaciones de las normas del archivo (todas, o las
    indicadas por su número de documento)."""
    from tqdm import tqdm

    if only_pending:
        _analyse_pending(quiet, say_none=True)
        return

    with unit_of_work() as session:
        with tqdm(unit="norma", desc="Analizando normas", disable=quiet) as bar:
            totals = analyze_archive(session, document_ids or None, progress=bar.update)
    click.echo(f"Normas analizadas: {totals['normas']}; citas registradas: {totals['citas']}; "
               f"relaciones propuestas: {totals['relaciones_propuestas']}.")


@compliance_cli.command("refresh-status")
def compliance_refresh_command():
    """Aplica las derogaciones y modificaciones confirmadas cuya vigencia ya empezó
    (para ejecutar a diario)."""

    with unit_of_work() as session:
        changed = refresh_statuses(session)
    click.echo(f"Normas que cambiaron de estado: {changed}.")


notifications_cli = AppGroup("notifications", help="Avisos a los usuarios.")
docsys_cli.add_command(notifications_cli)


@notifications_cli.command("digest")
def notifications_digest_command():
    """Envía por correo el resumen diario de avisos a quienes lo eligieron (para ejecutar
    una vez al día, p. ej. con cron)."""
    if not current_app.config.get("SMTP_HOST"):
        click.echo("Error: no hay servidor de correo configurado (DOCSYS_SMTP_HOST).", err=True)
        sys.exit(1)
    try:
        with unit_of_work() as session:
            sent = services.send_email_digest(session, current_app.config)
    except (OSError, smtplib.SMTPException) as exc:
        click.echo(f"Error: no se pudo enviar el correo ({exc}); los avisos siguen pendientes.",
                   err=True)
        sys.exit(1)
    click.echo(f"Resúmenes enviados: {sent}.")
# ---- operations: backups ------------------------------------------------------------------

@docsys_cli.command("backup")
@click.argument("args", nargs=-1, required=True, metavar="DEST | verify SRC")
def backup_command(args):
    """Copia de seguridad en línea: `backup DEST` la crea (base de datos, archivos y
    manifiesto de huellas) mientras se trabaja; `backup verify SRC` la restaura en un lugar
    temporal y comprueba integridad, huellas, auditoría y un PDF firmado."""
    from docsys import backup
    settings, engine = current_app.config, current_app.extensions["docsys.engine"]
    try:
        if len(args) == 2 and args[0] == "verify":
            report = backup.verify_backup(settings, args[1], engine)
            for check in report.checks:
                click.echo(f"[{'OK' if check.ok else 'FALLA'}] {check.name}: {check.message}")
            if not report.ok:
                click.echo("La copia NO es utilizable.", err=True)
                sys.exit(2)
            click.echo("La copia es utilizable.")
            return
        if len(args) != 1:
            click.echo("Uso: docsys backup DEST  |  docsys backup verify SRC", err=True)
            sys.exit(1)
        summary = backup.create_backup(settings, engine, args[0])
    except backup.BackupError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"Copia creada en {summary.path}: base de datos {summary.database} "
               f"(revisión {summary.revision}), {summary.blobs} archivos guardados, "
               f"{summary.files} archivos en total, {summary.size} bytes; manifiesto con "
               "sus huellas SHA-256.")
    click.echo(backup.keys_notice(settings))


@docsys_cli.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True,
              help="Reemplazar el contenido de una instancia que no está vacía.")
def restore_command(src, force):
    """Restaura una copia de seguridad en esta instancia (vacía, salvo --force)."""
    from docsys import backup
    try:
        result = backup.restore_backup(current_app.config,
                                       current_app.extensions["docsys.engine"], src, force=force)
    except backup.BackupError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"Copia del {result['created_at']} restaurada ({result['database']}, "
               f"{result['blobs']} archivos). Reconstruyendo el índice de búsqueda...")
    current_app.extensions["docsys.search"].reindex(progress=False)  # the old one is stale
    click.echo(backup.keys_notice(current_app.config))
    settings, engine = current_app.config, current_app.extensions["docsys.engine"]
    try:
        backup.check_keys(settings, engine)
    except backup.KeyMissing as exc:  # the next start refuses: say so now, and what to do
        click.echo(f"ATENCIÓN: {exc}".replace("docsys no arranca: ",
                                              "docsys no arrancará así: "), err=True)


blobs_cli = AppGroup("blobs", help="Archivos guardados (PDF firmados, originales del archivo).")
docsys_cli.add_command(blobs_cli)


@blobs_cli.command("gc")
@click.option("--grace-hours", type=float, default=24.0, show_default=True,
              help="Solo se eliminan archivos sin referencias desde hace más de estas horas.")
@click.option("--dry-run", is_flag=True, help="Solo listar lo que se eliminaría.")
def blobs_gc_command(grace_hours, dry_run):
    """Elimina archivos que ninguna norma, original ni importación usa (con margen de
    espera, para no tocar uno que una operación en curso está por usar)."""
    import datetime as dt

    from docsys.housekeeping import collect_garbage
    if grace_hours < 0:
        click.echo("Error: el margen de espera no puede ser negativo.", err=True)
        sys.exit(1)
    report = collect_garbage(current_app.extensions["docsys.sessions"],
                             current_app.config["BLOB_DIR"], dt.timedelta(hours=grace_hours),
                             dry_run=dry_run)
    if dry_run:
        click.echo(f"Se eliminarían {len(report.removed)} archivos sin referencias.")
        for name in report.removed:
            click.echo(f"  {name}")
        return
    click.echo(f"Eliminados: {report.rows_removed} registros y {report.files_removed} archivos "
               f"({report.bytes_freed} bytes); conservados por recientes: {report.kept_recent}.")
