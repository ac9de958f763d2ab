"""`flask --app wsgi docsys ...`: the operator's commands. Each calls the domain functions
the web pages use; errors are printed in Spanish with a non-zero exit status."""
from __future__ import annotations

import sys
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from docsys import accounts, migrate
from docsys.db import transaction
from docsys.errors import DocsysError
from docsys.models import ROLES


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


def _load_templates(update: bool) -> None:
    from docsys.drafting.service import load_template_files
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


@docsys_cli.command("demo")
def demo_command():
    """Inicializa la base de datos y carga usuarios y documentos de demostración."""
    from docsys.demo import load_demo
    migrate.upgrade(current_app.extensions["docsys.engine"])
    from docsys.compliance.demo import load_compliance_demo
    with unit_of_work() as session:
        summary = load_demo(session, current_app.config)
        archive = load_compliance_demo(session, current_app.config)
    click.echo("Datos de demostración cargados.")
    click.echo(f"  archivo normativo: {archive['normas_archivo']} normas nuevas, "
               f"{archive['relaciones_confirmadas']} relaciones confirmadas")
    for key, value in summary.get("counts", {}).items():
        click.echo(f"  {key}: {value}")
    click.echo("Usuarios de demostración (usuario / contraseña / roles / oficina):")
    for login in summary.get("logins", []):
        roles = ", ".join(login["roles"]) if isinstance(login["roles"], (list, tuple, set)) else login["roles"]
        click.echo(f"  {login['username']:<20} {login['password']:<16} {roles:<12} {login.get('office', '')}")


@docsys_cli.command("create-user")
@click.argument("username")
@click.option("--full-name", required=True, help="Nombre completo.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="Rol (repetible).")
@click.option("--office", default=None, help="Código de la oficina (p. ej. GM).")
@click.option("--position", default="", help="Cargo (p. ej. Gerente Municipal).")
@click.option("--email", default="")
@click.password_option(help="Contraseña (se pide si no se indica).")
def create_user_command(username, full_name, roles, office, position, email, password):
    """Crea un usuario."""
    with unit_of_work() as session:
        user = accounts.create_user(session, username, password, full_name, roles,
                                    office_code=office, position=position, email=email)
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
@click.option("--name", default="", help="Para qué se usará el token.")
def create_token_command(username, name):
    """Crea un token para la API (se muestra una sola vez)."""
    from sqlalchemy import select
    from docsys.models import User
    with unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username.lower()))
        if user is None:
            click.echo(f"Error: el usuario «{username}» no existe.", err=True)
            sys.exit(1)
        click.echo(accounts.create_api_token(session, user, name))


audit_cli = AppGroup("audit", help="Registro de auditoría encadenado.")
docsys_cli.add_command(audit_cli)


@audit_cli.command("verify")
def audit_verify_command():
    """Verifica la cadena de auditoría; sale con 1 y nombra la primera entrada rota."""
    from docsys.audit import verify_chain
    with unit_of_work() as session:
        report = verify_chain(session)
    if report.ok:
        click.echo(report.message)
        return
    click.echo(f"CADENA ROTA en la entrada {report.broken_seq}: {report.message}", err=True)
    sys.exit(2)


@audit_cli.command("export")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def audit_export_command(output):
    """Exporta el registro de auditoría completo a CSV."""
    from docsys.audit import export_csv
    with unit_of_work() as session:
        data = export_csv(session)
    with open(output, "w", encoding="utf-8", newline="") as handle:
        handle.write(data)
    click.echo(f"Auditoría exportada a {output} ({data.count(chr(10)) - 1} entradas).")


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

    from docsys.indexing import results_json, visibility_for
    from search import SearchError, Visibility

    service = current_app.extensions["docsys.search"]
    service.ensure_fresh()
    visibility = Visibility.public() if public else Visibility.everything()
    if username:
        from sqlalchemy import select

        from docsys.models import User
        with unit_of_work() as session:
            user = session.scalar(select(User).where(User.username == username.lower()))
            if user is None:
                click.echo(f"Error: el usuario «{username}» no existe.", err=True)
                sys.exit(1)
            visibility = visibility_for(user)
    try:
        results = service.backend.search(query, visibility=visibility, sort=sort, page=page,
                                          per_page=per_page)
    except SearchError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(results_json(results), ensure_ascii=False, indent=2))
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

    from docsys.archive.extract import DEFAULT_MAX_BYTES
    from docsys.compliance.report import DOC_TYPE_LABELS, check_text
    from docsys.compliance.text import text_from_file
    from search import Visibility

    if doc_type and doc_type.upper() not in DOC_TYPE_LABELS:
        click.echo("Error: tipo desconocido; use " + ", ".join(DOC_TYPE_LABELS) + ".", err=True)
        sys.exit(1)
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
def compliance_analyze_command(document_ids, quiet):
    """Registra las citas y propone las relaciones de las normas del archivo (todas, o las
    indicadas por su número de documento)."""
    from tqdm import tqdm

    from docsys.compliance.norms import analyze_archive

    with unit_of_work() as session:
        with tqdm(unit="norma", desc="Analizando normas", disable=quiet) as bar:
            totals = analyze_archive(session, document_ids or None, progress=bar.update)
    click.echo(f"Normas analizadas: {totals['normas']}; citas registradas: {totals['citas']}; "
               f"relaciones propuestas: {totals['relaciones_propuestas']}.")


@compliance_cli.command("refresh-status")
def compliance_refresh_command():
    """Aplica las derogaciones y modificaciones confirmadas cuya vigencia ya empezó
    (para ejecutar a diario)."""
    from docsys.compliance.norms import refresh_statuses

    with unit_of_work() as session:
        changed = refresh_statuses(session)
    click.echo(f"Normas que cambiaron de estado: {changed}.")
