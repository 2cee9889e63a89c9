"""schemathesis against the app's OpenAPI schema: generated requests to every GET operation never
get a server error (5xx), on the demo database with its hostile page. (schemathesis's own pytest
integration does not run under this pytest, so each operation's strategy is driven here.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from threatscape.serve.app import create_app


def test_no_generated_request_gets_a_server_error(serve_db: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(serve_db)).include(method="GET")
    tried: list[str] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @settings(
            max_examples=20, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

        check()
    assert len(tried) >= 6, tried  # every GET of the API and the pages
    assert failures == []
