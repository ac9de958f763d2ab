"""One policy, three doors: every role × action × state, through the page, the API and the
CLI, must give the answer docsys.policy gives.

The documents are a Resolución de Gerencia of GDUR (drafted by Luis, whose office has a
designated head, Julia, who holds only the drafter role; signed by the Gerente of GDUR), taken
to each state through the real workflow (sends, vistos buenos, approval, a real signed
issue, publication). An action the policy allows is taken on a fresh document and must
succeed; one it refuses is tried on a shared document and must be refused (4xx, or exit
status 1) and change nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from sqlalchemy import select

from docsys import accounts, issuing, policy, workflow
from docsys.db import transaction
from docsys.drafting import service as drafting
from docsys.models import Document, Office
from docsys.policy import Action
from docsys.states import Status
from tests.conftest import PASSWORD, get_user
from tests.issuing.support import SECRET, FIELDS, give_vistos
from docsys.signing.demo_setup import setup_demo_pki
from tests.finishing import finish

RG = "resolucion-gerencia"
REASON = "Motivo de la prueba"
# username -> who they are for a GDUR document
USERS = ("redactor2", "jefe_gdur", "redactor", "asesor", "gerente_gdur", "gerente", "archivo",
         "admin")
DOCUMENT_ACTIONS = (Action.VIEW, Action.EDIT, Action.COMMENT, Action.VISTO_BUENO, Action.SEND,
                    Action.OBSERVE, Action.APPROVE, Action.RETURN, Action.DERIVE, Action.ISSUE,
                    Action.PUBLISH, Action.START_CORRECTION)


# ---- the documents ----------------------------------------------------------------------

def _setup(app) -> None:
    """Julia, designated head of GDUR with only the drafter role; the Gerente of GDUR; and
    certificates for everyone who signs a GDUR norm."""
    with transaction(app.extensions["docsys.sessions"]) as session:
        accounts.create_user(session, "jefe_gdur", PASSWORD, "Julia Huamán Ríos", ["drafter"],
                             office_code="GDUR", position="Jefa de Desarrollo Urbano")
        accounts.create_user(session, "gerente_gdur", PASSWORD, "Raúl Apaza Quispe", ["signer"],
                             office_code="GDUR", position="Gerente de Desarrollo Urbano")
        office = session.scalar(select(Office).where(Office.code == "GDUR"))
        workflow.set_office_head(session, office, get_user(session, "jefe_gdur"))
        setup_demo_pki(session, app.config, usernames=["asesor", "jefe_gdur", "gerente_gdur"])


def make_document(app, state: Status, *, vistos: bool = True) -> int:
    """A GDUR resolution in ``state`` through the real workflow. In review it carries both
    vistos buenos when ``vistos`` (ready to approve), none otherwise."""
    with transaction(app.extensions["docsys.sessions"]) as session:
        luis, carmen = get_user(session, "redactor2"), get_user(session, "asesor")
        julia = get_user(session, "jefe_gdur")
        document = finish(session, drafting.create_document(
            session, RG, {"sumilla": f"Prueba en {state}", **FIELDS}, luis), luis)
        if state == Status.DRAFT:
            return document.id
        if state == Status.DISCARDED:
            workflow.transition(session, document, "descartar", luis, REASON)
            return document.id
        workflow.transition(session, document, "enviar", luis)
        if state == Status.OBSERVED:
            workflow.transition(session, document, "observar", carmen, REASON)
            return document.id
        if vistos or state != Status.IN_REVIEW:
            give_vistos(session, app.config, document, legal=carmen.username,
                        area=julia.username)
        if state == Status.IN_REVIEW:
            return document.id
        workflow.transition(session, document, "aprobar", carmen)
        if state == Status.APPROVED:
            return document.id
        document_id = document.id
    with transaction(app.extensions["docsys.sessions"]) as session:
        document = session.get(Document, document_id)
        issuing.issue(session, app.config, document, get_user(session, "gerente_gdur"), secret=SECRET)
        if state == Status.PUBLISHED:
            issuing.publish(session, document, get_user(session, "archivo"))
        return document_id


def snapshot(app, document_id: int) -> tuple:
    with transaction(app.extensions["docsys.sessions"]) as session:
        d = session.get(Document, document_id)
        return d.status, d.latest_version, d.assignee_id, d.official_number


def policy_says(app, username: str, action: Action, document_id: int | None = None) -> bool:
    with transaction(app.extensions["docsys.sessions"]) as session:
        document = session.get(Document, document_id) if document_id else None
        return policy.allows(get_user(session, username), action, document)


def latest_content(app, document_id: int) -> tuple[dict, int]:
    with transaction(app.extensions["docsys.sessions"]) as session:
        from docsys.versions import latest_version
        d = session.get(Document, document_id)
        return latest_version(session, d).content, d.latest_version


def user_id(app, username: str) -> int:
    with transaction(app.extensions["docsys.sessions"]) as session:
        return get_user(session, username).id


# ---- the three doors -----------------------------------------------------------------------

@dataclass
class Doors:
    app: object
    browser: Callable
    api_token: Callable
    _browsers: dict
    _tokens: dict
    secret_file: str = ""   # the demo signers' clave de firma, for the CLI

    def page(self, username):
        if username not in self._browsers:
            self._browsers[username] = self.browser(username)
        return self._browsers[username]

    def api(self, username, method, path, **kwargs):
        if username not in self._tokens:
            self._tokens[username] = self.api_token(username)
        client = self.app.test_client()
        headers = {"Authorization": f"Bearer {self._tokens[username]}"}
        return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def cli(self, *args):
        return self.app.test_cli_runner().invoke(args=["docsys", *map(str, args)])


def via_page(doors: Doors, username: str, action: Action, doc: int) -> bool:
    b = doors.page(username)
    if action == Action.VIEW:
        r = b.get(f"/documentos/{doc}/revision")
    elif action == Action.EDIT:
        content, base = latest_content(doors.app, doc)
        r = b.post_json(f"/documentos/{doc}/guardar", {"content": content, "base_version": base,
                                                        "note": "matriz"})
    elif action == Action.COMMENT:
        r = b.post_form(f"/documentos/{doc}/comentarios", {"body": "Observación de prueba"})
    elif action == Action.VISTO_BUENO:
        r = b.post_form(f"/documentos/{doc}/visto-bueno", {"clave_firma": SECRET},
                        content_type="multipart/form-data")
    elif action == Action.DERIVE:
        r = b.post_form(f"/documentos/{doc}/derivar",
                        {"to_user": str(user_id(doors.app, "asesor")), "note": REASON})
    elif action == Action.ISSUE:
        r = b.post_form(f"/documentos/{doc}/emitir", {"entiendo": "si", "clave_firma": SECRET},
                        content_type="multipart/form-data")
    elif action == Action.PUBLISH:
        r = b.post_form(f"/documentos/{doc}/publicar", {"entiendo": "si"})
    elif action == Action.START_CORRECTION:
        r = b.post_form(f"/documentos/{doc}/corregir", {"tipo": "rectificar", "motivo": REASON})
    else:
        r = b.post_form(f"/documentos/{doc}/acciones/{action.value}", {"reason": REASON})
    assert r.status_code < 500, r.get_data(as_text=True)[:500]
    return r.status_code < 400


def via_api(doors: Doors, username: str, action: Action, doc: int) -> bool:
    call = doors.api
    if action == Action.VIEW:
        r = call(username, "GET", f"/documents/{doc}")
    elif action == Action.EDIT:
        content, base = latest_content(doors.app, doc)
        r = call(username, "POST", f"/documents/{doc}/versions",
                 json={"content": content, "base_version": base})
    elif action == Action.COMMENT:
        r = call(username, "POST", f"/documents/{doc}/comments", json={"body": "Observación"})
    elif action == Action.VISTO_BUENO:
        r = call(username, "POST", f"/documents/{doc}/vistos-buenos", json={"secret": SECRET})
    elif action == Action.DERIVE:
        r = call(username, "POST", f"/documents/{doc}/derivations",
                 json={"to": "asesor", "note": REASON})
    elif action == Action.ISSUE:
        r = call(username, "POST", f"/documents/{doc}/issue", json={"secret": SECRET})
    elif action == Action.PUBLISH:
        r = call(username, "POST", f"/documents/{doc}/publish")
    elif action == Action.START_CORRECTION:
        r = call(username, "POST", f"/documents/{doc}/corrections",
                 json={"kind": "rectificar", "reason": REASON})
    else:
        r = call(username, "POST", f"/documents/{doc}/transitions",
                 json={"action": action.value, "reason": REASON})
    assert r.status_code < 500, r.get_data(as_text=True)[:500]
    return r.status_code < 400


# The actions the CLI has a command for (the others have none: viewing, editing, commenting
# and deriving are the page's and the API's).
CLI_ACTIONS = frozenset({Action.VISTO_BUENO, Action.ISSUE, Action.PUBLISH,
                         Action.START_CORRECTION, Action.SEND, Action.OBSERVE, Action.APPROVE,
                         Action.RETURN})


def via_cli(doors: Doors, username: str, action: Action, doc: int) -> bool:
    if action == Action.VISTO_BUENO:
        result = doors.cli("visto-bueno", doc, "--user", username, "--secret-file",
                           doors.secret_file)
    elif action == Action.ISSUE:
        result = doors.cli("issue", doc, "--user", username, "--secret-file", doors.secret_file)
    elif action == Action.PUBLISH:
        result = doors.cli("publish", doc, "--user", username)
    elif action == Action.START_CORRECTION:
        result = doors.cli("correct", doc, "--kind", "rectificar", "--user", username,
                           "--reason", REASON)
    else:
        assert action in CLI_ACTIONS, action
        result = doors.cli("transition", doc, action.value, "--user", username,
                           "--reason", REASON)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code == 0


DOORS = {"page": via_page, "api": via_api, "cli": via_cli}

# Allowed actions that leave the document's state, version, assignee and number as they
# were (deriving changes the assignee only), so they are taken on the shared document; any
# other allowed action gets a fresh one.
KEEPS_THE_STATE = frozenset({Action.VIEW, Action.DERIVE, Action.COMMENT})


@pytest.fixture
def doors(app, browser, api_token, tmp_path):
    _setup(app)
    secret_file = tmp_path / "clave-de-firma.txt"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    return Doors(app, browser, api_token, {}, {}, str(secret_file))


@pytest.mark.parametrize("state", list(Status))
def test_every_door_gives_the_policys_answer(doors, state):
    app = doors.app
    shared = make_document(app, state)
    disagreements, allowed_somewhere = [], 0
    for username in USERS:
        for action in DOCUMENT_ACTIONS:
            expected = policy_says(app, username, action, shared)
            allowed_somewhere += expected
            for door, take in DOORS.items():
                if door == "cli" and action not in CLI_ACTIONS:
                    continue
                doc = (make_document(app, state, vistos=action != Action.VISTO_BUENO)
                       if expected and action not in KEEPS_THE_STATE else shared)
                before = snapshot(app, doc)
                answer = take(doors, username, action, doc)
                if answer != expected:
                    disagreements.append(f"{door}: {username} {action.value} en {state.value} → "
                                         f"{'sí' if answer else 'no'}, la política dice "
                                         f"{'sí' if expected else 'no'}")
                if not answer:
                    assert snapshot(app, doc) == before, (door, username, action, state)
    assert not disagreements, "\n".join(disagreements)
    assert allowed_somewhere  # every state allows somebody something


@pytest.mark.parametrize("action, page, api", [
    (Action.CREATE, ("GET", "/documentos/nuevo"), ("POST", "/documents")),
    (Action.IMPORT, ("GET", "/archivo/importar"), None),
    (Action.REVIEW_METADATA, ("GET", "/archivo/revision"), None),
    (Action.CONFIRM_RELATION, ("GET", "/archivo/relaciones"),
     ("POST", "/compliance/relations/999999/confirm")),
    (Action.ADMINISTER, ("GET", "/admin/plantillas"), None),
    (Action.KEEP_CERTIFICATE, ("GET", "/cuenta/certificado"), None),
])
def test_actions_on_no_document_follow_the_policy(doors, action, page, api):
    for username in USERS:
        expected = policy_says(doors.app, username, action)
        response = doors.page(username).get(page[1])
        assert (response.status_code == 200) == expected, (username, page)
        assert response.status_code in (200, 403)
        menu = doors.page(username).get("/").get_data(as_text=True)
        assert (f'href="{page[1]}"' in menu) == expected, (username, "menú", page)
        if api is not None:
            body = {"template": RG, "fields": {"sumilla": "Nueva", **FIELDS}} \
                if action == Action.CREATE else {"effective_date": "2026-01-01"}
            r = doors.api(username, api[0], api[1], json=body)
            # Allowed: created, or (a relation that does not exist) 404; refused: 403.
            assert (r.status_code != 403) == expected, (username, api, r.status_code)


def test_the_import_command_follows_the_policy(doors, tmp_path):
    for username in USERS:
        result = doors.cli("import", str(tmp_path), "--user", username, "--quiet")
        assert (result.exit_code == 0) == policy_says(doors.app, username, Action.IMPORT), \
            (username, result.output)
