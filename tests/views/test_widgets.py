"""QuickSelect writes the same HTML as Django's Select, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from council.widgets import QuickSelect

CHOICES = [
    ("", "Any session"),
    (1, "KZ–KG, session 13"),
    (2, 'Tom & "Jerry" <script>'),
    ("Group", [(3, "Three"), (4, "Four")]),
]


@pytest.mark.parametrize("value", [None, "", "2", 3, "999"])
def test_quick_select_renders_what_select_renders(value):
    attrs = {"id": "id_session", "class": "form-select", "aria-describedby": "h"}
    quick = QuickSelect(choices=CHOICES).render("session", value, attrs=attrs)
    plain = forms.Select(choices=CHOICES).render("session", value, attrs=attrs)
    assert parse_html(quick) == parse_html(plain)
    assert "<script>" not in quick


def test_quick_select_in_a_form_keeps_required_and_the_bound_value():
    class Form(forms.Form):
        session = forms.ChoiceField(choices=CHOICES[:3], widget=QuickSelect)

    html = str(Form({"session": "1"})["session"])
    assert "required" in html and '<option value="1" selected>' in html


def test_bs_widget_marks_errors_and_names_the_hints():
    from django_filters.fields import DateRangeField

    from council.templatetags.council_tags import bs_widget

    class Form(forms.Form):
        name = forms.CharField(help_text="As in the protocol")
        kind = forms.ChoiceField(choices=[("a", "A")], widget=QuickSelect)
        period = DateRangeField(required=False)

    clean = parse_html(bs_widget(Form()["name"]))
    assert (
        parse_html(
            '<input type="text" name="name" class="form-control" required id="id_name"'
            ' aria-describedby="id_name_helptext">'
        )
        == clean
    )
    bound = Form({"name": "", "kind": "x", "period_after": "not a date"})
    assert parse_html(
        '<input type="text" name="name" class="form-control is-invalid" required id="id_name"'
        ' aria-invalid="true" aria-describedby="id_name_helptext id_name_error">'
    ) == parse_html(bs_widget(bound["name"]))
    select = bs_widget(bound["kind"])
    assert (
        'class="form-select is-invalid"' in select and 'aria-describedby="id_kind_error"' in select
    )
    period = bs_widget(bound["period"])
    assert period.count('aria-describedby="id_period_error"') == 2
    assert period.count('aria-invalid="true"') == 2
