"""Which text of a record a reader sees: the version in the reader's language where one
is recorded, else the text as recorded, with the other languages one click away.

Reads only; writes are in ``council.services.versions``. For a list, call
``prefetch_versions`` on the page first: one query for every record's versions, and
``shown_version`` then runs none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.utils import translation

from .models import AgendaItem, AgendaItemVersion, Commitment, CommitmentVersion

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
# Where the prefetched, not withdrawn versions of a record are kept.
ACTIVE = "active_versions"


@dataclass(frozen=True)
class Shown:
    """The text a reader is shown, and what else there is."""

    title: str
    text: str
    language: str
    # A working translation, not one of the authentic texts.
    is_translation: bool
    # The text as recorded (``record.language``), not one of its versions.
    is_recorded: bool
    # The reader asked for another language, which has no text: this is the fallback.
    is_fallback: bool
    # The other languages this record can be read in, in ``settings.LANGUAGES`` order.
    others: tuple[str, ...] = field(default=())

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def language_name(code: str) -> str:
    """The language's name, in the active language ("казахский" on a Russian page)."""
    names = dict(settings.LANGUAGES)
    return str(names.get(code, code))


def normalise(code: str | None) -> str | None:
    """A language code of ``settings.LANGUAGES`` ("ru" for "ru-RU"), or None."""
    if not code:
        return None
    code = code.lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGE_CODES else None


def reader_language(requested: str | None = None) -> str:
    """The language asked for (``?lang=kk``) when it is one we have, else the page's."""
    return normalise(requested) or normalise(translation.get_language()) or "ru"


def _version_model(record: Model) -> type[CommitmentVersion] | type[AgendaItemVersion]:
    if isinstance(record, Commitment):
        return CommitmentVersion
    if isinstance(record, AgendaItem):
        return AgendaItemVersion
    raise TypeError(f"{type(record).__name__} has no language versions")


def active_versions(record: Commitment | AgendaItem) -> list:
    """The record's versions that are not withdrawn: prefetched, or read now."""
    cached = getattr(record, ACTIVE, None)
    if cached is not None:
        return cached
    versions = list(record.versions.filter(withdrawn_at__isnull=True))
    setattr(record, ACTIVE, versions)
    return versions


def prefetch_versions(records: Iterable[Commitment | AgendaItem]) -> list:
    """Fetch the versions of every record of ``records`` (one query per kind of record)
    and keep them on each one; returns the records as a list."""
    records = list(records)
    kinds: dict[type, list] = {}
    for record in records:
        if getattr(record, ACTIVE, None) is None:
            kinds.setdefault(type(record), []).append(record)
    for group in kinds.values():
        model = _version_model(group[0])
        prefetch_related_objects(
            group,
            Prefetch(
                "versions",
                queryset=model.objects.filter(withdrawn_at__isnull=True),
                to_attr=ACTIVE,
            ),
        )
    return records


def with_versions(queryset):
    """``queryset`` of commitments or agenda items with their live versions prefetched
    (``ACTIVE``): one more query for the whole page."""
    model = queryset.model
    version_model = CommitmentVersion if model is Commitment else AgendaItemVersion
    return queryset.prefetch_related(
        Prefetch(
            "versions",
            queryset=version_model.objects.filter(withdrawn_at__isnull=True),
            to_attr=ACTIVE,
        )
    )


def available_languages(record: Commitment | AgendaItem) -> tuple[str, ...]:
    """Every language the record can be read in, in ``settings.LANGUAGES`` order."""
    present = {record.language, *(version.language for version in active_versions(record))}
    return tuple(code for code in LANGUAGE_CODES if code in present)


def shown_version(record: Commitment | AgendaItem, language: str | None = None) -> Shown:
    """What to show of ``record`` to a reader of ``language`` (the active language by
    default): that language's version where there is one, else the text as recorded."""
    wanted = reader_language(language)
    available = available_languages(record)
    text_of = (lambda obj: obj.text) if isinstance(record, Commitment) else (lambda obj: "")
    version = None
    if wanted != record.language:
        version = next((v for v in active_versions(record) if v.language == wanted), None)
    if version is not None:
        return Shown(
            title=version.title,
            text=text_of(version),
            language=version.language,
            is_translation=version.is_translation,
            is_recorded=False,
            is_fallback=False,
            others=tuple(code for code in available if code != version.language),
        )
    return Shown(
        title=record.title,
        text=text_of(record),
        language=record.language,
        is_translation=False,
        is_recorded=True,
        is_fallback=wanted != record.language,
        others=tuple(code for code in available if code != record.language),
    )
