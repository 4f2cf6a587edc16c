"""Who may edit which providers and entries in the admin: the one place that decides.

Staff (`is_staff` or superusers) and anyone given "Can edit every provider…"
(`credentials.edit_all_providers`) act on every provider's entries, as far as
their Django permissions go. Everyone else with catalogue permissions is a
provider editor: the same permissions, limited to the providers whose `editors`
name them. A provider editor linked to no provider can do nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy

EDIT_ALL_PROVIDERS = "credentials.edit_all_providers"
# Actions that change an existing entry; any of them lets a user open it.
ENTRY_ACTIONS = ("change", "delete", "publish")
# The same for a provider.
PROVIDER_ACTIONS = ("change", "delete")

_CACHE_ATTRIBUTE = "_catalogue_provider_ids"


def edits_all_providers(user):
    """Whether this user's catalogue permissions apply to every provider."""
    return bool(
        user.is_active
        and (user.is_superuser or user.is_staff or user.has_perm(EDIT_ALL_PROVIDERS))
    )


def editable_provider_ids(user):
    """The ids of the providers this user edits for, or None for every provider.

    Cached on the user object for the rest of the request.
    """
    if edits_all_providers(user):
        return None
    ids = getattr(user, _CACHE_ATTRIBUTE, None)
    if ids is None:
        ids = frozenset()
        if user.is_authenticated and user.is_active:
            ids = frozenset(user.edited_providers.values_list("pk", flat=True))
        setattr(user, _CACHE_ATTRIBUTE, ids)
    return ids


class ProviderScopedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, limited to a provider editor's own providers.

    `provider_field` is the attribute that holds an instance's provider id
    (`provider_id` for entries, `pk` for providers themselves). Actions in
    `all_providers_actions` (adding or deleting a provider) are left to people
    who edit every provider, whatever their group grants.
    """

    def __init__(self, model, *, provider_field, all_providers_actions=()):
        super().__init__(model)
        self.provider_field = provider_field
        self.all_providers_actions = frozenset(all_providers_actions)

    def user_has_permission(self, user, action):
        if not super().user_has_permission(user, action):
            return False
        ids = editable_provider_ids(user)
        if ids is None:
            return True
        return bool(ids) and action not in self.all_providers_actions

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        ids = editable_provider_ids(user)
        return ids is None or getattr(instance, self.provider_field) in ids

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        ids = editable_provider_ids(user)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.provider_field}__in": ids})

    def users_with_any_permission_for_instance(self, actions, instance):
        everywhere = (
            Q(is_superuser=True)
            | Q(is_staff=True)
            | Q(
                groups__permissions__codename="edit_all_providers",
                groups__permissions__content_type__app_label="credentials",
            )
            | Q(
                user_permissions__codename="edit_all_providers",
                user_permissions__content_type__app_label="credentials",
            )
        )
        if set(actions) - self.all_providers_actions:
            everywhere |= Q(edited_providers=getattr(instance, self.provider_field))
        return self.users_with_any_permission(actions).filter(everywhere).distinct()


# Registered for Wagtail in wagtail_hooks.py; the import page and forms ask them too.
entry_policy = ProviderScopedPermissionPolicy(
    "credentials.MicroCredential", provider_field="provider_id"
)
provider_policy = ProviderScopedPermissionPolicy(
    "credentials.Provider",
    provider_field="pk",
    all_providers_actions=("add", "delete"),
)


# What each logged model's rows need: the actions that let a user open one.
LOGGED = ((entry_policy, ENTRY_ACTIONS), (provider_policy, PROVIDER_ACTIONS))


def policy_for(model):
    """The provider-scoped policy of a logged model."""
    for policy, _actions in LOGGED:
        if issubclass(model, policy.model):
            return policy
    raise LookupError(f"{model.__name__} is not scoped by provider")


def readable_log_entries(user):
    """Which catalogue log entries (`CatalogueLogEntry` rows) this user may read.

    A row is readable when the user may open objects of its model in the admin
    and, for a provider editor, when it is stamped with one of their providers
    (see `CatalogueLogEntryManager.log_action`). Returns a Q, or None for no row.
    """
    ids = editable_provider_ids(user)
    readable = None
    for policy, actions in LOGGED:
        if not policy.user_has_any_permission(user, actions):
            continue
        content_type = ContentType.objects.get_for_model(
            policy.model, for_concrete_model=False
        )
        rows = Q(content_type_id=content_type.pk)
        if ids is not None:
            rows &= Q(provider_id__in=ids)
        readable = rows if readable is None else readable | rows
    return readable
