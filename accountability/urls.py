from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("indicators.json", views.indicators_json, name="indicators_json"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>.csv", views.indicator_csv, name="indicator_csv"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("office/decisions/", views.office_decisions, name="office_decisions"),
    path(
        "office/decisions/new/<str:reference>/",
        views.office_decision_new,
        name="office_decision_new",
    ),
    path("office/decisions/<int:pk>/", views.office_decision_edit, name="office_decision"),
    path(
        "office/decisions/<int:pk>/<str:action>/",
        views.office_decision_action,
        name="office_decision_action",
    ),
]
