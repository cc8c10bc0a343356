"""Reference data stored once, with its name in every language (django-modeltranslation).

Each field registered here gets a column per language of ``settings.LANGUAGES``
(``name_en``, ``name_ru``, ``name_kk``, ``name_ky``); reading ``party.name`` gives the
active language's value, or the first filled one of
``settings.MODELTRANSLATION_FALLBACK_LANGUAGES``. Admin shows one input per language.

Only reference data is translated. What a session recorded — agenda item and commitment
titles, the text as adopted, notes — stays in the language it was written in: it is
edited through the staff forms, searched and kept in the change history as one text.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agency,
    CoChair,
    Council,
    Indicator,
    Participant,
    Party,
    Person,
    Sector,
    Signatory,
)


class Translated(TranslationOptions):
    # An empty input stores NULL, "not translated": the fallback applies, and unique
    # names (of parties, sectors, councils) do not clash on empty translations.
    empty_values = None


@register(Party)
class PartyTranslation(Translated):
    fields = ("name", "short_name")


@register([Agency, Agency.history.model])
class AgencyTranslation(Translated):
    fields = ("name", "short_name")


@register(Council)
class CouncilTranslation(Translated):
    fields = ("name", "short_name", "description")


@register(Sector)
class SectorTranslation(Translated):
    fields = ("name",)


@register(Indicator)
class IndicatorTranslation(Translated):
    fields = ("name", "description")


@register([Person, Person.history.model])
class PersonTranslation(Translated):
    fields = ("position",)


@register([CoChair, CoChair.history.model])
class CoChairTranslation(Translated):
    fields = ("position",)


@register([Participant, Participant.history.model])
class ParticipantTranslation(Translated):
    fields = ("position",)


@register([Signatory, Signatory.history.model])
class SignatoryTranslation(Translated):
    fields = ("position",)
