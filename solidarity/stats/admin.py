from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from solidarity.audit.admin_mixins import AuditedAdmin

from .models import PublishedFigure


@admin.register(PublishedFigure)
class PublishedFigureAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["label", "value", "value_max", "date", "source_name", "order"]
    list_editable = ["order"]
