"""Form widgets."""

from __future__ import annotations

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A select whose options are written with plain string formatting.

    The commitment list's filter offers every session and agency: hundreds of options,
    which through Django's per-option template (and its per-call escaping wrappers) took
    most of the page's time. Same HTML; ``html.escape`` escapes what ``format_html`` would.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(final_attrs)}>']
        self._options(parts, self.choices, selected)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped

    def _options(self, parts: list[str], choices, selected: set[str]) -> None:
        for option_value, label in choices:
            if isinstance(label, list | tuple):  # an optgroup
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                self._options(parts, label, selected)
                parts.append("</optgroup>")
                continue
            text = "" if option_value is None else str(option_value)
            mark = " selected" if text in selected else ""
            parts.append(f'<option value="{escape(text)}"{mark}>{escape(str(label))}</option>')
