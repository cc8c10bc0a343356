"""A refused htmx form comes back with status 422 and its errors, and the page tells htmx
to swap 422 and 409 answers (htmx 2 swaps no 4xx answer by default)."""

import json
import re

from django.urls import reverse


def test_pages_tell_htmx_to_swap_refusals(world, login):
    client = login(world.users["secretariat"])
    page = client.get(reverse("council:session-detail", args=[world.session.pk])).content.decode()
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)[1])
    handling = {rule["code"]: rule for rule in config["responseHandling"]}
    assert handling["422"]["swap"] is True and handling["409"]["swap"] is True
    # Every other failure is not swapped but raised as an error, which app.js shows.
    codes = [rule["code"] for rule in config["responseHandling"]]
    assert codes.index("422") < codes.index("[45]..")
    assert handling["[45].."] == {"code": "[45]..", "swap": False, "error": True}


def test_refused_agenda_item_edit_goes_back_into_its_row(world, login):
    client = login(world.users["secretariat"])
    item = world.agenda_item
    response = client.post(
        reverse("council:agenda-item-edit", args=[item.pk]),
        {"title": "", "summary": "kept"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#agenda-item-{item.pk}"
    assert response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert "<html" not in body
    assert 'aria-invalid="true"' in body and "kept" in body
    item.refresh_from_db()
    assert item.title == "Trade"


def test_refused_agenda_item_edit_without_htmx_is_a_page(world, login):
    client = login(world.users["secretariat"])
    response = client.post(
        reverse("council:agenda-item-edit", args=[world.agenda_item.pk]), {"title": ""}
    )
    assert response.status_code == 422
    assert "HX-Retarget" not in response
    assert "<html" in response.content.decode()


def test_forbidden_page_marks_its_reason_for_the_alert(world, login):
    client = login(world.users["focal_a"])
    response = client.post(
        reverse("council:agenda-item-create", args=[world.session.pk]),
        {"title": "Transit"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert re.search(r"data-error-detail>[^<]*secretariat", response.content.decode())
