"""Factories for the registry. Identifiers are valid by construction (shouye.core.identifiers)."""

import itertools
from datetime import date, timedelta

import factory

from shouye.accounts.models import Membership, Organisation, User
from shouye.core.identifiers import credit_code, id_number
from shouye.enterprises.choices import LicenceKind, PersonRole
from shouye.enterprises.models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade
from shouye.regions.models import Region

_seq = itertools.count(90_000_000 // 1000)

PASSWORD = "Shouye@2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.LazyFunction(lambda: credit_code(next(_seq)))
    legal_representative = "张三"
    address = "济南市长清区测试路1号"
    township = factory.LazyFunction(lambda: Region.objects.get(code="370113107"))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="hazardous_chemicals"))
    supervision_grade = factory.LazyFunction(lambda: SupervisionGrade.objects.get(code="B"))
    longitude = "116.560000"
    latitude = "36.515000"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterprisePerson

    enterprise = factory.SubFactory(EnterpriseFactory)
    role = PersonRole.SAFETY_OFFICER
    name = "李四"
    phone = "13812345678"
    id_number = factory.LazyFunction(lambda: id_number(next(_seq)))


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = LicenceKind.SAFETY_PRODUCTION
    number = factory.Sequence(lambda n: f"(鲁)WH安许证字[2024]{n:06d}")
    issuer = "济南市应急管理局"
    valid_from = factory.LazyFunction(lambda: date.today() - timedelta(days=365))
    valid_to = factory.LazyFunction(lambda: date.today() + timedelta(days=400))


def member(user: User, role: str, **target) -> Membership:
    return Membership.objects.create(user=user, role=role, **target)


def bureau() -> Organisation:
    return Organisation.objects.get(kind="bureau")
