from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    # Before the item routes: "blocked" would otherwise read as a kind.
    path("blocked/<int:user_id>/unblock/", views.unblock, name="unblock"),
    path("<str:kind>/<int:pk>/report/", views.report, name="report"),
    path("<str:kind>/<int:pk>/<str:action>/", views.act, name="act"),
]
