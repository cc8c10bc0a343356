"""Factories: Council → Session → Commitment, with parties and agencies on the way."""

import datetime

import factory
from django.utils import timezone

from council import models


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Party
        django_get_or_create = ("code",)

    code = factory.Iterator(["KZ", "KG", "UZ", "TJ", "TM"])
    name = factory.LazyAttribute(lambda o: f"Republic {o.code}")
    short_name = factory.LazyAttribute(lambda o: f"Country {o.code}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agency

    party = factory.SubFactory(PartyFactory)
    name = factory.Sequence(lambda n: f"Ministry number {n}")
    short_name = factory.Sequence(lambda n: f"M{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Official {n}")
    position = "Minister"
    party = factory.SubFactory(PartyFactory)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Council
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Intergovernmental council {n}")
    short_name = factory.Sequence(lambda n: f"IGC {n}")
    kind = models.Council.Kind.INTERGOVERNMENTAL_COUNCIL

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create:
            self.parties.set(extracted or [PartyFactory(code="KZ"), PartyFactory(code="KG")])


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Session

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = models.Session.Status.HELD
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    city = "Astana"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Commitment

    session = factory.SubFactory(SessionFactory)
    clause = factory.Sequence(lambda n: f"{n + 1}.1")
    title = factory.Sequence(lambda n: f"Commitment {n}")
    text = "The Parties shall do what was agreed."
    sector = factory.SubFactory(SectorFactory)
    deadline_kind = models.Commitment.DeadlineKind.DATE
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Responsibility

    commitment = factory.SubFactory(CommitmentFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = models.Responsibility.Role.LEAD


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Protocol

    session = factory.SubFactory(SessionFactory)
    title = factory.LazyAttribute(lambda o: f"Protocol of {o.session}")
    status = models.Protocol.Status.DRAFT
