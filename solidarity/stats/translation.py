from modeltranslation.translator import TranslationOptions, register

from .models import PublishedFigure


@register(PublishedFigure)
class PublishedFigureTranslation(TranslationOptions):
    fields = ("label", "definition")
