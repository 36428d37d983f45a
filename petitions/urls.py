from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_create, name="create"),
    path("mine/", views.petition_mine, name="mine"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/edit/", views.petition_edit, name="edit"),
    path("<int:pk>/submit/", views.petition_submit, name="submit"),
    path("<int:pk>/sign/", views.petition_sign, name="sign"),
    path("<int:pk>/withdraw/", views.petition_withdraw, name="withdraw"),
    path("<int:pk>/moderate/", views.petition_moderate, name="moderate"),
    path("<int:pk>/answer/", views.petition_answer, name="answer"),
]
