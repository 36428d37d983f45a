from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("new/", views.complaint_new, name="new"),
    path("new/done/", views.complaint_submitted, name="submitted"),
    path("new/saved/", views.complaint_receipt_saved, name="receipt_saved"),
    # After done/ and saved/, which would otherwise be taken for a step.
    path("new/<slug:step>/", views.complaint_step, name="step"),
    path("exit/", views.complaint_exit, name="exit"),
    path("mine/", views.complaint_mine, name="mine"),
    # Before <reference>/, which would otherwise take "status" for a reference.
    path("status/", views.complaint_status, name="status"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/close-here/", views.complaint_close_here, name="close_here"),
    path("<str:reference>/withdraw/", views.complaint_withdraw, name="withdraw"),
    path("<str:reference>/messages/", views.complaint_message, name="message"),
    path("<str:reference>/files/", views.complaint_attach, name="attach"),
    path(
        "<str:reference>/files/<uuid:attachment_id>/",
        views.complaint_attachment,
        name="attachment",
    ),
]
