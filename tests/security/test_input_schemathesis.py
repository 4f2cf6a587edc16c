"""Schemathesis against the API's OpenAPI document: it says all that the API does.

The app runs in-process (WSGI). Schemathesis reads /api/v1/openapi.json and
runs its phases (explicit examples, coverage, fuzzing with valid and invalid
data, stateful sequences through inferred links) with every check it has: no
server error, only documented statuses, content types and bodies matching the
document, valid requests accepted and invalid ones refused. It runs as an
anonymous visitor and as a member of a working group (who sees private
spaces), with a fixed seed and a bounded number of examples.
"""

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from .input_support import make_api_data

SEED = 20261207
MAX_EXAMPLES = 10


def run_schemathesis(headers):
    """How many cases schemathesis ran, the checks it ran, what failed (operation,
    check, why, and the request as curl) and any error it met."""
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"max-steps": 10}},
            "headers": headers,
        }
    )
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", WSGIHandler(), config=config
    )
    cases, checks_run, failures, errors = 0, set(), [], []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    checks_run.add(check.name)
                    if check.status == Status.FAILURE:
                        info = check.failure_info
                        failures.append(
                            f"{event.recorder.label} {check.name}: "
                            f"{info.failure.title}: {info.failure.message}\n"
                            f"{info.code_sample}"
                        )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(repr(event))
    return cases, checks_run, failures, errors


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_api_does_what_its_document_says(transactional_db, home_page, who):
    member = make_api_data()
    # The in-process client does not decompress; real clients do.
    headers = {"Accept-Encoding": "identity"}
    if who == "member":
        client = Client()
        client.force_login(member)
        cookie = settings.SESSION_COOKIE_NAME
        headers["Cookie"] = f"{cookie}={client.cookies[cookie].value}"
        # The session is a member's: the working group's space is listed.
        spaces = client.get("/api/v1/community/spaces").json()
        assert "drafts" in {space["slug"] for space in spaces}
    cases, checks_run, failures, errors = run_schemathesis(headers)
    assert not errors
    assert not failures, "\n\n".join(map(str, failures))
    # Every operation in every phase ran (about 540 cases for each account).
    assert cases > 400
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "positive_data_acceptance",
        "negative_data_rejection",
    } <= checks_run
