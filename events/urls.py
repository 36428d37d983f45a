from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/calendar.ics", views.ics, name="ics"),
    path("<int:pk>/registrations/", views.office_registrations, name="registrations"),
]
