"""What a council's public page shows: its published sessions, and for each what it
adopted and how it is being carried out. Only public facts: clause, text, responsible
parties and agencies, deadline, status and the council's decisions on review — never
progress notes, files or people."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Commitment, CommitmentSide, Council, Responsibility, Review, Session


def public_councils() -> QuerySet[Council]:
    return Council.objects.filter(is_public=True, is_active=True)


def published_sessions(council: Council) -> QuerySet[Session]:
    return council.sessions.filter(is_published=True).order_by("-number")


def published_commitments(session: Session) -> list[Commitment]:
    """The session's commitments with their responsible agencies, review decisions and
    each party's side, in four queries whatever their number."""
    reviews = Review.objects.select_related("session").order_by("session__number", "pk")
    responsibilities = Responsibility.objects.select_related("agency", "party").order_by(
        "party__order", "role", "pk"
    )
    return list(
        Commitment.objects.filter(session=session)
        .select_related("sector")
        .prefetch_related(
            Prefetch("responsibilities", queryset=responsibilities),
            Prefetch("reviews", queryset=reviews),
            Prefetch(
                "sides",
                queryset=CommitmentSide.objects.filter(is_responsible=True).select_related("party"),
            ),
        )
    )
