"""Forms of the staff app. Validation messages are translatable and name the field."""

from __future__ import annotations

import json
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import services
from .fields import FIRST_DATE, LAST_DATE, IdChoiceField, id_formfield, validate_recorded_date
from .models import (
    Agency,
    AgendaItem,
    Commitment,
    ComplianceValue,
    Indicator,
    Observation,
    Participant,
    Person,
    Protocol,
    ProtocolFile,
    ReportingCycle,
    Responsibility,
    Review,
    Session,
    Signatory,
    User,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
# What a file of each accepted kind starts with; Office files are ZIPs holding a known part.
UPLOAD_KINDS: dict[str, tuple[bytes, str | None]] = {
    ".pdf": (b"%PDF-", None),
    ".png": (b"\x89PNG\r\n\x1a\n", None),
    ".jpg": (b"\xff\xd8\xff", None),
    ".jpeg": (b"\xff\xd8\xff", None),
    ".docx": (b"PK\x03\x04", "word/document.xml"),
    ".xlsx": (b"PK\x03\x04", "xl/workbook.xml"),
    ".odt": (b"PK\x03\x04", "content.xml"),
    ".doc": (OLE2, None),
    ".xls": (OLE2, None),
}


class ModelForm(forms.ModelForm):
    """Our forms' base: relation fields refuse impossible ids with a form error (see
    ``council.fields``). Subclasses declare ``class Meta(ModelForm.Meta)``, so formsets
    built from them keep the callback too."""

    class Meta:
        formfield_callback = id_formfield


class DateInput(forms.DateInput):
    """A date picker offering only the dates the app records (``validate_recorded_date``
    checks them again on the server)."""

    input_type = "date"

    def __init__(self, *, attrs: dict | None = None, **kwargs):
        bounds = {"min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()}
        super().__init__(attrs=bounds | (attrs or {}), format="%Y-%m-%d", **kwargs)


def check_upload(upload) -> None:
    """Refuse files too large, of a kind we do not keep, or whose content is not what
    their name says (an executable renamed .pdf)."""
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    name = upload.name.lower()
    extension = next((ext for ext in UPLOAD_KINDS if name.endswith(ext)), None)
    if extension is None:
        raise ValidationError(_("Upload a PDF, Word, Excel or image file."))
    signature, part = UPLOAD_KINDS[extension]
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature or (part and not _zip_has(upload, part)):
        raise ValidationError(
            _("The file's content is not a %(kind)s file.") % {"kind": extension[1:].upper()}
        )


def _zip_has(upload, part: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)


class SessionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Session
        fields = [
            "number",
            "kind",
            "status",
            "start_date",
            "end_date",
            "city",
            "country",
            "host_party",
            "venue",
            "summary",
            "is_published",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        self.fields["host_party"].queryset = council.parties.all()
        if not self.instance.pk:
            last = council.sessions.order_by("-number").values_list("number", flat=True).first()
            self.initial.setdefault("number", (last or 0) + 1)

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = Session.objects.filter(council=self.instance.council, number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Session %(number)s of this council is already recorded."),
                code="taken",
                params={"number": number},
            )
        return number

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The session cannot end before it starts."))
        return cleaned

    def taken_session(self) -> Session | None:
        """The session recorded under the number typed, when that is why the form was
        refused: the page links to it instead of leaving a dead end."""
        if not self.has_error("number", code="taken"):
            return None
        number = self.data.get(self.add_prefix("number"))
        return (
            Session.objects.filter(council=self.instance.council, number=number)
            .exclude(pk=self.instance.pk)
            .first()
        )


class ParticipantForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Participant
        fields = ["person", "role", "position"]

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        self.fields["person"].queryset = Person.objects.filter(
            party__in=session.council.parties.all()
        ).select_related("party")
        self.fields["person"].widget.attrs["data-quick-add-kind"] = "person"
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Leave empty to use the person's current position.")

    def clean(self):
        # The party, agency and an empty position are the person's: the service fills
        # them in (``services.participant_add``).
        cleaned = super().clean()
        person = cleaned.get("person")
        if (
            person
            and Participant.objects.filter(
                session=self.instance.session, person=person, withdrawn_at__isnull=True
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("person", _("This person is already a participant."))
        return cleaned


def mark_text_language(form: forms.Form, field_names) -> None:
    """Give the text fields the ``lang`` of the language chosen on ``form`` (posted, or its
    instance's): the text is in that language, not the page's, and spell checkers, screen
    readers and input methods follow it."""
    language = form.data.get("language") if form.is_bound else form.instance.language
    if language in dict(settings.LANGUAGES):
        for name in field_names:
            form.fields[name].widget.attrs["lang"] = language


class RecordedLanguage:
    """The language a record's own title and text are written in ("recorded in"), one the
    record has no other version in; the text fields carry it as their ``lang``."""

    text_fields: tuple[str, ...] = ()

    def _recorded_language(self) -> None:
        # A form posted without it (the quick-record dialog, an older page) keeps the
        # record's language, Russian for a new one.
        self.fields["language"].required = False
        mark_text_language(self, self.text_fields)

    def clean_language(self):
        from .versions import active_versions

        language = self.cleaned_data["language"] or self.instance.language or "ru"
        if (
            self.instance.pk
            and language != self.instance.language
            and any(v.language == language for v in active_versions(self.instance))
        ):
            raise forms.ValidationError(
                _(
                    "There is already a text in this language among the other "
                    "languages: withdraw it there first, or keep the language."
                )
            )
        return language


class AgendaItemForm(RecordedLanguage, ModelForm):
    text_fields = ("title", "summary")

    class Meta(ModelForm.Meta):
        model = AgendaItem
        fields = ["title", "language", "sector", "speakers", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        self._recorded_language()
        self.fields["speakers"].queryset = Person.objects.filter(
            party__in=session.council.parties.all()
        ).select_related("party")
        self.fields["speakers"].required = False
        self.fields["speakers"].widget.attrs["data-quick-add-kind"] = "person"


class CommitmentForm(RecordedLanguage, ModelForm):
    text_fields = ("title", "text")

    class Meta(ModelForm.Meta):
        model = Commitment
        fields = [
            "clause",
            "title",
            "text",
            "language",
            "sector",
            "agenda_item",
            "deadline_kind",
            "deadline",
            "carries_over",
        ]
        widgets = {"deadline": DateInput(), "text": forms.Textarea(attrs={"rows": 4})}

    # The version the form was loaded at; a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        self.fields["version"].initial = self.instance.version
        self.fields["agenda_item"].queryset = session.agenda_items.all()
        earlier = Commitment.objects.filter(
            session__council=session.council, session__number__lt=session.number
        ).select_related("session__council")
        self.fields["carries_over"].queryset = earlier
        self.fields["carries_over"].choices = carried_over_choices(earlier)
        self._sector_from_agenda_item(session)
        # The page hides the date unless the deadline is "by a date" (static/js/app.js);
        # ``clean`` drops a date left behind under another kind.
        self.fields["deadline_kind"].widget.attrs["data-deadline-kind"] = ""
        self.fields["deadline"].widget.attrs["data-deadline-date"] = ""
        self.fields["deadline"].help_text = _("Only for a deadline by a date.")
        self._recorded_language()

    def _sector_from_agenda_item(self, session: Session) -> None:
        """The sector starts as the agenda item's: on opening (an agenda item given as
        initial, or the commitment's own when it has no sector yet) and, on the page, when
        another agenda item is chosen (the select carries each item's sector)."""
        items = list(session.agenda_items.filter(withdrawn_at__isnull=True).order_by("order"))
        sectors = {str(item.pk): item.sector_id for item in items if item.sector_id}
        self.fields["agenda_item"].widget.attrs["data-sector-of"] = json.dumps(sectors)
        if self.is_bound or self.initial.get("sector") or self.instance.sector_id:
            return
        item_id = self.initial.get("agenda_item") or self.instance.agenda_item_id
        item_id = getattr(item_id, "pk", item_id)
        if str(item_id) in sectors:
            self.initial["sector"] = sectors[str(item_id)]

    def clean_clause(self):
        # Shown with the form's other errors; the service checks it again when saving.
        clause = self.cleaned_data["clause"].strip()
        if services.commitments.clause_taken(self.instance.session_id, clause, self.instance.pk):
            raise services.commitments.clause_error(clause).error_dict["clause"][0]
        return clause

    def clean(self):
        cleaned = super().clean()
        # Only a deadline "by a date" takes a date: one typed before choosing "by the next
        # session" or "ongoing" (the page hides the field then) is dropped, not refused.
        kind = cleaned.get("deadline_kind")
        if kind and kind != Commitment.DeadlineKind.DATE:
            cleaned["deadline"] = None
            self.errors.pop("deadline", None)
        return cleaned


def clause_key(clause: str) -> tuple:
    """Clauses in the protocol's order: 2.1, 2.2, … 2.9, 2.10 (numbers as numbers)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", clause or "")
        if part
    )


def carried_over_choices(commitments) -> list:
    """Earlier commitments grouped by session, newest session first, clauses in order."""
    by_session: dict = {}
    for commitment in commitments:
        by_session.setdefault(commitment.session, []).append(commitment)
    choices: list = [("", "---------")]
    for session in sorted(by_session, key=lambda s: -s.number):
        rows = sorted(by_session[session], key=lambda c: (clause_key(c.clause), c.pk))
        choices.append((str(session), [(c.pk, Truncator(str(c)).chars(90)) for c in rows]))
    return choices


def share_choices(formset, form, name: str, queryset) -> None:
    """Give field ``name`` of each of the formset's forms the same options, read once with
    their party: each form's select would otherwise query them again, one query per row.
    The queryset stays the field's own, so a submitted choice is still checked."""
    field = form.fields[name]
    field.queryset = queryset.select_related("party")
    shared = formset.__dict__.setdefault("_shared_choices", {})
    if name not in shared:
        shared[name] = list(field.choices)
    field.choices = shared[name]


class ResponsibilityRowMixin:
    """A row of a commitment's responsible agencies. The rules across rows (each agency
    once, one lead per party) are checked on the whole new list by
    ``services.check_responsibilities``: checked row by row against the stored rows, they
    would refuse handing the lead from one agency of a party to another."""

    def validate_constraints(self) -> None:
        pass

    def has_changed(self) -> bool:
        # A row not saved yet that the page removed sends nothing at all: an empty row,
        # not one whose role was cleared.
        if self.is_bound and not any(key.startswith(f"{self.prefix}-") for key in self.data):
            return False
        return super().has_changed()


class ResponsibilityForm(ResponsibilityRowMixin, ModelForm):
    class Meta(ModelForm.Meta):
        model = Responsibility
        fields = ["agency", "role"]


class CouncilRowsFormSet(forms.BaseInlineFormSet):
    """Rows that each choose one of the council's parties' agencies or people
    (``choice_field``); the options are read once for every row."""

    choice_field = ""

    def __init__(self, *args, council, **kwargs):
        self.council = council
        super().__init__(*args, **kwargs)

    def choices(self):
        raise NotImplementedError

    # The kind of the quick-add dialog next to each row's select ("agency", "person").
    quick_add = ""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        share_choices(self, form, self.choice_field, self.choices())
        if self.quick_add:
            form.fields[self.choice_field].widget.attrs["data-quick-add-kind"] = self.quick_add


class BaseResponsibilityFormSet(CouncilRowsFormSet):
    choice_field = "agency"
    quick_add = "agency"

    def choices(self):
        return Agency.objects.filter(party__in=self.council.parties.all(), is_active=True)

    def responsibilities(self) -> list[tuple[Agency, str]]:
        """The (agency, role) pairs the form names, without the rows marked for removal:
        the full new list, which the service writes (``formset.save()`` never does)."""
        return responsibilities_of(self)

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        pairs = self.responsibilities()
        # The rules live with the service that enforces them; shown here before saving.
        services.check_responsibilities(pairs)
        if not pairs:
            raise ValidationError(_("Name at least one responsible agency."))


def responsibilities_of(formset) -> list[tuple[Agency, str]]:
    """(agency, role) of each form of a responsibility formset not marked for removal."""
    pairs = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("agency"):
            continue
        pairs.append((data["agency"], data.get("role") or Responsibility.Role.LEAD))
    return pairs


ResponsibilityFormSet = forms.inlineformset_factory(
    Commitment,
    Responsibility,
    form=ResponsibilityForm,
    formset=BaseResponsibilityFormSet,
    extra=2,
    can_delete=True,
    # A forged TOTAL_FORMS must not make the server build thousands of forms.
    max_num=30,
    absolute_max=30,
    validate_max=True,
)


class QuickAddForm(ModelForm):
    """An agency or a person missing from a session form's list, added from a dialog next
    to the list (``services.reference.agency_add_quick`` / ``person_add_quick``): one of
    the council's parties, and the few fields that name it."""

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        party = self.fields["party"]
        party.queryset = council.parties.all()
        party.empty_label = _("— choose a party —")
        self.fields["name"].widget.attrs["data-autofocus"] = ""

    def validate_constraints(self) -> None:
        pass  # the service refuses a duplicate, in any letter case, saying which one

    def _post_clean(self) -> None:
        pass  # nothing is built here: the service makes and saves the row


class AgencyQuickForm(QuickAddForm):
    class Meta(ModelForm.Meta):
        model = Agency
        fields = ["party", "name", "short_name", "kind"]


class PersonQuickForm(QuickAddForm):
    class Meta(ModelForm.Meta):
        model = Person
        fields = ["party", "name", "position"]


class StatusUpdateForm(forms.Form):
    """A progress report, optionally moving the status to one the user may choose."""

    to_status = forms.ChoiceField(label=_("New status"), required=False)
    note = forms.CharField(
        label=_("What has been done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[check_upload])

    def __init__(self, *args, moves: list[str], sides: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [("", _("— keep the current status —"))] + [
            (value, Commitment.Status(value).label) for value in moves
        ]
        if sides:
            # A commitment of several parties: the report is about one party's side.
            self.fields["side"] = forms.ChoiceField(
                label=_("Side"),
                choices=[(str(value), label) for value, label in sides],
                required=False,
                help_text=_("The party whose part of the commitment this report is about."),
            )
            self.order_fields(["side", "to_status", "note", "attachment"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("to_status") and not (cleaned.get("note") or "").strip():
            raise ValidationError(_("Write what has been done, or choose a new status."))
        return cleaned


class ProtocolForm(ModelForm):
    # The language versions of equal force, chosen by name among the interface languages
    # (stored as codes, "ru,kk,ky", in the order of settings.LANGUAGES).
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("The language versions of equal force."),
    )

    class Meta(ModelForm.Meta):
        model = Protocol
        fields = ["title", "number", "status", "signed_on", "signed_in", "languages", "notes"]
        widgets = {"signed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        self.initial["languages"] = self.instance.language_list
        if not self.instance.pk:
            # A new instance's empty values are already in ``initial``: replace them.
            self.initial["title"] = self.initial.get("title") or _(
                "Protocol of the %(session)s"
            ) % {"session": session}
            self.initial["languages"] = self.initial["languages"] or ["ru"]

    def clean_languages(self) -> str:
        chosen = set(self.cleaned_data["languages"])
        return ",".join(code for code, _name in settings.LANGUAGES if code in chosen)


class SignatoryForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Signatory
        fields = ["person", "position"]


class BaseSignatoryFormSet(CouncilRowsFormSet):
    choice_field = "person"
    quick_add = "person"

    def choices(self):
        return Person.objects.filter(party__in=self.council.parties.all())

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["position"].required = False

    # New signatories are saved by ``services.protocol_save``, which fills in the party,
    # an empty position and the order.


SignatoryFormSet = forms.inlineformset_factory(
    Protocol,
    Signatory,
    form=SignatoryForm,
    formset=BaseSignatoryFormSet,
    extra=2,
    can_delete=False,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)


class ProtocolFileForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = ProtocolFile
        fields = ["kind", "language", "file"]

    def __init__(self, *args, protocol: Protocol, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.protocol = protocol
        self.fields["file"].validators.append(check_upload)
        self.fields["language"].initial = (protocol.language_list or ["ru"])[0]


class ProfileForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = User
        fields = ["first_name", "last_name", "email", "language"]


class ReviewDecisionForm(forms.Form):
    """The council's decision on one earlier commitment, recorded at a session."""

    # No decision is chosen in advance: a row left as it came must not end monitoring.
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("— choose a decision —")), *Review.Decision.choices],
        error_messages={"required": _("Choose a decision.")},
    )
    new_deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=DateInput(),
        validators=[validate_recorded_date],
    )
    replacement = IdChoiceField(
        label=_("Replaced by"), queryset=Commitment.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["replacement"].queryset = session.commitments.select_related(
            "session__council"
        ).order_by("pk")

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == Review.Decision.EXTEND:
            if not cleaned.get("new_deadline"):
                self.add_error("new_deadline", _("Give the new deadline."))
            elif cleaned["new_deadline"] <= self.session.start_date:
                self.add_error("new_deadline", _("The new deadline must fall after the session."))
        if decision == Review.Decision.REPLACE and not cleaned.get("replacement"):
            self.add_error("replacement", _("Choose the new commitment that replaces it."))
        return cleaned


class ObservationForm(ModelForm):
    """A new value of an indicator, as reported by a source."""

    class Meta(ModelForm.Meta):
        model = Observation
        fields = [
            "period_start",
            "period_end",
            "qualifier",
            "value",
            "change_pct",
            "reported_at",
            "source",
            "note",
        ]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        self.fields["reported_at"].queryset = indicator.council.sessions.select_related(
            "council"
        ).order_by("-number")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The period cannot end before it starts."))
            elif (
                Observation.objects.filter(
                    indicator=self.instance.indicator, period_start=start, period_end=end
                )
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error(None, _("A value for this period is already recorded."))
        return cleaned


class ExtensionRequestForm(forms.Form):
    """A request to extend a commitment's deadline: the new date and why (the party is
    asked for only when the user may speak for more than one side)."""

    party = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)
    new_deadline = forms.DateField(
        label=_("New deadline"), widget=DateInput(), validators=[validate_recorded_date]
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What holds the work up, and why the new date will hold."),
    )

    def __init__(self, *args, parties: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = parties
        if len(parties) == 1:
            self.fields["party"].widget = forms.HiddenInput()
            self.fields["party"].initial = parties[0][0]


class ReportingCycleForm(forms.Form):
    """A commitment's reporting cycle, set by the secretariat on the commitment page."""

    period = forms.ChoiceField(label=_("Reporting period"), choices=ReportingCycle.Period.choices)
    due_day = forms.IntegerField(
        label=_("Due by day of the next month"),
        min_value=1,
        max_value=28,
        initial=10,
        help_text=_("For example 10: a quarter's report is due by 10 April, 10 July…"),
    )
    starts_on = forms.DateField(
        label=_("First period holds"),
        widget=DateInput(),
        validators=[validate_recorded_date],
        help_text=_("The first period is the month, quarter or half-year holding this date."),
    )


class ComplianceOverrideForm(forms.Form):
    """A party's compliance score set by the secretariat, always with a reason; an empty
    score clears it (the derived score counts again)."""

    value = forms.TypedChoiceField(
        label=_("Score"),
        choices=[("", _("— as derived —")), *ComplianceValue.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the score is set by hand.")},
    )


class ApiTokenForm(forms.Form):
    """A new personal API token: named after the system that uses it, with an expiry."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("The system that will use it, e.g. “ЕСЭДО of the Ministry of Trade”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=90,
        choices=[
            (30, _("30 days")),
            (90, _("90 days")),
            (180, _("180 days")),
            (365, _("a year")),
        ],
    )
