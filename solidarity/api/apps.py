from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "solidarity.api"
    label = "api"
    verbose_name = "Open data API"
