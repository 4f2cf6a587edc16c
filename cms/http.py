"""The client's address, for every rate limit (ours and allauth's).

Behind reverse proxies, REMOTE_ADDR is the nearest proxy's address, the same
for every visitor; the visitor's address is in X-Forwarded-For, which each
proxy extends with the address it received the request from. Anyone can send
that header, so it is believed only when REMOTE_ADDR is one of TRUSTED_PROXIES
and only as far as TRUSTED_PROXY_COUNT entries from the right: the entries our
own proxies appended. With TRUSTED_PROXY_COUNT = 0 (the default) the header is
ignored altogether.
"""

import ipaddress

from django.conf import settings


def _address(value):
    """A normalised IP address, or None for anything else (ports removed)."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:443
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _is_trusted_proxy(address):
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(
        ip in ipaddress.ip_network(network, strict=False)
        for network in settings.TRUSTED_PROXIES
    )


def client_ip(request):
    """The address of the client that sent this request, as a string.

    The one helper for per-address limits: allauth's (through the account
    adapter), the contact form's, the guest registration's and the password-
    protected pages'.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0 and _is_trusted_proxy(remote):
        forwarded = [
            part
            for part in request.headers.get("X-Forwarded-For", "").split(",")
            if part.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: the request skipped the outer ones,
            # and the leftmost entry is the one our first proxy wrote.
            candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
            address = _address(candidate)
            if address:
                return address
    return remote or "unknown"
