"""The profile and signing in and out."""

from django.urls import reverse

# Profile and sign-in ------------------------------------------------------------------------


def test_profile_saves_language_and_sets_the_cookie(client, world):
    client.force_login(world.users["focal_a"])
    response = client.post(
        reverse("council:profile"), {"first_name": "Aigerim", "language": "ru", "email": ""}
    )
    assert response.status_code == 302 and response.cookies["django_language"].value == "ru"
    world.users["focal_a"].refresh_from_db()
    assert world.users["focal_a"].language == "ru"


def test_login_and_logout(client, world):
    response = client.post(
        reverse("login"), {"username": "manager", "password": "a-long-test-password"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("council:dashboard")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("council:dashboard")).status_code == 302


def test_wrong_password_gets_a_message(client, world):
    response = client.post(reverse("login"), {"username": "manager", "password": "wrong"})
    assert (
        response.status_code == 200 and "correct username and password" in response.content.decode()
    )
