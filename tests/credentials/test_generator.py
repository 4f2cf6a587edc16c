"""The generated demo catalogue reads as real: distinct, varied, plausible."""

import random
import re
from collections import Counter
from types import SimpleNamespace
from urllib.parse import urlsplit

from credentials.generator import PROVIDERS, TitlePool, make_entry


def _catalogue(count=200, seed=2019):
    providers = [SimpleNamespace(name=name) for name, _type, _region in PROVIDERS]
    rng = random.Random(seed)  # noqa: S311
    titles = TitlePool(rng)
    return [
        (providers[index].name, fields)
        for index, fields, _skills in (
            make_entry(rng, number, providers, titles) for number in range(count)
        )
    ]


def test_titles_are_distinct_and_never_double_a_word():
    entries = _catalogue()
    titles = [fields["title"] for _provider, fields in entries]
    assert len(set(titles)) == len(titles), Counter(titles).most_common(3)
    doubled = [t for t in titles if re.search(r"\b(\w+)\s+\1\b", t, re.IGNORECASE)]
    assert doubled == []


def test_descriptions_and_outcomes_vary():
    entries = _catalogue()
    descriptions = [fields["description"] for _provider, fields in entries]
    assert len(set(descriptions)) == len(descriptions)
    openings = Counter(" ".join(d.split()[:2]) for d in descriptions)
    assert openings.most_common(1)[0][1] < len(descriptions) / 4
    outcomes = Counter(fields["learning_outcomes"] for _provider, fields in entries)
    assert outcomes.most_common(1)[0][1] <= 5


def test_each_provider_has_its_own_address_on_a_reserved_example_domain():
    hosts = {}
    for provider, fields in _catalogue():
        host = urlsplit(fields["external_url"]).hostname
        assert host.endswith(".example.org")
        hosts.setdefault(provider, set()).add(host)
    assert all(len(found) == 1 for found in hosts.values())
    all_hosts = [next(iter(found)) for found in hosts.values()]
    assert len(set(all_hosts)) == len(all_hosts)


def test_a_large_catalogue_still_gets_distinct_titles():
    titles = [fields["title"] for _provider, fields in _catalogue(count=3000)]
    assert len(set(titles)) == len(titles)
