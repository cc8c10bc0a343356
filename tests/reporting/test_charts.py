"""The report charts read on a phone: labels whole or wrapped (never cut short without
the full name at hand), values clear of the legend, everything inside the drawing."""

import re

from council.reporting import charts
from council.reporting.figures import PALETTE, Bar

LONG = "Министерство водных ресурсов и ирригации Республики Казахстан (KZ)"


def numbers(svg: str, attribute: str) -> list[float]:
    svg = re.sub(r'<rect class="chart-hit"[^>]*>', "", svg)  # the rows' click areas
    return [float(v) for v in re.findall(rf'\b{attribute}="([-\d.]+)"', svg)]


def test_a_long_label_wraps_onto_a_second_line_and_keeps_its_full_name():
    svg = str(charts.bar_chart([Bar(LONG, 4, "/c/?agency=1", PALETTE[0])], title="Agencies"))
    tspans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert tspans == ["Министерство водных ресурсов и ирригации", "Республики Казахстан (KZ)"]
    assert f"<title>{LONG}: 4</title>" in svg  # the tooltip
    assert f'aria-label="{LONG}: 4"' in svg  # and the link's name


def test_wrap_keeps_short_labels_and_ends_an_overlong_one_with_an_ellipsis():
    assert charts.wrap("МПС · 13") == ["МПС · 13"]
    lines = charts.wrap("слово " * 40)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= charts.LABEL_CHARS for line in lines)
    assert charts.wrap("x" * 100) == ["x" * (charts.LABEL_CHARS - 1) + "…"]


def test_bars_and_their_values_stay_inside_the_drawing():
    bars = [
        Bar("Done", 12, "/c/?s=1", PALETTE[2], total=12),
        Bar("Half", 1, "/c/?s=2", PALETTE[2], total=2),
    ]
    svg = str(charts.bar_chart(bars, title="On time", show_rate=True))
    assert "100.0% (12/12)" in svg
    widths = numbers(svg, "width")
    assert widths[0] == charts.WIDTH  # the drawing; then the bars
    longest = max(widths[1:])
    assert longest + 6 + charts.VALUE_ROOM <= charts.WIDTH + 6
    # Each value sits right of its own bar, below its own label.
    height = numbers(svg, "height")[0]
    assert max(numbers(svg, "y")) <= height


def test_per_session_chart_puts_the_legend_above_every_bar_and_value():
    rows = [
        {
            "label": f"Межправительственный совет РК-КР · {n}",
            "url": f"/c/?session={n}",
            "adopted": 12,
            "completed": 3,
            "carried": 1,
        }
        for n in (12, 13)
    ]
    series = [("adopted", "Принято"), ("completed", "Выполнено"), ("carried", "Перенесено")]
    svg = str(charts.column_chart(rows, series, title="Per session"))
    legend, _, body = svg.partition("<text y=")  # the first group's label ends the legend
    legend_bottom = max(numbers(legend, "y"))  # the baseline of its lowest line
    bars = re.findall(r'<rect x="0" y="([\d.]+)"', body)
    values = [
        float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" class="chart-value"', body)
    ]
    assert len(bars) == 6 and len(values) == 6
    # A value's text is as tall as a bar: the first bar's value starts a line below the legend.
    assert legend_bottom + charts.LINE <= min(float(y) for y in bars)
    assert legend_bottom + charts.LINE <= min(values) - charts.BAR
    # Session names whole, each in a tooltip too.
    assert "Межправительственный совет РК-КР · 13" in re.findall(r"<tspan[^>]*>([^<]*)<", svg)
    assert "<title>Межправительственный совет РК-КР · 12</title>" in svg
    # Every value right of its bar, inside the drawing.
    for x in numbers(body, "x"):
        assert x <= charts.WIDTH - charts.VALUE_ROOM + 6


