from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.casework_queue, name="queue"),
    path("<str:reference>/", views.casework_case, name="case"),
    path("<str:reference>/transition/", views.casework_transition, name="transition"),
    path("<str:reference>/note/", views.casework_note, name="note"),
    path("<str:reference>/assign/", views.casework_assign, name="assign"),
    path("<str:reference>/unassign/", views.casework_unassign, name="unassign"),
    path("<str:reference>/recuse/", views.casework_recuse, name="recuse"),
]
