"""Charts drawn on the server as SVG: no JavaScript, sharp in print, every bar a link
to the commitments behind it, and a data table beside each for screen readers."""

from __future__ import annotations

import html

from django.utils.formats import get_format, localize, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from .figures import PALETTE, Bar

# Sized for a phone first. The charts are drawn 480 units wide and shown at most 480 px
# wide: on a desk at their size, on a phone scaled down to the screen (366 px at 390). The
# stylesheet sets the text at 13 units on a desk and 17 on a phone, so that scaled it stays
# at 12 px or more; every position below leaves room for the larger size.
WIDTH = 480
LINE = 20  # one line of label text, at the phone size
BAR = 16  # a bar's thickness
VALUE_ROOM = 140  # right of the longest bar, for "100.0% (12/12)" at the phone size
LABEL_CHARS = 44  # characters of a label line at the phone size
PAD = 10


def bar_chart(bars: list[Bar], *, title: str, show_rate: bool = False) -> SafeString:
    """Horizontal bars, one link each, the label above its bar (whole, on two lines at
    most, the full name in a tooltip); ``show_rate`` draws value/total as a percentage.
    Each link's whole row takes a click or a tap (an unpainted rectangle under it)."""
    if not bars:
        return SafeString("")
    top = max((b.rate or 0) if show_rate else b.value for b in bars) or 1
    if show_rate:
        top = 100
    plot = WIDTH - VALUE_ROOM
    rows = []
    y = 0
    for bar in bars:
        amount = (bar.rate or 0) if show_rate else bar.value
        width = max(plot * amount / top, 1 if amount else 0)
        shown = (
            f"{bar.rate}% ({bar.value}/{bar.total})" if show_rate and bar.total else str(bar.value)
        )
        lines = wrap(bar.label)
        label_bottom = y + LINE * len(lines)
        bar_top = label_bottom + 3
        rows.append(
            markup(
                '<a href="{url}" aria-label="{label}: {shown}"><title>{label}: {shown}</title>'
                '<rect class="chart-hit" x="0" y="{y}" width="{full}" height="{row}"></rect>'
                '<text y="{ty}" class="chart-label">{lines}</text>'
                '<rect x="0" y="{ry}" width="{w}" height="{h}" fill="{colour}" rx="2"></rect>'
                '<text x="{vx}" y="{vy}" class="chart-value">{shown}</text></a>',
                url=bar.url,
                label=bar.label,
                shown=shown,
                y=y,
                full=WIDTH,
                row=bar_top + BAR + 2 - y,
                ty=y + LINE - 5,
                lines=tspans(lines),
                ry=bar_top,
                w=n(width),
                h=BAR,
                colour=bar.colour,
                vx=n(width + 6),
                vy=bar_top + BAR - 2,
            )
        )
        y = bar_top + BAR + PAD
    return _svg(title, y, mark_safe("".join(rows)))  # noqa: S308 -- rows built by markup


