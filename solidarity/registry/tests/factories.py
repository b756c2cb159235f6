import datetime

import factory

from solidarity.registry.models import Article, Event, EventKind, Facility, FacilityKind, Person, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"region-{n}")
    name_be = factory.Sequence(lambda n: f"Вобласць {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class FacilityKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FacilityKind
        django_get_or_create = ["slug"]

    slug = "pretrial"
    name_be = "СІЗА"
    name_ru = "СИЗО"
    name_en = "Pre-trial detention centre"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    slug = factory.Sequence(lambda n: f"facility-{n}")
    kind = factory.SubFactory(FacilityKindFactory)
    name_be = factory.Sequence(lambda n: f"СІЗА № {n}")
    name_ru = factory.Sequence(lambda n: f"СИЗО № {n}")
    name_en = factory.Sequence(lambda n: f"Pre-trial detention centre No. {n}")
    city_be = "Мінск"
    city_ru = "Минск"
    city_en = "Minsk"
    postal_code = "220030"
    street_cyrillic = "ул. Володарского, 2"
    street_latin = "vulica Valadarskaha 2"
    postal_address_cyrillic = "СИЗО № 1\nул. Володарского, 2\n220030, г. Минск"
    postal_address_latin = "SIZO No. 1\nvulica Valadarskaha 2\n220030 Minsk\nBELARUS"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ["code", "number", "part"]

    code = Article.Code.CRIMINAL
    number = "342"
    part = "1"
    title_be = "Арганізацыя і падрыхтоўка дзеянняў, якія груба парушаюць грамадскі парадак"
    title_ru = "Организация и подготовка действий, грубо нарушающих общественный порядок"
    title_en = "Organisation and preparation of actions that grossly violate public order"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name_be = "Віктар"
    first_name_ru = "Виктор"
    first_name_en = "Viktar"
    patronymic_be = "Дзмітрыевіч"
    patronymic_ru = "Дмитриевич"
    last_name_be = factory.Sequence(lambda n: f"Бабарыка{n}")
    last_name_ru = factory.Sequence(lambda n: f"Бабарико{n}")
    last_name_en = factory.Sequence(lambda n: f"Babaryka{n}")
    gender = Person.Gender.MALE
    birth_date = datetime.date(1963, 11, 9)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    person = factory.SubFactory(PersonFactory)
    kind = EventKind.DETAINED
    date = datetime.date(2021, 1, 1)
    source_url = "https://example.org/news/1"
