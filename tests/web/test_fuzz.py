"""A fuzz run of /api/v1 from its own OpenAPI schema: whatever is sent, never a 500."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine
from tests.web.conftest import PASSWORD, literal_province

from ansinh.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CHECKS = [not_a_server_error, response_schema_conformance]
# The suite's run is reproducible (the same cases each time, so CI does not flicker); set
# ANSINH_FUZZ_RANDOM=1 for fresh random cases, as when hunting (a NUL in a username was found so).
RANDOM = os.environ.get("ANSINH_FUZZ_RANDOM") == "1"


def test_api_never_fails_with_a_server_error(engine: Engine, tmp_path: Path) -> None:
    literal_province(engine, tmp_path)
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(engine, secure_cookies=False)
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {"/api/v1/households", "/api/v1/households/{household_id}"} <= {
        op.path for op in operations
    }
    token: dict[str, str] = {}
    for operation in operations:
        _fuzz(operation, token)


def _fuzz(operation: Any, token: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not RANDOM,
        database=None,
    )
    def run(case: Any) -> None:
        signed_in = case.path != "/api/v1/auth/token" or case.method.upper() == "DELETE"
        headers = {"Authorization": f"Bearer {_token(case, token)}"} if signed_in else {}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    run()


def _token(case: Any, cache: dict[str, str]) -> str:
    """A province administrator's token, asked for once; renewed if a fuzzed DELETE revoked it."""
    if "admin" not in cache or case.method.upper() == "DELETE":
        reply = TestClient(case.operation.schema.app).post(
            "/api/v1/auth/token", data={"username": "admin", "password": PASSWORD}
        )
        cache["admin"] = reply.json()["access_token"]
    return cache["admin"]
