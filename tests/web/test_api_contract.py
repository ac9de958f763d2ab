"""The API's contract: the OpenAPI document docsys serves is valid, and a bounded,
deterministic property-based run (schemathesis) against the app in process, with a real
token, finds no server error, no undocumented status code and no response that
contradicts its schema. Timestamps carry their UTC offset."""
from __future__ import annotations

import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from docsys import accounts
from docsys.db import transaction
from tests.conftest import get_user
from tests.search.test_app_search import any_app  # noqa: F401 - a fixture

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
FREE_TEXT_ONLY = {"GET /verify/{code}"}
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


def _token(app, username):
    with transaction(app.extensions["docsys.sessions"]) as s:
        return accounts.create_api_token(s, get_user(s, username), "contrato")


def test_openapi_document_validates(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)          # raises on any error (OpenAPI 3.1 and its JSON Schema)
    assert "title" not in spec["paths"]["/compliance/check"]["post"]["responses"]["200"][
        "content"]["application/json"]["schema"]["properties"]["citations"]["items"][
        "properties"]["match"]


def test_timestamps_carry_their_offset(app, client):
    token = _token(app, "redactor")
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/documents", headers=auth, json={
        "template": "resolucion-gerencia-municipal",
        "fields": {"sumilla": "Aprobar el plan de trabajo", "expediente": "2026-1"}})
    assert created.status_code == 201, created.get_json()
    document = created.get_json()
    assert OFFSET.match(document["created_at"]) and OFFSET.match(document["updated_at"])
    versions = client.get(f"/api/v1/documents/{document['id']}/versions", headers=auth)
    assert all(OFFSET.match(v["created_at"]) for v in versions.get_json()["versions"])
    flow = client.get(f"/api/v1/documents/{document['id']}/workflow", headers=auth).get_json()
    assert all(OFFSET.match(t["at"]) for t in flow["transitions"] + flow["vistos_buenos"])


def test_property_based_run_against_the_contract(any_app):
    """Every operation, a few generated requests each (valid and invalid), derandomized:
    the same requests on every run, on both databases (PostgreSQL is the stricter)."""
    app, client = any_app, any_app.test_client()
    token = _token(app, "redactor")
    auth = {"Authorization": f"Bearer {token}"}
    client.post("/api/v1/documents", headers=auth, json={   # so that some ids exist
        "template": "resolucion-gerencia-municipal",
        "fields": {"sumilla": "Aprobar el plan de trabajo", "expediente": "2026-1"}})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode == GenerationMode.NEGATIVE and operation.label in FREE_TEXT_ONLY:
                continue    # nothing in it can be invalid (hypothesis would search in vain)
            @settings(max_examples=5, derandomize=True, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                response = case.call(headers=auth)
                case.validate_response(response, checks=CHECKS)
            try:
                run()
            except Unsatisfiable:
                pass    # no invalid value found for this operation within the budget
            except Exception as exc:   # noqa: BLE001 - collected, reported below
                failures.append(f"{operation.label} ({mode.value}): "
                                f"{str(exc).strip()[:1500]}")
    assert not failures, "\n\n".join(failures)