def test_a_long_legend_wraps_instead_of_running_off():
    series = [(f"k{i}", f"Очень длинное название ряда {i}") for i in range(3)]
    rows = [{"label": "A", "url": "/", "k0": 1, "k1": 2, "k2": 3}]
    svg = str(charts.column_chart(rows, series, title="t"))
    legend = svg.split("<text y=")[0]
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"', legend)]
    assert all(x + 11 * 30 <= charts.WIDTH + 30 for x in xs)
    assert len(set(re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', legend))) > 1  # two lines


def test_line_chart_target_reads_as_a_number_in_the_reader_form():
    from django.utils import translation

    points = [("01.2026", 1.0e9), ("02.2026", 1.5e9)]
    with translation.override("en"):
        svg = str(charts.line_chart(points, title="Trade", target=2e9))
    assert ">2,000,000,000</text>" in svg and "2000000000.0" not in svg
    with translation.override("ru"):
        svg = str(charts.line_chart(points, title="Trade", target=2e9))
    assert ">2\xa0000\xa0000\xa0000</text>" in svg


def test_a_whole_row_takes_the_click_not_just_its_thin_bar():
    bars = [Bar("Done", 1, "/c/?s=1", PALETTE[2]), Bar("Open", 3, "/c/?s=2", PALETTE[1])]
    svg = str(charts.bar_chart(bars, title="Status"))
    links = re.findall(r"<a [^>]*>.*?</a>", svg)
    assert len(links) == 2
    for link in links:
        hit = re.search(
            r'<rect class="chart-hit" x="0" y="([\d.]+)" width="(\d+)" height="(\d+)"', link
        )
        assert hit and int(hit.group(2)) == charts.WIDTH
        bar_y = float(re.search(r'<rect x="0" y="([\d.]+)"', link).group(1))
        top, height = float(hit.group(1)), float(hit.group(3))
        assert top < bar_y < top + height  # label and bar both inside the click area


def test_markup_writes_what_format_html_writes():
    """The charts' fast formatter escapes text as ``format_html`` does: a label typed with
    markup or quotes, a lazy translation, numbers, and markup already made safe."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from council.reporting.charts import markup

    template = '<a href="{url}" aria-label="{label}: {value}">{inner}<title>{lazy}</title></a>'
    values = {
        "url": "/commitments/?q=a&b=<c>",
        "label": "Road \"map\" <script>alert(1)</script> & 'co'",
        "value": 12.5,
        "inner": mark_safe("<tspan>kept</tspan>"),
        "lazy": gettext_lazy("Adopted"),
    }
    written = markup(template, **values)
    assert written == format_html(template, **values)
    assert "<script>" not in written and "<tspan>kept</tspan>" in written
    assert markup("{n}", n=0) == format_html("{n}", n=0) == "0"


def test_the_data_table_writes_its_rows_as_the_template_did():
    """Each row: a link to its commitments, the label escaped, its numbers as a template
    localizes them in the reader's language (grouped thousands, the decimal comma), "—"
    for a rate with nothing to rate."""
    from django.template import Context, Template
    from django.utils import translation

    rows = [
        ("/commitments/?session=1&status=completed", 'Совет <КЗ> "13"', 1234567, 999, 95.5),
        ("/commitments/?session=2", "Совет, 2", 0, -1000, None),
        ("/commitments/?session=3", "Совет, 3", 1234.5, 100.0, 0.0),
    ]
    cell = Template('<td class="text-end">{{ v|default_if_none:"—" }}</td>')
    with translation.override("ru"):
        table = charts.data_table("Заголовок", ["Пункт", "Число", "Из", "%"], rows)
        expected = ["".join(cell.render(Context({"v": v})) for v in row[2:]) for row in rows]
    for row, cells in zip(rows, expected, strict=True):
        link = f'<a href="{row[0].replace("&", "&amp;")}">'
        assert f"<tr><td>{link}" in table and cells in table
    assert "1\xa0234\xa0567" in table and "95,5" in table and "1\xa0234,5" in table
    assert "&lt;КЗ&gt; &quot;13&quot;" in table and "<КЗ>" not in table
    assert '<caption class="visually-hidden">Заголовок</caption>' in table
    assert charts.data_table("Пусто", ["Пункт", "Число"], []).count("<tr>") == 2  # head, "No data."
