from django.urls import path

from . import views

urlpatterns = [
    path("petitions/", views.petition_list, name="petitions"),
    path("petitions/<slug:slug>/", views.petition_detail, name="petition"),
    path("petitions/<slug:slug>/sign/", views.sign, name="petition_sign"),
    path("petitions/<slug:slug>/confirm/<str:token>/", views.confirm, name="petition_confirm"),
    path("petitions/<slug:slug>/receipt/", views.check_receipt, name="petition_receipt"),
    path("petitions/<slug:slug>/ledger/", views.ledger_page, name="petition_ledger"),
    path("petitions/<slug:slug>/ledger.json", views.ledger_json, name="petition_ledger_json"),
]
