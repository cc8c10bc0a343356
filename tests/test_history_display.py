"""The change history reads as words in the reader's language, not Python values."""

import datetime

from django.utils import translation

from council.history import _display
from council.models import Commitment

MONITORED = Commitment._meta.get_field("is_monitored")
DEADLINE = Commitment._meta.get_field("deadline")


def test_yes_and_no_instead_of_true_and_false():
    with translation.override("ru"):
        assert (_display(None, MONITORED, True), _display(None, MONITORED, False)) == ("да", "нет")
    with translation.override("en"):
        assert _display(None, MONITORED, False) == "no"


def test_dates_in_the_readers_form():
    day = datetime.date(2027, 6, 1)
    with translation.override("ru"):
        assert _display(None, DEADLINE, day) == "01.06.2027"
    with translation.override("en"):
        assert _display(None, DEADLINE, day) == "01 Jun 2027"
    assert _display(None, DEADLINE, None) == "—"
