"""Who gets into the admin and what they may do there: staff only; editors edit the archive's records but not
accounts; repeated failed logins pause the account."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from archive.models import Article
from archive.roles import EDITOR_GROUP, EDITOR_MODELS, ensure_editor_group
from tests.factories import make_document, make_person
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", "ed@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def log_in(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def test_the_editor_group_exists_after_migrate_with_view_add_change_on_the_records_only():
    """A migrated database has the editor group: view, add and change on each record type, no delete, no accounts."""
    group = Group.objects.get(name=EDITOR_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {f"{action}_{model}" for action in ("view", "add", "change") for model in EDITOR_MODELS}
    assert not group.permissions.exclude(content_type__app_label="archive").exists()


def test_setting_up_the_editor_group_again_restores_its_definition():
    """Run again (as every migrate does), the set-up keeps one group and undoes a hand-made extra permission."""
    group = Group.objects.get(name=EDITOR_GROUP)
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    ensure_editor_group()
    assert Group.objects.filter(name=EDITOR_GROUP).count() == 1
    assert not group.permissions.filter(codename="delete_user").exists()


def test_an_editor_adds_an_article_with_a_quotation_in_the_admin(editor_client):
    """An editor (staff, in the editor group) can add an article with its quotation through the admin form."""
    assert editor_client.get(reverse("admin:archive_article_add")).status_code == 200
    speaker, charter = make_person("Lim Jock Hoi"), make_document("ASEAN Charter")
    response = editor_client.post(reverse("admin:archive_article_add"), article_form(speaker, charter))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article = Article.objects.get(slug="asean-centrality")
    assert article.quotations.get().speaker == speaker


@pytest.mark.parametrize("model", ["person", "role", "organisation", "document", "quotation", "documentmention"])
def test_an_editor_can_open_the_add_page_of_each_record_type(editor_client, model):
    """Editors may add people, roles, organisations, documents, quotations and document mentions."""
    assert editor_client.get(reverse(f"admin:archive_{model}_add")).status_code == 200


def test_an_editor_cannot_manage_users_or_groups(editor_client, editor):
    """Editors are refused the user and group admin, so they cannot create accounts or raise their own rights."""
    for url in [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[editor.pk]),
        reverse("admin:auth_group_changelist"),
    ]:
        assert editor_client.get(url).status_code == 403, url
    editor_client.post(reverse("admin:auth_user_change", args=[editor.pk]), {"username": "ed", "is_superuser": "on"})
    editor.refresh_from_db()
    assert not editor.is_superuser
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "/admin/auth/user/" not in index and "/admin/archive/article/" in index


def test_an_editor_cannot_delete_records(editor_client, seed_archive):
    """Deleting is kept for administrators: an editor's delete request is refused and the article stays."""
    url = reverse("admin:archive_article_delete", args=[seed_archive.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=seed_archive.pk).exists()


def test_a_non_staff_account_cannot_log_in_to_the_admin(client, django_user_model):
    """The right password of an account that is not staff does not open the admin."""
    django_user_model.objects.create_user("reader", password=PASSWORD)
    response = log_in(client, "reader", PASSWORD)
    assert response.status_code == 200 and "staff account" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_sixth_login_attempt_is_refused_even_with_the_right_password(client, editor):
    """After five wrong passwords for one account from one address, even the right one is refused, with a message."""
    for attempt in range(4):
        response = log_in(client, "ed", f"wrong-{attempt}")
        assert response.status_code == 200 and "correct username and password" in response.content.decode()
    assert log_in(client, "ed", "wrong-4").status_code == 429
    response = log_in(client, "ed", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed logins" in page and "15 minutes" in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_pause_is_per_account_and_address_and_ends_after_the_cool_off(client, editor, django_user_model):
    """A paused account does not pause others or other addresses, and its pause ends after 15 minutes."""
    django_user_model.objects.create_user("chief", password=PASSWORD, is_staff=True)
    for attempt in range(5):
        log_in(client, "ed", f"wrong-{attempt}")
    assert log_in(client, "ed", PASSWORD).status_code == 429
    assert log_in(client, "chief", PASSWORD).status_code == 302
    client.logout()
    other_address = client.post(
        reverse("admin:login"), {"username": "ed", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    assert other_address.status_code == 302
    client.logout()

    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16))
    assert log_in(client, "ed", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures_before_it(client, editor):
    """Four wrong passwords, then the right one: the count starts again, so four more wrong ones do not lock."""
    for attempt in range(4):
        log_in(client, "ed", f"wrong-{attempt}")
    assert log_in(client, "ed", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert log_in(client, "ed", f"wrong-again-{attempt}").status_code == 200
    assert log_in(client, "ed", PASSWORD).status_code == 302
