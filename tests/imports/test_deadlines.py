"""Every deadline form the issue lists, and what is refused rather than guessed."""

import datetime

import pytest

from council.imports.deadlines import deadline_line, find_in_sentence, parse_deadline

D = datetime.date


@pytest.mark.parametrize(
    ("text", "kind", "date"),
    [
        ("до 1 июня 2027 года", "date", D(2027, 6, 1)),
        ("1 июня 2027 г.", "date", D(2027, 6, 1)),
        ("до 15 декабря 2026 г.", "date", D(2026, 12, 15)),
        ("30.09.2027", "date", D(2027, 9, 30)),
        ("не позднее 01.03.2027", "date", D(2027, 3, 1)),
        ("май 2027 года", "date", D(2027, 5, 31)),
        ("в феврале 2028 года", "date", D(2028, 2, 29)),
        ("IV квартал 2027 года", "date", D(2027, 12, 31)),
        ("в I квартале 2027 г.", "date", D(2027, 3, 31)),
        ("4 квартал 2027 года", "date", D(2027, 12, 31)),
        ("II полугодие 2027 года", "date", D(2027, 12, 31)),
        ("в первом полугодии 2027 года", "date", D(2027, 6, 30)),
        ("2027 год", "date", D(2027, 12, 31)),
        ("в течение 2027 года", "date", D(2027, 12, 31)),
        ("до конца 2027 года", "date", D(2027, 12, 31)),
        ("к следующему заседанию Совета", "next_session", None),
        ("до очередного заседания Межправительственного совета", "next_session", None),
        ("на постоянной основе", "ongoing", None),
        ("постоянно", "ongoing", None),
        ("ежеквартально", "ongoing", None),
        # Kazakh and Kyrgyz.
        ("2027 жылғы 1 маусымға дейін", "date", D(2027, 6, 1)),
        ("2027-жылдын 1-июнуна чейин", "date", D(2027, 6, 1)),
        ("тұрақты негізде", "ongoing", None),
        ("туруктуу негизде", "ongoing", None),
        ("Кеңестің келесі отырысына дейін", "next_session", None),
    ],
)
def test_each_form_reads_as_the_deadline_it_states(text, kind, date):
    deadline = parse_deadline(text)
    assert deadline is not None, text
    assert (deadline.kind, deadline.date) == (kind, date)
    assert not deadline.year_assumed


def test_quarterly_is_ongoing_reported_every_quarter():
    deadline = parse_deadline("ежеквартально")
    assert deadline.as_json() == {"kind": "ongoing"}
    assert deadline.quarterly


@pytest.mark.parametrize(
    ("text", "date"),
    [("до конца года", D(2026, 12, 31)), ("4 квартал", D(2026, 12, 31))],
)
def test_a_missing_year_is_the_sessions_and_says_so(text, date):
    deadline = parse_deadline(text, reference_year=2026)
    assert deadline.date == date
    assert deadline.year_assumed
    assert parse_deadline(text) is None  # without a session year: not guessed


@pytest.mark.parametrize(
    "text",
    [
        "по мере необходимости",
        "по согласованию Сторон",
        "31 июня 2027 года",
        "в кратчайшие сроки",
        "",
    ],
)
def test_anything_else_is_not_understood(text):
    assert parse_deadline(text, reference_year=2026) is None


def test_json_shapes():
    assert parse_deadline("30.09.2027").as_json() == {"kind": "date", "date": "2027-09-30"}
    assert parse_deadline("к следующему заседанию").as_json() == {"kind": "next_session"}


def test_a_srok_line_and_a_deadline_closing_the_sentence():
    assert deadline_line("Срок – до 1 июня 2027 года.") == "до 1 июня 2027 года"
    assert deadline_line("Срок исполнения: IV квартал 2027 г.") == "IV квартал 2027 г"
    assert deadline_line("Сроки поставок согласовать дополнительно") is None
    found = find_in_sentence(
        "Завершить модернизацию пункта пропуска, в срок до 1 декабря 2027 года."
    )
    assert found[0].date == D(2027, 12, 1)
    assert (
        find_in_sentence("Обеспечить обмен информацией на постоянной основе.")[0].kind == "ongoing"
    )
    assert find_in_sentence("Провести форум до 2027 года и обеспечить участие.") is None
