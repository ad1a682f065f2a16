"""URLs: the API and the health check."""

from django.urls import include, path

from api.views import health

urlpatterns = [
    path("health", health),
    path("api/", include("api.urls")),
]
