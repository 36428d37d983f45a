from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
]
