from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MagazineConfig(AppConfig):
    name = "solidarity.magazine"
    label = "magazine"
    verbose_name = _("Magazine")

    def ready(self) -> None:
        from . import images, plugins, services
        from .models import Article, Author, Image, Tag

        plugins.register()
        # What public pages show of the magazine follows its rows: articles, their images, tags
        # and authors. A subject's status is the registry's, whose version the pages follow too.
        for model in (Article, Author, Image, Tag):
            post_save.connect(
                services.PUBLIC_VERSION.bump, sender=model, dispatch_uid=f"magazine-{model.__name__}"
            )
            post_delete.connect(
                services.PUBLIC_VERSION.bump, sender=model, dispatch_uid=f"magazine-del-{model.__name__}"
            )
        post_delete.connect(images.delete_with_row, sender=Image, dispatch_uid="magazine-image-files")
        for relation in (Article.tags.through, Article.subjects.through, Article.authors.through):
            m2m_changed.connect(
                services.PUBLIC_VERSION.bump, sender=relation, dispatch_uid=f"magazine-{relation.__name__}"
            )
