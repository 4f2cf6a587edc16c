"""Blocks for framework documents: the shared blocks plus principles."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from cms.blocks import BaseStreamBlock


class PrincipleBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Principle"), max_length=200)
    statement = blocks.TextBlock(label=_("Statement"))
    evidence = blocks.TextBlock(
        label=_("Evidence"),
        help_text=_("What evidence shows that the principle is met."),
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Principle")


class PrinciplesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Shown above the principles and listed in the contents."),
    )
    principles = blocks.ListBlock(PrincipleBlock(), min_num=1)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["heading"]) if value["heading"] else ""
        return context

    class Meta:
        icon = "list-ul"
        label = _("Principles")
        template = "frameworks/components/principles_block.html"


class FrameworkStreamBlock(BaseStreamBlock):
    principles = PrinciplesBlock()
