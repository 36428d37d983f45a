from django.urls import path

from moderation import views as moderation_views

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/comment/", views.comment_create, name="comment_create"),
    path("<int:pk>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("comments/<int:pk>/", views.comment_thread, name="comment_thread"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="proposal_support"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/report/", views.proposal_report, name="proposal_report"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path(
        "moderation/<str:kind>/<int:pk>/<str:action>/",
        views.moderate,
        name="moderate",
    ),
    path("blocked/", views.my_block, name="my_block"),
    path("blocked-accounts/", views.posting_blocks, name="posting_blocks"),
    path(
        "blocked-accounts/<int:user_id>/unblock/",
        moderation_views.unblock,
        name="author_unblock",
    ),
]
