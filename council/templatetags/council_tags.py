"""Small presentation helpers shared by the staff app's templates."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

from council.models import Commitment
from council.querysets import local_today, responsible_of

register = template.Library()

STATUS_CLASSES = {
    Commitment.Status.NOT_STARTED: "text-bg-secondary",
    Commitment.Status.IN_PROGRESS: "text-bg-primary",
    Commitment.Status.COMPLETION_REPORTED: "text-bg-info",
    Commitment.Status.COMPLETED: "text-bg-success",
    Commitment.Status.CANCELLED: "text-bg-light border",
    Commitment.Status.SUPERSEDED: "text-bg-light border",
}


@register.simple_tag
def status_badge(commitment, overdue=None) -> str:
    """The status as a badge; "overdue" is added for open commitments past their deadline.

    Written with ``format_html``, not an inclusion template: lists draw one per row."""
    if overdue is None:
        overdue = getattr(commitment, "overdue", None)
        if overdue is None:
            overdue = commitment.is_overdue()
    badge = format_html(
        '<span class="badge {}">{}</span>',
        STATUS_CLASSES.get(commitment.status, "text-bg-secondary"),
        commitment.get_status_display(),
    )
    if overdue:
        badge += format_html(' <span class="badge text-bg-danger">{}</span>', _("Overdue"))
    return badge + side_badges(commitment)


def side_badges(commitment) -> str:
    """The sides at risk (``CommitmentQuerySet.with_risk_flags``) and the stale ones
    (``stale_parties``, where a page computed them), when the row carries them."""
    badges = mark_safe("")
    at_risk = getattr(commitment, "at_risk_parties", None)
    if at_risk:
        badges += format_html(
            ' <span class="badge text-bg-warning text-wrap" data-at-risk="{}">{}</span>',
            at_risk,
            _("At risk: %(parties)s") % {"parties": at_risk},
        )
    stale = getattr(commitment, "stale_parties", None)
    if stale:
        badges += format_html(
            ' <span class="badge text-bg-light border border-warning text-wrap"'
            ' data-stale="{}">{}</span>',
            ", ".join(stale),
            _("No report: %(parties)s") % {"parties": ", ".join(stale)},
        )
    return badges


@register.filter
def responsible(commitment):
    """The agencies a row names (``council.querysets.responsible_of``)."""
    return responsible_of(commitment)


@register.filter
def status_css(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.simple_tag
def deadline_text(commitment) -> str:
    if commitment.deadline_kind == Commitment.DeadlineKind.DATE and commitment.deadline:
        from django.utils.formats import date_format

        return date_format(commitment.deadline, "SHORT_DATE_FORMAT")
    return commitment.get_deadline_kind_display()


@register.filter
def days_from_today(day: datetime.date | None) -> str:
    """“in 12 days”, “today”, “3 days ago”."""
    if not day:
        return ""
    delta = (day - local_today()).days
    if delta == 0:
        return _("today")
    if delta > 0:
        return ngettext("in %(n)d day", "in %(n)d days", delta) % {"n": delta}
    return ngettext("%(n)d day ago", "%(n)d days ago", -delta) % {"n": -delta}


@register.filter
def bs_widget(field):
    """Render a form field's widget with Bootstrap's class (``is-invalid`` on errors).

    The accessible hints are Django's own: a bound field's widget gets
    ``aria-invalid="true"`` when it has errors and ``aria-describedby`` naming
    ``<id>_helptext`` and ``<id>_error``, the ids ``includes/field.html`` gives them. Only
    the class stays here: the form renderer's ``field_template_name`` chooses the template
    around a field (``includes/field.html`` is ours, included directly), but has no hook
    for the widget's own attributes, and setting the class on every widget of every form
    would put ``is-invalid`` out of reach, since it depends on the bound field's errors.
    """
    widget = field.field.widget
    if getattr(widget, "input_type", "") == "select" or type(widget).__name__.endswith("Select"):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    if field.use_fieldset and field.auto_id:
        # Django leaves the hints off a widget of several inputs (a date range), meant for
        # a <fieldset> that our field template does not draw: each input gets them.
        described = [f"{field.auto_id}_helptext"] if field.help_text else []
        described += [f"{field.auto_id}_error"] if field.errors else []
        if described:
            attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def role_name(group) -> str:
    """A role's group as the reader says it (the group names are fixed English keys)."""
    from council import roles

    names = {
        roles.SECRETARIAT: _("Secretariat"),
        roles.FOCAL_POINT: _("Agency focal point"),
        roles.MANAGER: _("Manager"),
    }
    name = getattr(group, "name", group)
    return names.get(name, name)


# Each language named in itself, whole: Django's own table calls Kazakh "Қазақ" (the
# adjective); the language is "Қазақша", as "Кыргызча" and "Русский" are.
LOCAL_NAMES = {"kk": "Қазақша", "ky": "Кыргызча", "ru": "Русский", "en": "English"}


@register.simple_tag
def interface_languages() -> list[dict]:
    """The interface languages for the switcher: code and name in the language itself."""
    from django.conf import settings
    from django.utils.translation import get_language_info

    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        name = LOCAL_NAMES.get(code) or info["name_local"]
        languages.append({"code": code, "name_local": name[:1].upper() + name[1:]})
    return languages


# Django's and django-filter's own messages that our pages show (empty choices, form and
# password errors, the paginator, refusals). Their catalogues lack some for Russian,
# Kazakh or Kyrgyz (Django 6.1's "- Select an option -" is in none of them), so they are
# listed here for `makemessages` to carry into our catalogues, which take precedence.
# Nothing reads this tuple.
STOCK_MESSAGES = (
    gettext_noop("- Select an option -"),
    gettext_noop("No %s matches the given query."),
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a complete value."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        1,
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        1,
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        1,
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        1,
    ),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop(
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    ),
    gettext_noop("The submitted file is empty."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("Forbidden"),
    gettext_noop("CSRF verification failed. Request aborted."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop(
        "Please enter a correct %(username)s and password. "
        "Note that both fields may be case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    gettext_noop("Enter the same password as before, for verification."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
)
