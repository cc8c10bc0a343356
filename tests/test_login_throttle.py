"""Login throttling counts failures per user name at an address (a typo-prone person is
locked out alone) and per address across user names (one address guessing at many
accounts is locked out too), at a higher limit so an office behind one address is not
locked out by a few people's typos."""

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
ATTACKER, OFFICE = "203.0.113.7", "198.51.100.20"


def login(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_an_address_failing_across_many_user_names_is_locked(client):
    UserFactory(username="aigerim", password=PASSWORD)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    # Each name fails fewer times than the per-name limit: only the address count grows.
    for n in range(limit):
        login(client, f"guess{n}", "wrong", ATTACKER)
    response = login(client, "aigerim", PASSWORD, ATTACKER)
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session
    # Another address still signs in.
    response = login(client, "aigerim", PASSWORD, OFFICE)
    assert response.status_code == 302


def test_fewer_failures_across_names_do_not_lock_the_address(client):
    UserFactory(username="aigerim", password=PASSWORD)
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"colleague{n}", "wrong", OFFICE)
    assert login(client, "aigerim", PASSWORD, OFFICE).status_code == 302


def test_one_name_is_still_locked_at_its_own_limit(client):
    UserFactory(username="aigerim", password=PASSWORD)
    UserFactory(username="bolat", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "aigerim", "wrong", OFFICE)
    assert login(client, "aigerim", PASSWORD, OFFICE).status_code in (403, 429)
    # A colleague at the same address is not locked by it.
    assert login(client, "bolat", PASSWORD, OFFICE).status_code == 302


def test_a_successful_login_does_not_clear_the_address_count(client):
    """Signing in to one account the attacker holds must not wipe the address's failures."""
    UserFactory(username="aigerim", password=PASSWORD)
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        login(client, f"guess{n}", "wrong", ATTACKER)
    assert login(client, "aigerim", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    login(client, "guess-last", "wrong", ATTACKER)
    assert login(client, "aigerim", PASSWORD, ATTACKER).status_code in (403, 429)
