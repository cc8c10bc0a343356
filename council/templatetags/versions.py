"""Which language version of a recorded text a page shows.

    {% load versions %}
    {% reader_version commitment as shown %}
    <h1 lang="{{ shown.language }}">{{ shown.title }}</h1>
    {% include "council/includes/version_shown.html" with shown=shown record=commitment %}

The reader's language is the page's, or the one asked for with ``?lang=kk``.
"""

from django import template

from council.versions import Shown, active_versions, language_name, shown_version

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_version(context, record, language: str | None = None) -> Shown:
    """``record``'s text for this reader (``language``, else ``?lang=``, else the page's
    language), falling back to the text as recorded."""
    if not language:
        request = context.get("request")
        language = request.GET.get("lang") if request is not None else None
    return shown_version(record, language)


@register.filter
def language_label(code: str) -> str:
    """A language code's name in the page's language: "kk" → "казахский"."""
    return language_name(code)


@register.simple_tag
def record_versions(record) -> list:
    """The record's texts in other languages that are not withdrawn (prefetched ones are
    reused: ``council.versions.prefetch_versions``)."""
    return active_versions(record)
