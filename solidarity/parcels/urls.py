from django.urls import path

from . import views

urlpatterns = [
    path("people/<int:pk>/parcel/", views.plan, name="parcel_plan"),
    path("facilities/<slug:slug>/parcel-report/", views.report, name="parcel_report"),
]
