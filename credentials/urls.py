from django.urls import path

from . import views

app_name = "credentials"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("suggest", views.suggest, name="suggest"),
    path("export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export.json", views.export, {"fmt": "json"}, name="export_json"),
    path("<slug:slug>.jsonld", views.detail_jsonld, name="jsonld"),
    path("<slug:slug>/", views.detail, name="detail"),
]
