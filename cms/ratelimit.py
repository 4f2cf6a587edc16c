"""A small fixed-window counter for limits of our own (emails a form may send)."""

import hashlib

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """ "5/h" -> (5, 3600)."""
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period or "h"]


def consume(scope, value, rate):
    """Count one use of `value` in `scope`; False once it is over `rate`.

    The value is hashed, so addresses never sit in the cache as they are. A
    cache that fails counts nothing: a limit is a brake on abuse, never what
    decides who may see something.
    """
    limit, period = parse_rate(rate)
    digest = hashlib.sha256(str(value).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit
