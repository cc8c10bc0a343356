"""Kyrgyz, as the Unicode CLDR writes it: "2027-ж., 15-январь", a decimal comma and a
no-break space between thousands (Django's own Kyrgyz formats use a decimal point)."""

DATE_FORMAT = "Y-ж., j-E"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y-ж., j-E G:i"
YEAR_MONTH_FORMAT = "Y-ж., F"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # дүйшөмбү, Monday

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006'
    "%d.%m.%y",  # '25.10.06'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
