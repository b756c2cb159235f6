"""Content fields translated per interface language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Article, Author, Image, Tag


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "lead", "body", "search_words")
    fallback_undefined = {"title": "", "lead": "", "body": "", "search_words": ""}


@register(Tag)
class TagTranslation(TranslationOptions):
    fields = ("name",)


@register(Author)
class AuthorTranslation(TranslationOptions):
    fields = ("about",)


@register(Image)
class ImageTranslation(TranslationOptions):
    fields = ("alt", "caption")
