"""English: one unambiguous style for readers on both sides of the Atlantic and in
Central Asia, where 10/03/2026 reads as 10 March. Django's own English forms mix
"10/03/2026" (month first) with "Jan. 16, 2027"; these write the day first and the month
as a word, on a 24-hour clock. Input formats stay Django's (ISO is what date inputs send)."""

DATE_FORMAT = "j M Y"  # 16 Jan 2027
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d M Y"  # 10 Mar 2026
SHORT_DATETIME_FORMAT = "d M Y, H:i"
