from django.urls import path

from solidarity.core.pages import public_page

from . import feeds, views

urlpatterns = [
    path("magazine/", views.front, name="magazine"),
    path("magazine/search/", views.search, name="magazine_search"),
    path("magazine/feed/", public_page(feeds.MagazineFeed()), name="magazine_feed"),
    path("magazine/tag/<slug:slug>/", views.by_tag, name="magazine_tag"),
    path("magazine/about/<int:pk>/", views.about_person, name="magazine_person"),
    path(
        "magazine/about/<int:pk>/feed/", public_page(feeds.PersonStoriesFeed()), name="magazine_person_feed"
    ),
    path("magazine/issues/", views.issue_list, name="magazine_issues"),
    path("magazine/issues/<int:year>-<int:month>.epub", views.issue_epub, name="magazine_issue_epub"),
    path("magazine/issues/<int:year>-<int:month>.pdf", views.issue_pdf, name="magazine_issue_pdf"),
    path("magazine/<slug:slug>/", views.article, name="magazine_article"),
]
