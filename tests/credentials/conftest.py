import os
from pathlib import Path

import pytest

SPECS = Path(__file__).resolve().parents[1] / "specs"


@pytest.fixture
def lakeshore(db):
    from .factories import make_provider

    return make_provider("Lakeshore College")


@pytest.fixture
def rideau(db):
    from .factories import make_provider

    return make_provider("Rideau College", region="Ottawa, Ontario")


@pytest.fixture
def demo_catalogue(home_page):
    """The seeded demo catalogue (about 200 entries, some drafts and archived)."""
    from credentials import seed

    seed.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
    return home_page


@pytest.fixture(scope="session")
def achievement_schema():
    import json

    path = SPECS / "ob_v3p0_achievementcredential.schema.json"
    if not path.exists():
        raise RuntimeError(
            f"The Open Badges 3.0 schema is missing at {path} "
            "(see tests/specs/README.md)."
        )
    schema = json.loads(path.read_text())
    return {
        "$schema": schema.get(
            "$schema", "https://json-schema.org/draft/2019-09/schema"
        ),
        "$ref": "#/$defs/Achievement",
        "$defs": schema["$defs"],
    }
