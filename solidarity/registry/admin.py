from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TranslationAdmin

from solidarity.audit.admin_mixins import AuditedAdmin, AuditedInline

from . import services
from .models import Article, Event, Facility, FacilityKind, Interest, Person, Region, Sentence


class EventInline(AuditedInline):
    model = Event
    fields = ["date", "kind", "facility", "source_url", "source_citation", "note_code", "note"]
    autocomplete_fields = ["facility"]
    ordering = ["date", "id"]


class SentenceInline(AuditedInline):
    model = Sentence
    fields = [
        "verdict_date",
        "term_months",
        "regime",
        "articles",
        "court",
        "judge",
        "appeal_date",
        "source_url",
        "source_citation",
    ]
    autocomplete_fields = ["articles"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["formal_name", "birth_date", "status", "current_facility", "friend_count", "is_published"]
    list_filter = ["status", "gender", "region", "is_published"]
    search_fields = ["last_name_be", "last_name_ru", "last_name_en", "first_name_en", "source_ref"]
    list_select_related = ["current_facility"]
    readonly_fields = ["status", "current_facility", "imprisoned_since", "friend_count"]
    autocomplete_fields = ["region"]
    filter_horizontal = ["interests"]
    inlines = [EventInline, SentenceInline]
    fieldsets = [
        (None, {"fields": ["first_name", "patronymic", "last_name", "gender", "birth_date", "region"]}),
        (_("Public profile"), {"fields": ["photo", "photo_source_url", "description", "story", "interests"]}),
        (_("Canonical list"), {"fields": ["source_ref", "source_url", "is_published"]}),
        (_("Derived from the timeline"), {"fields": readonly_fields}),
    ]

    @admin.display(description=pgettext_lazy("person", "name"), ordering="last_name")
    def formal_name(self, obj: Person) -> str:
        return obj.formal_name

    def after_audited_save(self, request, obj: Person) -> None:
        services.refresh_derived_fields(obj)


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["name", "kind", "city", "region", "postal_code"]
    list_filter = ["kind", "region", "holds_women"]
    search_fields = ["name_be", "name_ru", "name_en", "code_cyrillic", "code_latin", "city_ru", "postal_code"]


@admin.register(Article)
class ArticleAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["label", "code", "title"]
    list_filter = ["code"]
    search_fields = ["number", "title_be", "title_ru", "title_en"]


@admin.register(Region)
class RegionAdmin(AuditedAdmin, TranslationAdmin):
    search_fields = ["name_be", "name_ru", "name_en"]


@admin.register(FacilityKind)
class FacilityKindAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["slug", "name"]


@admin.register(Interest)
class InterestAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["slug", "name"]
