import os

import pytest


@pytest.fixture
def french_site(home_page):
    """The seeded English pages and their French translations (seed_demo's)."""
    from cms import seed_french

    return seed_french.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115
