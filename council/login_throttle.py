"""Login throttling with two limits: per user name at an address, and per address.

django-axes counts failures for each of ``AXES_LOCKOUT_PARAMETERS`` but holds them all to
one ``AXES_FAILURE_LIMIT``. Here the user name at an address keeps that limit (a person
who mistypes is locked out alone), and the address alone, summed across every user name
it tried, has ``AXES_ADDRESS_FAILURE_LIMIT``: high enough that an office behind one
address is not locked out by a few typos, low enough that guessing at many accounts from
one address stops.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

# The order of settings.AXES_LOCKOUT_PARAMETERS, which this handler reads by position.
PER_NAME, PER_ADDRESS = 0, 1


def _failures(attempts) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures to hold against ``AXES_FAILURE_LIMIT``: the user name's at this
        address, or the address's scaled to that limit (it reaches the limit exactly
        when the address reaches ``AXES_ADDRESS_FAILURE_LIMIT``)."""
        attempts = self.get_user_attempts(request, credentials)
        per_name = _failures(attempts[PER_NAME])
        per_address = _failures(attempts[PER_ADDRESS])
        scaled = per_address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(per_name, scaled)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A sign-in clears that user name's failures at the address, not the address's
        count: one account an attacker holds must not wipe the record of the others."""
        attempts = self.filter_user_attempts(request, credentials)[PER_NAME]
        count, _ = attempts.delete()  # not a record: the throttle's own failure log
        return count
