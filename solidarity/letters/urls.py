from django.urls import path

from . import views

urlpatterns = [
    path("people/<int:pk>/write/", views.compose, name="compose_letter"),
    path("people/<int:pk>/write/hand-over/", views.hand_over, name="hand_over_letter"),
    path("letters/follow/", views.follow, name="letters_follow"),
    path("letters/replies/<int:pk>/", views.read_reply, name="read_reply"),
    path("letters/replies/<int:pk>/delete/", views.delete_reply, name="delete_reply"),
    path("letters/evening/", views.evening, name="letters_evening"),
]
