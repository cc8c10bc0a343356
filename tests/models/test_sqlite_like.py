"""Searching "кордай" finds "Кордай" on SQLite too: its own LIKE folds only ASCII."""

import pytest
from django.db import connection
from django.urls import reverse

from council.models import Commitment
from council.sqlite import like


@pytest.mark.parametrize(
    ("pattern", "value", "escape", "expected"),
    [
        ("%кордай%", "Пункт пропуска «Кордай»", None, True),
        ("%КОРДАЙ%", "пункт пропуска кордай", None, True),
        ("%Қазақ%", "қазақстан", None, True),
        ("%кордай%", "Карасу", None, False),
        ("к_рдай", "Кордай", None, True),
        (r"%50\%%", "скидка 50% на тариф", "\\", True),
        (r"%50\%%", "скидка 500 на тариф", "\\", False),
        (r"%a\_b%", "a_b", "\\", True),
        (r"%a\_b%", "axb", "\\", False),
        ("%", None, None, None),
    ],
)
def test_like_folds_case_for_every_script_and_keeps_wildcards(pattern, value, escape, expected):
    assert like(pattern, value, escape) is expected


@pytest.mark.django_db
def test_commitment_search_finds_cyrillic_in_any_case(client, world):
    Commitment.objects.filter(pk=world.commitment_a.pk).update(
        title="Открыть пункт пропуска «Кордай» круглосуточно"
    )
    client.force_login(world.users["manager"])
    for query in ("кордай", "КОРДАЙ", "Кордай"):
        page = client.get(reverse("council:commitment-list"), {"q": query})
        assert page.status_code == 200
        assert "Кордай" in page.content.decode(), (connection.vendor, query)
    page = client.get(reverse("council:commitment-list"), {"q": "карасу"})
    assert "Кордай" not in page.content.decode()
