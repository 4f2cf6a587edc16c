from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


# allauth's few nouns where the house writes a verb or another spelling.
_WORDS = {"Signup": "Sign up", "E-mail": "Email", "e-mail": "email"}


def _lower_word(word, first):
    if word in _WORDS:
        return _WORDS[word]
    parts = word.split("-")
    out = []
    for index, part in enumerate(parts):
        keep = (first and index == 0) or len(part) < 2 or part.isupper()
        if not keep and part[0].isupper():
            part = part[0].lower() + part[1:]
        out.append(part)
    return "-".join(out)


@register.filter(is_safe=True)
def sentence_case(text):
    """ "Sign In" → "Sign in", "Two-Factor Authentication" → "Two-factor
    authentication"; acronyms ("TOTP") stay. For allauth's title-case headings,
    labels and buttons, in the house's sentence case."""
    escaped = conditional_escape(text)
    words = str(escaped).strip().split(" ")
    return mark_safe(  # noqa: S308 - escaped above; only letters' case changes
        " ".join(_lower_word(word, index == 0) for index, word in enumerate(words))
    )
