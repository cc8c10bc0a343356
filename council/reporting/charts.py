"""Charts drawn on the server as SVG: no JavaScript, sharp in print, every bar a link
to the commitments behind it, and a data table beside each for screen readers."""

from __future__ import annotations

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .figures import PALETTE, Bar

ROW = 26
LABEL_WIDTH = 230
WIDTH = 640


def bar_chart(bars: list[Bar], *, title: str, show_rate: bool = False) -> SafeString:
    """Horizontal bars, one link each; ``show_rate`` draws value/total as a percentage."""
    if not bars:
        return SafeString("")
    top = max((b.rate or 0) if show_rate else b.value for b in bars) or 1
    if show_rate:
        top = 100
    plot = WIDTH - LABEL_WIDTH - 110
    rows = []
    for index, bar in enumerate(bars):
        y = index * ROW
        amount = (bar.rate or 0) if show_rate else bar.value
        width = max(plot * amount / top, 1 if amount else 0)
        shown = (
            f"{bar.rate}% ({bar.value}/{bar.total})" if show_rate and bar.total else str(bar.value)
        )
        rows.append(
            format_html(
                '<a href="{url}" aria-label="{label}: {shown}">'
                '<text x="{lx}" y="{ty}" text-anchor="end" class="chart-label">{short}</text>'
                '<rect x="{x}" y="{ry}" width="{w}" height="{h}" fill="{colour}" rx="2"></rect>'
                '<text x="{vx}" y="{ty}" class="chart-value">{shown}</text></a>',
                url=bar.url,
                label=bar.label,
                shown=shown,
                lx=LABEL_WIDTH - 8,
                ty=y + 17,
                short=_shorten(bar.label),
                x=LABEL_WIDTH,
                ry=y + 4,
                w=n(width),
                h=ROW - 8,
                colour=bar.colour,
                vx=n(LABEL_WIDTH + width + 6),
            )
        )
    height = len(bars) * ROW + 4
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" aria-label="{title}">'
        "<title>{title}</title>{rows}</svg>",
        w=WIDTH,
        h=height,
        title=title,
        rows=mark_safe("".join(rows)),  # noqa: S308 -- each row built by format_html
    )


def column_chart(rows: list[dict], series: list[tuple[str, str]], *, title: str) -> SafeString:
    """Grouped columns, one group per row (a session), one column per series."""
    if not rows:
        return SafeString("")
    top = max((row[key] for row in rows for key, _label in series), default=0) or 1
    group_width = 26 * len(series) + 56
    height, base = 220, 190
    width = max(len(rows) * group_width + 40, 480)
    parts = []
    for index, row in enumerate(rows):
        x0 = 30 + index * group_width
        for offset, (key, label) in enumerate(series):
            value = row[key]
            h = (base - 20) * value / top
            parts.append(
                format_html(
                    '<a href="{url}" aria-label="{row_label}, {label}: {value}">'
                    '<rect x="{x}" y="{y}" width="22" height="{h}" fill="{colour}"></rect>'
                    '<text x="{tx}" y="{vy}" text-anchor="middle" class="chart-value">{value}</text></a>',
                    url=row["url"],
                    row_label=row["label"],
                    label=label,
                    value=value,
                    x=x0 + offset * 26,
                    y=n(base - h),
                    h=n(h),
                    colour=PALETTE[offset],
                    tx=x0 + offset * 26 + 11,
                    vy=n(base - h - 4),
                )
            )
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="middle" class="chart-label">{label}</text>',
                x=x0 + (26 * len(series)) / 2,
                y=base + 18,
                label=_shorten(row["label"], 18),
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="4" width="12" height="12" fill="{}"></rect><text x="{}" y="15" class="chart-label">{}</text>',
        ((30 + i * 140, PALETTE[i], 46 + i * 140, label) for i, (_key, label) in enumerate(series)),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" aria-label="{title}">'
        "<title>{title}</title>{legend}{parts}"
        '<line x1="24" y1="{base}" x2="{w}" y2="{base}" stroke="#6c757d"></line></svg>',
        w=width,
        h=height,
        title=title,
        legend=legend,
        parts=mark_safe("".join(parts)),  # noqa: S308 -- each part built by format_html
        base=base,
    )


def line_chart(
    points: list[tuple[str, float]], *, title: str, target: float | None = None
) -> SafeString:
    """A time series with an optional dashed target line."""
    if not points:
        return SafeString("")
    values = [v for _label, v in points] + ([target] if target is not None else [])
    top = max(values) or 1
    width, height, left, base = 640, 220, 60, 180
    step = (width - left - 30) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return base - (base - 20) * value / top

    coordinates = [(left + i * step, y(v)) for i, (_label, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in coordinates)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" fill="#0072B2"></circle>'
        '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
        (
            (x, yy, x, base + 18, label)
            for (x, yy), (label, _v) in zip(coordinates, points, strict=True)
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
            t=escape(str(target)),
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


def n(value: float) -> str:
    """A coordinate with one decimal (format_html turns arguments into strings first)."""
    return f"{value:.1f}"


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
