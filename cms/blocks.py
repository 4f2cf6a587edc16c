"""The StreamField blocks every app's pages are built from."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Level 2")), ("h3", _("Level 3"))], default="h2"
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text=_("Link target for this heading; made from the heading if empty."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["anchor"] or value["text"])
        return context

    class Meta:
        icon = "title"
        template = "components/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=200)
    source_url = blocks.URLBlock(required=False, label=_("Source link"))

    class Meta:
        icon = "openquote"
        template = "components/quote_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        help_text=_(
            "Describe the image for people who cannot see it; "
            "leave empty only if it is decorative."
        ),
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "components/image_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "components/document_link_block.html"


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False)
    button_text = blocks.CharBlock(max_length=60, default=_("Find out more"))

    class Meta:
        icon = "pick"
        template = "components/call_to_action_block.html"


def validate_link(value):
    """A path on this site ("/catalogue/", "/events/x/#register") or a web address."""
    from django.core.exceptions import ValidationError

    if value and not value.startswith(("/", "https://", "http://")):
        raise ValidationError(
            _("Enter a path on this site, starting with /, or a web address.")
        )


class ActionLinkBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        required=False,
        max_length=300,
        validators=[validate_link],
        help_text=_("Instead of a page: a path on this site or a web address."),
    )


class ActionsBlock(blocks.StructBlock):
    """A row of buttons to what most visitors come for, the first the main one.

    A link with neither a page nor an address is not shown (the demo's seed
    fills each in once its target exists)."""

    links = blocks.ListBlock(ActionLinkBlock(), min_num=1, max_num=4)

    class Meta:
        icon = "pick"
        label = _("Buttons")
        template = "components/actions_block.html"


class EmbedMediaBlock(blocks.StructBlock):
    embed = EmbedBlock(help_text=_("Address of a video or other media to embed."))
    title = blocks.CharBlock(
        max_length=200, help_text=_("Names the embedded frame for screen readers.")
    )

    class Meta:
        icon = "media"
        template = "components/embed_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, template="components/rich_text_block.html"
    )
    quote = QuoteBlock()
    image = ImageBlock()
    document = DocumentLinkBlock()
    call_to_action = CallToActionBlock()
    actions = ActionsBlock()
    embed = EmbedMediaBlock()
    table = TableBlock(template="components/table_block.html")
