"""The working group, coordinators, draft collections and the review workflow.

They exist out of the box: the page permissions and the workflow's link to the
frameworks index page are added when that page is created (signals.py).
"""

from django.db import migrations

WORKING_GROUP = "Micro-Certification Working Group"
COORDINATORS = "Programme coordinators"
WORKFLOW = "Framework review"
WORKING_GROUP_TASK = "Working group review"
COORDINATOR_TASK = "Coordinator approval"
DRAFTS_COLLECTION = "Framework drafts"
PUBLIC_COLLECTION = "Framework documents"

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _next_step(step):
    value = int(step, 36) + 1
    digits = ""
    while value:
        value, rest = divmod(value, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _child_collection(Collection, root, name):
    existing = Collection.objects.filter(
        name=name, depth=root.depth + 1, path__startswith=root.path
    ).first()
    if existing:
        return existing
    last = (
        Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path)
        .order_by("-path")
        .first()
    )
    step = _next_step(last.path[-STEPLEN:]) if last else "0001"
    collection = Collection.objects.create(
        name=name, depth=root.depth + 1, path=root.path + step, numchild=0
    )
    Collection.objects.filter(pk=root.pk).update(
        numchild=Collection.objects.filter(
            depth=root.depth + 1, path__startswith=root.path
        ).count()
    )
    return collection


def _permission(ContentType, Permission, app_label, model, codename, name):
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _approval_task(GroupApprovalTask, task_type, name, group):
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=name, content_type=task_type, active=True
        )
    task.groups.add(group)
    return task


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore.CollectionViewRestriction")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    working_group, _ = Group.objects.get_or_create(name=WORKING_GROUP)
    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)

    access_admin = _permission(
        ContentType,
        Permission,
        "wagtailadmin",
        "admin",
        "access_admin",
        "Can access Wagtail admin",
    )
    working_group.permissions.add(access_admin)
    coordinators.permissions.add(access_admin)
    coordinators.permissions.add(
        _permission(
            ContentType,
            Permission,
            "frameworks",
            "documentdownloadcount",
            "view_documentdownloadcount",
            "Can view document downloads",
        )
    )

    document_permissions = {
        codename: _permission(
            ContentType,
            Permission,
            "wagtaildocs",
            "document",
            codename,
            f"Can {codename.split('_')[0]} document",
        )
        for codename in [
            "add_document",
            "change_document",
            "choose_document",
            "delete_document",
        ]
    }

    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        root = Collection.objects.create(
            name="Root", depth=1, path="0001", numchild=0
        )
    public = _child_collection(Collection, root, PUBLIC_COLLECTION)
    drafts = _child_collection(Collection, root, DRAFTS_COLLECTION)

    restriction = CollectionViewRestriction.objects.filter(collection=drafts).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=drafts, restriction_type="groups", password=""
        )
    restriction.groups.add(working_group, coordinators)

    grants = [
        (working_group, drafts, ["add_document", "change_document", "choose_document"]),
        (working_group, public, ["choose_document"]),
        (coordinators, drafts, list(document_permissions)),
        (coordinators, public, list(document_permissions)),
    ]
    for group, collection, codenames in grants:
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=document_permissions[codename],
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    review = _approval_task(
        GroupApprovalTask, task_type, WORKING_GROUP_TASK, working_group
    )
    approval = _approval_task(
        GroupApprovalTask, task_type, COORDINATOR_TASK, coordinators
    )
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW, defaults={"active": True}
    )
    for order, task in enumerate([review, approval]):
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
