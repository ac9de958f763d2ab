"""The `flask docsys` commands, run through Flask's CLI runner on a real database."""
from sqlalchemy import select

from docsys import migrate
from docsys.db import transaction
from docsys.models import DocumentTemplate, User
from tests.conftest import make_test_app


def fresh_app(tmp_path):
    return make_test_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path)


def test_init_is_idempotent_and_loads_templates(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["docsys", "init"])
    assert first.exit_code == 0, first.output
    engine = app.extensions["docsys.engine"]
    assert f"revisión {migrate.head_revision(engine)}" in first.output and "7 nuevas" in first.output
    second = runner.invoke(args=["docsys", "init"])
    assert second.exit_code == 0 and "0 nuevas" in second.output
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    with transaction(app.extensions["docsys.sessions"]) as session:
        assert len(session.scalars(select(DocumentTemplate)).all()) == 7


def test_create_office_user_and_token(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["docsys", "init"]).exit_code == 0
    assert runner.invoke(args=["docsys", "create-office", "gm", "Gerencia Municipal"]).exit_code == 0
    result = runner.invoke(args=["docsys", "create-user", "rosa.quispe", "--full-name", "Rosa Quispe",
                                 "--role", "drafter", "--role", "legal", "--office", "GM",
                                 "--password", "una-clave-larga"])
    assert result.exit_code == 0, result.output
    with transaction(app.extensions["docsys.sessions"]) as session:
        user = session.scalar(select(User).where(User.username == "rosa.quispe"))
        assert user.roles == {"drafter", "legal"} and user.office.code == "GM"
        assert user.password_hash.startswith("$argon2")
    token = runner.invoke(args=["docsys", "create-token", "rosa.quispe"])
    assert token.exit_code == 0 and token.output.strip().startswith("dsy_")
    response = app.test_client().get("/api/v1/documents",
                                     headers={"Authorization": f"Bearer {token.output.strip()}"})
    assert response.status_code == 200


def test_cli_errors_exit_non_zero_in_spanish(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    runner.invoke(args=["docsys", "init"])
    dup_args = ["docsys", "create-user", "ana", "--full-name", "Ana", "--role", "admin",
                "--password", "una-clave-larga"]
    assert runner.invoke(args=dup_args).exit_code == 0
    again = runner.invoke(args=dup_args)
    assert again.exit_code == 1 and "ya existe" in again.output
    short = runner.invoke(args=["docsys", "create-user", "beto", "--full-name", "Beto",
                                "--role", "admin", "--password", "corta"])
    assert short.exit_code == 1 and "al menos 12" in short.output
    office = runner.invoke(args=["docsys", "create-user", "caro", "--full-name", "Caro",
                                 "--role", "drafter", "--office", "XX", "--password", "una-clave-larga"])
    assert office.exit_code == 1 and "no existe" in office.output
    token = runner.invoke(args=["docsys", "create-token", "nadie"])
    assert token.exit_code == 1 and "no existe" in token.output


def test_load_templates_update_creates_new_version_only_when_file_changed(tmp_path):
    import shutil
    from tests.conftest import TEMPLATES_DIR
    templates = tmp_path / "tpl"
    shutil.copytree(TEMPLATES_DIR, templates)
    app = make_test_app(f"sqlite:///{tmp_path / 'cli.db'}", tmp_path,
                        DOCUMENT_TEMPLATES_DIR=str(templates))
    runner = app.test_cli_runner()
    runner.invoke(args=["docsys", "init"])
    same = runner.invoke(args=["docsys", "load-templates", "--update"])
    assert "0 actualizadas" in same.output
    path = templates / "decreto-alcaldia.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# ajuste\n", encoding="utf-8")
    changed = runner.invoke(args=["docsys", "load-templates", "--update"])
    assert "1 actualizadas" in changed.output
    path.write_text("key: [roto", encoding="utf-8")
    broken = runner.invoke(args=["docsys", "load-templates", "--update"])
    assert broken.exit_code == 1 and "decreto-alcaldia.yaml" in broken.output


def test_the_audit_exports_to_a_file_or_says_why_it_cannot(tmp_path):
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["docsys", "init"]).exit_code == 0
    exported = runner.invoke(args=["docsys", "audit", "export", str(tmp_path / "auditoria.csv")])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "auditoria.csv").read_text(encoding="utf-8").count("\n") >= 1
    blocked = tmp_path / "un-archivo"
    blocked.write_text("x")
    refused = runner.invoke(args=["docsys", "audit", "export", str(blocked / "auditoria.csv")])
    assert refused.exit_code == 1 and isinstance(refused.exception, SystemExit), refused.output
    assert "no se pudo escribir" in refused.output