def column_chart(rows: list[dict], series: list[tuple[str, str]], *, title: str) -> SafeString:
    """Grouped bars, one group per row (a session) under its label, one bar per series;
    the legend stands above everything, so no value can run into it."""
    if not rows:
        return SafeString("")
    top = max((row[key] for row in rows for key, _label in series), default=0) or 1
    plot = WIDTH - VALUE_ROOM
    # The legend: as many entries a line as fit at the phone size.
    legend, x, y = [], 0, 0
    for index, (_key, label) in enumerate(series):
        room = 32 + len(str(label)) * 11
        if x and x + room > WIDTH:
            x, y = 0, y + LINE + 4
        legend.append(
            markup(
                '<rect x="{x}" y="{ry}" width="14" height="14" fill="{colour}"></rect>'
                '<text x="{tx}" y="{ty}" class="chart-label">{label}</text>',
                x=x,
                ry=y + 2,
                colour=PALETTE[index],
                tx=x + 20,
                ty=y + 15,
                label=label,
            )
        )
        x += room
    y += LINE + 12
    parts = []
    for row in rows:
        lines = wrap(row["label"])
        parts.append(
            markup(
                '<text y="{ty}" class="chart-label chart-group">{lines}<title>{label}</title></text>',
                ty=y + LINE - 5,
                lines=tspans(lines),
                label=row["label"],
            )
        )
        y += LINE * len(lines) + 3
        for offset, (key, label) in enumerate(series):
            value = row[key]
            width = max(plot * value / top, 1 if value else 0)
            parts.append(
                markup(
                    '<a href="{url}" aria-label="{row_label}, {label}: {value}">'
                    "<title>{row_label}, {label}: {value}</title>"
                    '<rect class="chart-hit" x="0" y="{y}" width="{full}" height="{h}"></rect>'
                    '<rect x="0" y="{y}" width="{w}" height="{h}" fill="{colour}" rx="2"></rect>'
                    '<text x="{vx}" y="{vy}" class="chart-value">{value}</text></a>',
                    url=row["url"],
                    row_label=row["label"],
                    label=label,
                    value=value,
                    y=y,
                    full=WIDTH,
                    w=n(width),
                    h=BAR,
                    colour=PALETTE[offset],
                    vx=n(width + 6),
                    vy=y + BAR - 2,
                )
            )
            y += BAR + 4
        y += PAD
    return _svg(
        title,
        y,
        mark_safe("".join(legend) + "".join(parts)),  # noqa: S308 -- built by markup
    )


def _svg(title: str, height: int, content: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group"'
        ' aria-label="{title}"><title>{title}</title>{content}</svg>',
        w=WIDTH,
        h=height,
        title=title,
        content=content,
    )


def wrap(text: str, limit: int = LABEL_CHARS, most: int = 2) -> list[str]:
    """A label broken between words into lines of ``limit`` characters, ``most`` of them;
    what still does not fit ends in an ellipsis (the whole label is in the tooltip)."""
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    lines = [line if len(line) <= limit else line[: limit - 1] + "…" for line in lines]
    if len(lines) > most:
        last = lines[most - 1]
        lines = lines[: most - 1] + [(last[: limit - 1] if len(last) >= limit else last) + "…"]
    return lines or [""]


def tspans(lines: list[str]) -> SafeString:
    """Lines of a <text>, one under the other."""
    return mark_safe(  # noqa: S308 -- each line escaped by markup
        "".join(
            markup('<tspan x="0" dy="{dy}">{line}</tspan>', dy=0 if index == 0 else LINE, line=line)
            for index, line in enumerate(lines)
        )
    )


