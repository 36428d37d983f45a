from django.urls import path

from . import casework_views, views

app_name = "casework"

urlpatterns = [
    path("", views.casework_queue, name="queue"),
    # Before <reference>/, which would otherwise take these for a reference.
    path("intake/", casework_views.casework_intake, name="intake"),
    path("inbox/", casework_views.casework_inbox, name="inbox"),
    path("export/", casework_views.casework_export, name="export"),
    path("exports/", casework_views.casework_export_log, name="export_log"),
    path("conflicts/", casework_views.casework_conflicts, name="conflicts"),
    path("<str:reference>/", views.casework_case, name="case"),
    path("<str:reference>/transition/", views.casework_transition, name="transition"),
    path("<str:reference>/note/", views.casework_note, name="note"),
    path("<str:reference>/assign/", views.casework_assign, name="assign"),
    path("<str:reference>/unassign/", views.casework_unassign, name="unassign"),
    path("<str:reference>/recuse/", views.casework_recuse, name="recuse"),
    path(
        "<str:reference>/deadline/pause/",
        casework_views.casework_deadline_pause,
        name="deadline_pause",
    ),
    path(
        "<str:reference>/deadline/resume/",
        casework_views.casework_deadline_resume,
        name="deadline_resume",
    ),
    path(
        "<str:reference>/deadline/extend/",
        casework_views.casework_deadline_extend,
        name="deadline_extend",
    ),
]
