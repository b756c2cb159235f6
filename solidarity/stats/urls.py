from django.urls import path

from . import views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/charts/<slug:name>.svg", views.chart, name="stats_chart"),
    path("statistics/data/<slug:name>.csv", views.data_csv, name="stats_csv"),
    path("embed/counter/", views.embed_counter, name="embed_counter"),
    path("embed/daily.svg", views.embed_chart, name="embed_chart"),
]