def line_chart(
    points: list[tuple[str, float]], *, title: str, target: float | None = None
) -> SafeString:
    """A time series with an optional dashed target line."""
    if not points:
        return SafeString("")
    values = [v for _label, v in points] + ([target] if target is not None else [])
    top = max(values) or 1
    width, height, left, base = WIDTH, 230, 44, 190
    step = (width - left - 44) / max(len(points) - 1, 1)
    # A period label is about 80 units wide at the phone size: label every k-th point.
    every = max(1, -(-80 // max(int(step), 1)))

    def y(value: float) -> float:
        return base - (base - 30) * value / top

    coordinates = [(left + i * step, y(v)) for i, (_label, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coordinates)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="#0072B2"><title>{}: {}</title></circle>',
        ((x, yy, label, v) for (x, yy), (label, v) in zip(coordinates, points, strict=True)),
    )
    dots += format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
        (
            (n(x), base + 22, label)
            for index, ((x, _yy), (label, _v)) in enumerate(zip(coordinates, points, strict=True))
            if index % every == 0
        ),
    )
    target_line = (
        format_html(
            '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="#D55E00" stroke-dasharray="6 4"></line>'
            '<text x="{r}" y="{ty}" text-anchor="end" class="chart-label">{t}</text>',
            l=left,
            r=width - 10,
            y=n(y(target)),
            ty=n(y(target) - 4),
            t=number_format(
                int(target) if float(target).is_integer() else target, force_grouping=True
            ),
        )
        if target is not None
        else ""
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{title}">'
        '<title>{title}</title><polyline points="{path}" fill="none" stroke="#0072B2" stroke-width="2"></polyline>'
        '{dots}{target}<line x1="{l}" y1="{base}" x2="{w}" y2="{base}" stroke="#6c757d"></line></svg>',
        w=width,
        h=height,
        title=title,
        path=path,
        dots=dots,
        target=target_line,
        l=left,
        base=base,
    )


def bars_table(bars: list[Bar], *, title: str, show_rate: bool = False) -> SafeString:
    """``bar_chart``'s data table: each bar's count, and with ``show_rate`` its total and
    percentage."""
    if show_rate:
        head = [_("Item"), _("Count"), _("Out of"), "%"]
        rows = [(b.url, b.label, b.value, b.total, b.rate) for b in bars]
    else:
        head = [_("Item"), _("Count")]
        rows = [(b.url, b.label, b.value) for b in bars]
    return data_table(title, head, rows)


def data_table(caption: str, head: list[str], rows: list[tuple]) -> SafeString:
    """The table beside a chart, folded under "Data table": each row's label (a link to
    its commitments) then its numbers, localized as a template writes them. Written here
    as the charts are: a template drew the 500 sessions' rows in 15 ms of the manager's
    reports. ``rows``: (url, label, number…); a number of None shows "—"."""
    head_cells = "".join(
        markup(
            '<th scope="col"{end}>{label}</th>',
            label=label,
            end=mark_safe(' class="text-end"') if i else "",
        )
        for i, label in enumerate(head)
    )
    point = get_format("DECIMAL_SEPARATOR")
    body = "".join(
        markup(
            '<tr><td><a href="{url}">{label}</a></td>{cells}</tr>',
            url=url,
            label=label,
            cells=mark_safe(  # noqa: S308 -- localized numbers, escaped
                "".join(f'<td class="text-end">{_number(value, point)}</td>' for value in values)
            ),
        )
        for url, label, *values in rows
    ) or markup(
        '<tr><td colspan="{span}" class="text-secondary">{empty}</td></tr>',
        span=len(head),
        empty=_("No data."),
    )
    return markup(
        '<details class="small mt-1">\n  <summary>{summary}</summary>\n'
        '  <table class="table table-sm mb-0">\n'
        '    <caption class="visually-hidden">{caption}</caption>\n'
        "    <thead><tr>{head}</tr></thead>\n    <tbody>{body}</tbody>\n  </table>\n</details>",
        summary=_("Data table"),
        caption=caption,
        head=mark_safe(head_cells),  # noqa: S308 -- escaped above
        body=mark_safe(body),  # noqa: S308 -- escaped above
    )


def _number(value, point: str) -> str:
    """A table cell's number as a template writes it ("1 234", "95,5"), or "—" for none.
    Under a thousand, a whole number is its digits and a rate its digits with the
    language's decimal ``point``, as ``localize`` writes them, without its format lookups
    for each of the 2,000 cells of the manager's reports."""
    if value is None:
        return "—"
    if isinstance(value, int | float) and -1000 < value < 1000 and "e" not in str(value):
        return str(value).replace(".", point)
    return html.escape(str(localize(value)))


def markup(template: str, **values) -> SafeString:
    """``format_html`` for the charts' hundreds of elements, with the same result: text
    escaped, numbers and markup already safe written as they are. ``format_html`` checks
    each value for a lazy translation on its way through two wrappers; fifteen values a
    bar, 1,400 bars on the manager's reports page, cost more than the page's queries."""
    return mark_safe(  # noqa: S308 -- every value is escaped or already safe
        template.format(
            **{
                key: value if isinstance(value, int | float | SafeData) else html.escape(str(value))
                for key, value in values.items()
            }
        )
    )


def n(value: float) -> str:
    """A coordinate with one decimal (format_html turns arguments into strings first)."""
    return f"{value:.1f}"
