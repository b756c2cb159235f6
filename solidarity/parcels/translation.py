"""Content fields translated per interface language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ParcelRule


@register(ParcelRule)
class ParcelRuleTranslation(TranslationOptions):
    fields = ("note", "exemptions")
