from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("new/", views.complaint_new, name="new"),
    path("mine/", views.complaint_mine, name="mine"),
    path("<str:reference>/", views.complaint_detail, name="detail"),
    path("<str:reference>/withdraw/", views.complaint_withdraw, name="withdraw"),
    path("<str:reference>/messages/", views.complaint_message, name="message"),
]
