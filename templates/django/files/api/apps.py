"""Application config."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API application."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
