"""Content fields translated per interface language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Facility, FacilityKind, Interest, Person, Region


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(FacilityKind)
class FacilityKindTranslation(TranslationOptions):
    fields = ("name",)


@register(Facility)
class FacilityTranslation(TranslationOptions):
    fields = ("name", "city")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title",)


@register(Interest)
class InterestTranslation(TranslationOptions):
    fields = ("name",)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("first_name", "patronymic", "last_name", "description", "story")
