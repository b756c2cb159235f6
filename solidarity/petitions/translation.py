"""Content fields translated per interface language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Milestone, Petition


@register(Petition)
class PetitionTranslation(TranslationOptions):
    fields = ("title", "text", "addressees")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("label",)
