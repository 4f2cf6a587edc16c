"""`{% csrf_token %}` for every template (a builtin listed after Django's):
an ESI include when Varnish will fill it in (cms/esi.py), the token otherwise."""

from django import template
from django.template.defaulttags import CsrfTokenNode

from cms import esi

register = template.Library()


class EdgeCsrfTokenNode(CsrfTokenNode):
    def render(self, context):
        request = context.get("request")
        if request is not None and esi.edge_processes_esi(request):
            return esi.csrf_include(request)
        return super().render(context)


@register.tag
def csrf_token(parser, token):
    return EdgeCsrfTokenNode()
