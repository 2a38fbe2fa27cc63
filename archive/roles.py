"""Who may do what in the admin.

Only staff accounts get into the admin at all (Django's rule). Staff who are not superusers get their rights
from groups; the "editor" group defined here may view, add and change the archive's records, and nothing else:
no deleting, and no users or groups. The group is defined in code and brought back to exactly this definition
after every `migrate` (which `manage.py serve` runs), so a fresh deployment has it with no extra step.
"""

from django.apps import AppConfig
from django.contrib.auth.models import Group, Permission

EDITOR_GROUP = "editor"
# The archive's records, by model name; the through models are edited in the admin's inlines.
EDITOR_MODELS = (
    "article",
    "quotation",
    "quotationdocument",
    "person",
    "role",
    "organisation",
    "document",
    "documentmention",
    "documentrelation",
)
EDITOR_ACTIONS = ("view", "add", "change")


def editor_permissions(using: str = "default"):
    """The permissions the editor group holds: view, add and change on each of the archive's records."""
    return Permission.objects.using(using).filter(
        content_type__app_label="archive",
        content_type__model__in=EDITOR_MODELS,
        codename__in=[f"{action}_{model}" for action in EDITOR_ACTIONS for model in EDITOR_MODELS],
    )


def ensure_editor_group(using: str = "default") -> Group:
    """Create the editor group if missing and set its permissions to exactly the definition above."""
    group, _ = Group.objects.using(using).get_or_create(name=EDITOR_GROUP)
    group.permissions.set(editor_permissions(using))
    return group


def ensure_roles_after_migrate(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """post_migrate handler for the archive app: its permissions exist by now (auth's handler runs first)."""
    if sender.name == "archive":
        ensure_editor_group(using)
