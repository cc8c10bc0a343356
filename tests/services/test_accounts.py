"""A person's own account changes go through ``council.services.accounts``: profile,
language (one rule: profile and cookie), calendar link, notifications, mutes; the admin's
reminder retry through ``council.services.reminders``."""

import datetime
import inspect

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from council import services, views
from council.models import Reminder, ReminderMute, User

from ..factories import CouncilFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return CouncilFactory()


@pytest.fixture
def person(council):
    user = UserFactory(username="aigerim", language="en")
    council.secretariat_staff.add(user)
    from django.contrib.auth.models import Group

    from council import roles

    roles.roles_sync()
    user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    return user


def reminder(user, council, n=1, **fields):
    return Reminder.objects.create(
        key=f"test:{user.pk}:{n}",
        kind="weekly_digest",
        recipient=user,
        council=council,
        occurrence=datetime.date(2026, 11, n),
        **fields,
    )


def test_views_write_nothing_themselves():
    for view in (
        views.profile,
        views.calendar_reset,
        views.notifications_mark_read,
        views.reminder_mute,
    ):
        source = inspect.getsource(view)
        for write in (".save(", ".update(", ".delete(", "get_or_create(", ".create("):
            assert write not in source, (view.__name__, write)
    assert not hasattr(User, "reset_calendar_token")  # the model no longer writes itself


def test_profile_is_saved_and_its_language_remembered_like_the_switcher(client, person):
    client.force_login(person)
    page = client.get(reverse("council:profile"))
    assert 'value="aigerim@example.org"' in page.content.decode()
    response = client.post(
        reverse("council:profile"),
        {
            "first_name": " Aigerim ",
            "last_name": "Sadykova",
            "email": "a@example.org",
            "language": "kk",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.language) == ("Aigerim", "kk")
    saved = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    switched = client.post(reverse("set_language"), {"language": "ru", "next": "/"}).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]
    # One rule: the same cookie, whichever way the language was chosen.
    assert saved.value == "kk" and switched.value == "ru"
    for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
        assert saved[attribute] == switched[attribute], attribute
    person.refresh_from_db()
    assert person.language == "ru"


def test_refused_profile_keeps_the_input_and_says_so(client, person):
    client.force_login(person)
    response = client.post(
        reverse("council:profile"),
        {"first_name": "Aigerim", "last_name": "", "email": "not an address", "language": "kk"},
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    person.refresh_from_db()
    assert person.language == "en" and person.first_name == ""


def test_only_the_person_or_an_admin_changes_an_account(person):
    other = UserFactory(username="bolat")
    for call in (
        lambda by: services.user_save_profile(
            user=person, by=by, first_name="X", last_name="", email="", language="ru"
        ),
        lambda by: services.user_set_language(user=person, language="ru", by=by),
        lambda by: services.user_reset_calendar_token(user=person, by=by),
        lambda by: services.notifications_mark_read(user=person, by=by),
    ):
        with pytest.raises(PermissionDenied):
            call(other)
    root = UserFactory(username="root", is_superuser=True)
    assert services.user_set_language(user=person, language="ru", by=root) is True


def test_an_unknown_language_is_refused_by_the_service(person):
    with pytest.raises(ValidationError):
        services.user_set_language(user=person, language="xx", by=person)
    with pytest.raises(ValidationError):
        services.user_save_profile(
            user=person, by=person, first_name="", last_name="", email="", language="xx"
        )


def test_calendar_reset_cuts_off_the_old_link(client, person):
    old = services.user_reset_calendar_token(user=person, by=None)
    client.force_login(person)
    client.post(reverse("council:calendar-reset"))
    person.refresh_from_db()
    assert person.calendar_token and person.calendar_token != old
    assert client.get(reverse("council:calendar-deadlines", args=[old])).status_code == 404


def test_mark_read_marks_only_the_person_s_own(client, person, council):
    other = UserFactory(username="bolat")
    mine, theirs = reminder(person, council, 1), reminder(other, council, 2)
    client.force_login(person)
    client.post(reverse("council:notification-read"))
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at and not theirs.read_at


def test_mute_and_unmute(client, person, council):
    client.force_login(person)
    url = reverse("council:reminder-mute", args=[council.pk])
    client.post(url, {"mute": "1"})
    client.post(url, {"mute": "1"})  # twice: still one preference
    assert ReminderMute.objects.filter(user=person, council=council).count() == 1
    client.post(url, {"mute": "0"})
    assert not ReminderMute.objects.filter(user=person).exists()


def test_mute_needs_a_council_the_person_follows(person):
    with pytest.raises(PermissionDenied):
        services.reminder_mute(user=person, council=CouncilFactory(), by=person)


def test_admin_retry_goes_through_the_service(admin_client, person, council):
    failed = reminder(person, council, 1, status=Reminder.Status.FAILED, attempts=5)
    sent = reminder(person, council, 2, status=Reminder.Status.SENT, attempts=1)
    response = admin_client.post(
        reverse("admin:council_reminder_changelist"),
        {"action": "retry", admin.helpers.ACTION_CHECKBOX_NAME: [failed.pk, sent.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db(), sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (Reminder.Status.PENDING, 0)
    assert sent.status == Reminder.Status.SENT
    with pytest.raises(ValidationError):
        services.reminder_retry(reminder=sent, by=None)
    with pytest.raises(PermissionDenied):
        services.reminder_retry(reminder=failed, by=person)


def test_admin_adds_a_mute_through_the_service(admin_client, person, council):
    response = admin_client.post(
        reverse("admin:council_remindermute_add"), {"user": person.pk, "council": council.pk}
    )
    assert response.status_code == 302
    assert ReminderMute.objects.filter(user=person, council=council).count() == 1
    # A person turns reminders back on in the staff app; admin deletes nothing.
    mute = ReminderMute.objects.get()
    response = admin_client.post(
        reverse("admin:council_remindermute_delete", args=[mute.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
