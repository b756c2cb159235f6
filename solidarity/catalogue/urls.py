from django.urls import path

from solidarity.core.pages import public_page

from . import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people_list, name="people_list"),
    path("people.csv", views.people_csv, name="people_csv"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/print/", views.person_print, name="person_print"),
    path("birthdays/", views.birthdays, name="birthdays"),
    path("search/", views.search_page, name="search"),
    path("facilities/<slug:slug>/", views.facility_detail, name="facility_detail"),
    path("changes.atom", public_page(feeds.RegistryChangesFeed()), name="changes_feed"),
]
