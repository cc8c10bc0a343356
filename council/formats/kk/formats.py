"""Kazakh: Django has translations for it but no formats, so dates and numbers came out
in the English form ("Dec. 1, 2026", "1,400.5"). Written as in Kazakhstan's official
documents and the Unicode CLDR: "2027 ж. 15 қаңтар" (month names in lower case, from
our catalogue), day.month.year in short, a decimal comma, a no-break space between
thousands."""

DATE_FORMAT = "Y ж. j E"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y ж. j E G:i"
YEAR_MONTH_FORMAT = "Y ж. F"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # дүйсенбі, Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006'
    "%d.%m.%y",  # '25.10.06'
]  # Django adds the ISO forms (what <input type="date"> sends) to every language's
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
