"""Spam control for the contact form: a honeypot field and a per-IP rate limit."""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .http import client_ip

HONEYPOT_FIELD = "website"


class ContactRateLimited(Exception):
    message = _(
        "You have sent several messages in a short time. Please wait an hour "
        "and try again, or email the coordinator directly."
    )


def parse_rate(rate):
    """ "5/h" -> (5, 3600); the period may have a count: "10/15m"."""
    count, _sep, period = rate.partition("/")
    period = period or "h"
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[-1]]
    return int(count), int(period[:-1] or 1) * unit


def check_contact_rate(request):
    """Count one submission for this IP; raise once it is over the limit."""
    limit, period = parse_rate(settings.CONTACT_RATE_LIMIT)
    key = f"contact-rate:{client_ip(request)}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period)
        count = 1
    if count > limit:
        raise ContactRateLimited()


def contact_form_class(base_class):
    """Wrap a Wagtail form class with a field that only robots fill in."""

    class ContactForm(base_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[HONEYPOT_FIELD] = forms.CharField(
                required=False,
                label=_("Leave this field empty"),
                widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
            )

        def clean(self):
            cleaned = super().clean()
            if cleaned.get(HONEYPOT_FIELD):
                raise forms.ValidationError(
                    _("Your message looks like spam and was not sent."),
                    code="spam",
                )
            cleaned.pop(HONEYPOT_FIELD, None)
            return cleaned

    return ContactForm
