"""The catalogue in the Wagtail admin: entries and providers as snippets, import.

Provider editors see and change only their providers' entries: the permission
policies of credentials.permissions decide, registered here before Wagtail
looks any policy up. Their history goes to `CatalogueLogEntry`, which gives
provider editors only their own providers' rows wherever Wagtail lists the log.
"""

import functools

import django_filters
from django.db.models import Avg, Count
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .forms import MicroCredentialForm, ProviderForm
from .models import CatalogueLogEntry, MicroCredential, Provider
from .permissions import (
    ENTRY_ACTIONS,
    PROVIDER_ACTIONS,
    editable_provider_ids,
    entry_policy,
    provider_policy,
)

register_permission_policy(MicroCredential, entry_policy)
register_permission_policy(Provider, provider_policy)


@hooks.register("register_log_actions")
def register_catalogue_log(actions):
    for model in (MicroCredential, Provider):
        actions.register_model(model, CatalogueLogEntry)


class CompletenessColumn(Column):
    def get_value(self, instance):
        value = getattr(instance, self.accessor, None)
        if value is None:
            return "–"
        return f"{round(value)} / {len(_eu())}"


def _eu():
    from .models import EU_ELEMENTS

    return EU_ELEMENTS


class ProviderScopedChooserMixin:
    """The chooser modal lists, and returns, only what the user edits for."""

    def scope(self, objects):
        ids = editable_provider_ids(self.request.user)
        if ids is None:
            return objects
        field = policy_registry.get_by_type(self.model_class).provider_field
        return objects.filter(**{f"{field}__in": ids})

    def get_object_list(self):
        return self.scope(super().get_object_list())

    def get_object(self, pk):
        return self.scope(self.model_class.objects.all()).get(pk=pk)

    def get_objects(self, pks):
        return self.scope(super().get_objects(pks))


class ProviderScopedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = type(
        "ChooseView", (ProviderScopedChooserMixin, chooser.ChooseView), {}
    )
    choose_results_view_class = type(
        "ChooseResultsView",
        (ProviderScopedChooserMixin, chooser.ChooseResultsView),
        {},
    )
    chosen_view_class = type(
        "ChosenView", (ProviderScopedChooserMixin, chooser.SnippetChosenView), {}
    )
    chosen_multiple_view_class = type(
        "ChosenMultipleView",
        (ProviderScopedChooserMixin, chooser.SnippetChosenMultipleView),
        {},
    )


class ProviderScopedViewSetMixin:
    """Every view of one object answers 404 unless the user may act on the object.

    Wagtail's snippet views check model permissions (may this user edit entries
    at all?), and only a few of them ask the permission policy about the object
    itself; this covers the rest (edit, delete, history, usage, revisions,
    preview, unpublish, locking) whatever Wagtail adds later.
    """

    object_actions = ENTRY_ACTIONS
    chooser_viewset_class = ProviderScopedChooserViewSet

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)
        # The policy registered for the model above (register_permission_policy).
        policy = policy_registry.get_by_type(self.model)
        actions = self.object_actions

        @functools.wraps(view)
        def scoped_view(request, *args, **kwargs):
            pk = kwargs.get("pk")
            if (
                pk is not None
                and editable_provider_ids(request.user) is not None
                and not policy.instances_user_has_any_permission_for(
                    request.user, actions
                )
                .filter(pk=pk)
                .exists()
            ):
                raise Http404
            return view(request, *args, **kwargs)

        return scoped_view


def _own_providers(request):
    """The providers offered by the entries' filter: the user's own."""
    ids = editable_provider_ids(request.user)
    providers = Provider.objects.all()
    return providers if ids is None else providers.filter(pk__in=ids)


class MicroCredentialFilterSet(WagtailFilterSet):
    provider = django_filters.ModelChoiceFilter(
        queryset=_own_providers, label=_("provider")
    )

    class Meta:
        model = MicroCredential
        fields = ["provider", "status", "delivery_mode", "level", "language"]


class MicroCredentialViewSet(ProviderScopedViewSetMixin, SnippetViewSet):
    model = MicroCredential
    icon = "doc-full-inverse"
    menu_label = _("Micro-credentials")
    list_display = [
        "title",
        "provider",
        "status",
        CompletenessColumn("completeness", label=_("EU elements stated")),
        "updated_at",
    ]
    filterset_class = MicroCredentialFilterSet
    search_fields = ["title", "description", "external_id"]
    # The database directly: Wagtail's index cannot search external_id, and it
    # misses the entries that imports bulk-create.
    search_backend_name = None
    ordering = ["title"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        MicroCredential.panels, base_form_class=MicroCredentialForm
    )

    def get_queryset(self, request):
        return entry_policy.instances_user_has_any_permission_for(
            request.user, ENTRY_ACTIONS
        ).select_related("provider")


class ProviderViewSet(ProviderScopedViewSetMixin, SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    list_display = [
        "name",
        "provider_type",
        "region",
        Column("credential_count", label=_("Entries")),
        CompletenessColumn("average_completeness", label=_("Average EU elements")),
    ]
    list_filter = ["provider_type"]
    search_fields = ["name"]
    object_actions = PROVIDER_ACTIONS
    edit_handler = ObjectList(Provider.panels, base_form_class=ProviderForm)

    def get_queryset(self, request):
        return provider_policy.instances_user_has_any_permission_for(
            request.user, self.object_actions
        ).annotate(
            credential_count=Count("credentials"),
            average_completeness=Avg("credentials__completeness"),
        )


class CatalogueGroup(SnippetViewSetGroup):
    items = (MicroCredentialViewSet, ProviderViewSet)
    menu_icon = "list-ul"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path(
            "catalogue/import/",
            admin_views.import_view,
            name="credentials_import",
        ),
        path(
            "catalogue/import/<int:pk>/",
            admin_views.import_job_view,
            name="credentials_import_job",
        ),
        path(
            "catalogue/import/<int:pk>/status.json",
            admin_views.import_job_status,
            name="credentials_import_job_status",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import catalogue"),
        reverse("credentials_import"),
        icon_name="upload",
        order=301,
    )
