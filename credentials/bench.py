"""Generated catalogues: the demo's 200 entries and the benchmark's 100,000.

`seed_bench(count, stdout)` is this app's part of `manage.py seed_bench`.
"""

import random
import time

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from search.registry import bump

from .generator import PROVIDERS, TitlePool, make_entry, provider_domain, start_dates
from .models import (
    EU_ELEMENTS,
    CredentialFacts,
    CredentialFactsSkill,
    CredentialStartDate,
    MicroCredential,
    Provider,
    TaggedMicroCredential,
)
from .search import INDEX_NAME, index_credentials

BATCH_SIZE = 2000
BENCH_PREFIX = "BENCH-"


def ensure_providers():
    providers = []
    for name, provider_type, region in PROVIDERS:
        provider, _created = Provider.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "provider_type": provider_type,
                "region": region,
                "website": f"https://{provider_domain(name)}/",
            },
        )
        providers.append(provider)
    return providers


def _tags(names):
    """Tag objects for these names, created when missing (few queries)."""
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [name for name in names if name not in existing]
    taken = set(Tag.objects.values_list("slug", flat=True))
    for name in missing:
        slug = base = slugify(name) or "skill"
        number = 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        existing[name] = Tag.objects.create(name=name, slug=slug)
    return existing


def generate(count, *, prefix, seed=2026, stdout=None, status_for=None):
    """Bulk-create `count` entries with external ids `<prefix>000001`…; return ids.

    `status_for(number)` chooses each entry's status (published by default).
    """
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data)
    providers = ensure_providers()
    titles = TitlePool(rng)
    now = timezone.now()
    ids = []
    started = time.monotonic()
    for batch_start in range(1, count + 1, BATCH_SIZE):
        numbers = range(batch_start, min(count, batch_start + BATCH_SIZE - 1) + 1)
        rows, skills_of, starts_of = [], [], []
        for number in numbers:
            provider_index, fields, skills = make_entry(rng, number, providers, titles)
            status = status_for(number) if status_for else "published"
            credential = MicroCredential(
                provider=providers[provider_index],
                slug=f"{slugify(fields['title'])[:200]}-{prefix.lower()}{number}",
                status=status,
                live=status == "published",
                first_published_at=now if status == "published" else None,
                last_published_at=now if status == "published" else None,
                **{**fields, "external_id": f"{prefix}{number:06d}"},
            )
            credential.completeness = credential.compute_completeness()
            rows.append(credential)
            skills_of.append(skills)
            starts_of.append(start_dates(rng, rng.randint(0, 3)))
        with transaction.atomic():
            created = MicroCredential.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            tags = _tags(sorted({name for names in skills_of for name in names}))
            TaggedMicroCredential.objects.bulk_create(
                [
                    TaggedMicroCredential(content_object_id=row.pk, tag=tags[name])
                    for row, names in zip(created, skills_of, strict=True)
                    for name in names
                ],
                batch_size=5000,
            )
            CredentialStartDate.objects.bulk_create(
                [
                    CredentialStartDate(credential_id=row.pk, date=day, sort_order=n)
                    for row, days in zip(created, starts_of, strict=True)
                    for n, day in enumerate(days)
                ],
                batch_size=5000,
            )
        ids.extend(row.pk for row in created)
        if stdout is not None and count > BATCH_SIZE:
            stdout.write(
                f"  {len(ids):,} of {count:,} entries "
                f"({time.monotonic() - started:.1f} s)"
            )
    index_credentials(ids if len(ids) < 50_000 else None)
    return ids


def remove_generated(prefix):
    """Delete generated entries in a few statements (no per-row signals).

    Generated entries have no revisions or references, only these child rows
    and their search rows.
    """
    from django.db.models import Q

    ids = MicroCredential.objects.filter(external_id__startswith=prefix).values("pk")
    stacks = MicroCredential.stacks_into.through.objects.filter(
        Q(from_microcredential_id__in=ids) | Q(to_microcredential_id__in=ids)
    )
    with transaction.atomic():
        for queryset in (
            stacks,
            CredentialFactsSkill.objects.filter(facts_id__in=ids),
            CredentialFacts.objects.filter(credential_id__in=ids),
            TaggedMicroCredential.objects.filter(content_object_id__in=ids),
            CredentialStartDate.objects.filter(credential_id__in=ids),
            MicroCredential.objects.filter(external_id__startswith=prefix),
        ):
            queryset._raw_delete(queryset.db)
    bump(INDEX_NAME)


def seed_bench(count, stdout):
    """Replace the benchmark entries with `count` freshly generated ones."""
    started = time.monotonic()
    remove_generated(BENCH_PREFIX)
    # About one in twenty is a draft and one in fifty archived, as in real life.
    generate(
        count,
        prefix=BENCH_PREFIX,
        stdout=stdout,
        status_for=lambda n: (
            "draft" if n % 20 == 0 else ("archived" if n % 50 == 1 else "published")
        ),
    )
    stdout.write(
        f"Generated {count:,} catalogue entries in {time.monotonic() - started:.1f} s "
        f"({len(EU_ELEMENTS)} EU elements scored)."
    )
