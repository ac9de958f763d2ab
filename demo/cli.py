"""`flask --app wsgi docsys demo`: the demo command, attached from outside the product.

``register(app)`` adds the command to the app's ``docsys`` command group (``wsgi.py`` calls
it; so can a test on its own app). The demo's modules are imported only when the command
runs."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext


@click.command("demo")
@with_appcontext
def demo_command():
    """Inicializa la base de datos y carga usuarios, documentos y un archivo normativo de
    demostración (normas con relaciones, y normas importadas desde PDF, escaneos y DOCX)."""
    from demo.archive import import_demo_archive
    from demo.compliance import load_compliance_demo
    from demo.loader import load_demo
    from docsys import migrate
    from docsys.cli import unit_of_work
    if not current_app.config.get("DEMO_PKI"):
        # the demo's norms are signed with the demo authority's certificates, trusted only
        # in the explicit demo mode: without it every signature would be refused midway
        raise click.ClickException(
            "los datos de demostración se firman con la autoridad certificadora de "
            "demostración, aceptada solo en el modo de demostración: ejecute el comando con "
            "DOCSYS_DEMO_PKI=1 (p. ej. DOCSYS_DEMO_PKI=1 flask --app wsgi docsys demo).")
    from docsys.compliance import pending
    migrate.upgrade(current_app.extensions["docsys.engine"])
    with unit_of_work() as session:
        # a new instance: its norms are analysed by this version's readers as they load
        pending.queue_if_readers_changed(session)
    with unit_of_work() as session:
        summary = load_demo(session, current_app.config)
        related = load_compliance_demo(session, current_app.config)
    imported = import_demo_archive(current_app.extensions["docsys.sessions"], current_app.config)
    click.echo("Datos de demostración cargados.")
    for key, value in summary.get("counts", {}).items():
        click.echo(f"  {key}: {value}")
    click.echo(f"  archivo normativo: {related['normas_archivo']} normas nuevas, "
               f"{related['relaciones_confirmadas']} relaciones confirmadas")
    click.echo(f"  normas importadas al archivo: {imported['imported']}")
    click.echo("Usuarios de demostración (usuario / contraseña / roles / oficina):")
    for login in summary.get("logins", []):
        click.echo(f"  {login['username']:<20} {login['password']:<16} "
                   f"{', '.join(login['roles']):<12} {login.get('office', '')}")
    click.echo("Las autoridades firmantes (signer) y los administradores (admin) configuran su "
               "segundo factor en su primer ingreso: tenga a mano una aplicación de "
               "autenticación (TOTP) para escanear el código QR.")


def register(app: Flask) -> None:
    """Add ``demo`` to the app's ``docsys`` command group."""
    app.cli.commands["docsys"].add_command(demo_command)
