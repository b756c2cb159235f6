from django.urls import path

from . import views

urlpatterns = [
    path("friends/", views.home, name="friends_home"),
    path("friends/me/", views.me, name="friends_me"),
    path("friends/restore/", views.restore, name="friends_restore"),
    path("friends/remember/", views.remember, name="friends_remember"),
    path("friends/forget/", views.forget, name="friends_forget"),
    path("friends/calendar/<str:token>.ics", views.calendar_feed, name="friends_calendar"),
    path("people/<int:pk>/befriend/", views.befriend, name="befriend"),
    path("people/<int:pk>/unfriend/", views.unfriend, name="unfriend"),
    path("people/<int:pk>/mark/", views.mark, name="friends_mark"),
    path("forgotten/", views.forgotten, name="forgotten"),
    path("forgotten/suggest/", views.suggest, name="suggest"),
]
