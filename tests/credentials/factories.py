"""Catalogue entries for tests, saved through the model so search vectors are built."""

import itertools

from django.utils.text import slugify

from credentials.models import CredentialStartDate, MicroCredential, Provider

_numbers = itertools.count(1)


def make_provider(name="Lakeshore College", **fields):
    fields.setdefault("slug", slugify(name))
    fields.setdefault("provider_type", "college")
    fields.setdefault("region", "Toronto, Ontario")
    fields.setdefault("website", f"https://{fields['slug']}.example.org")
    provider, _created = Provider.objects.get_or_create(name=name, defaults=fields)
    return provider


def make_credential(
    title="Data Analytics Foundations",
    *,
    provider=None,
    skills=(),
    start_dates=(),
    **fields,
):
    """A published, live entry unless `status` says otherwise."""
    number = next(_numbers)
    provider = provider or make_provider()
    status = fields.pop("status", "published")
    fields.setdefault("slug", f"{slugify(title)[:80]}-{number}")
    fields.setdefault("external_id", f"T-{number}")
    fields.setdefault("description", "A short course.")
    fields.setdefault("delivery_mode", "online")
    fields.setdefault("level", "introductory")
    fields.setdefault("duration_weeks", 6)
    fields.setdefault("workload_hours", 30)
    credential = MicroCredential(
        title=title,
        provider=provider,
        status=status,
        live=status == "published",
        **fields,
    )
    if skills:
        credential.skills.add(*skills)
    for order, day in enumerate(start_dates):
        credential.start_dates.add(CredentialStartDate(date=day, sort_order=order))
    credential.save()
    return credential
