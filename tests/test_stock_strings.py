"""Django's and django-filter's own words, as our pages show them, in Russian, Kazakh and
Kyrgyz: the empty choice, the sort orders, form and password messages, the role names."""

import pytest
from django.conf import settings
from django.urls import reverse

from council.models import User

from .test_i18n import compiled_catalogues

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-stock-strings"),
]

LANGUAGES = ["ru", "kk", "ky"]


@pytest.fixture
def reader(client):
    compiled_catalogues()

    def as_reader(username: str, language: str):
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return as_reader


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_stock_english_left_on_the_profile_and_the_list(reader, language):
    client = reader("manager", language)
    profile = client.get(reverse("council:profile")).content.decode()
    assert f'<html lang="{language}">' in profile
    assert "- Select an option -" not in profile  # Django 6.1's empty choice
    assert "Managers" not in profile  # the role, as the reader says it
    listing = client.get(reverse("council:commitment-list")).content.decode()
    assert "(descending)" not in listing  # django-filter's sort orders


@pytest.mark.parametrize(
    ("language", "empty", "role", "latest"),
    [
        ("ru", "- Выберите вариант -", "Руководитель", "Срок: сначала поздние"),
        ("kk", "- Нұсқаны таңдаңыз -", "Басшы", "Мерзім: алдымен кейінгілері"),
        ("ky", "- Вариантты тандаңыз -", "Жетекчи", "Мөөнөт: адегенде кечкилери"),
    ],
)
def test_the_stock_words_read_in_each_language(reader, language, empty, role, latest):
    client = reader("manager", language)
    profile = client.get(reverse("council:profile")).content.decode()
    assert empty in profile and role in profile
    assert latest in client.get(reverse("council:commitment-list")).content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ru", "Введите правильный адрес электронной почты."),
        ("kk", "Дұрыс электрондық пошта мекенжайын енгізіңіз."),
        ("ky", "Туура эдарек тер."),
    ],
)
def test_a_form_error_from_django_is_in_the_reader_language(reader, language, message):
    client = reader("manager", language)
    user = User.objects.get(username="manager")
    response = client.post(
        reverse("council:profile"),
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": "not an address",
            "language": language,
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page and "Enter a valid email address." not in page


@pytest.mark.parametrize("language", ["kk", "ky"])
def test_password_rules_are_explained_in_kazakh_and_kyrgyz(reader, language):
    page = reader("manager", language).get(reverse("password_change")).content.decode()
    assert "This password is too short" not in page
    assert "Your password can’t be" not in page
