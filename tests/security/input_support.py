"""Shared data for the input tests (tests/security/test_input_*.py)."""

from community.models import Space
from tests.community.conftest import seasoned
from tests.conftest import make_user


def make_member(email="member@example.org"):
    """A verified member old enough that new-member rate limits don't apply."""
    return seasoned(make_user(email, first_name="Mira", last_name="Member"))


def make_public_space(slug="open"):
    return Space.objects.create(
        name="Community of practice", slug=slug, visibility=Space.Visibility.PUBLIC
    )
