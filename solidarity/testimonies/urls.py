from django.urls import path

from . import views

urlpatterns = [
    path("testimonies/", views.intro, name="testimonies"),
    path("testimonies/new/", views.new, name="testimony_new"),
    path("testimonies/follow/", views.follow, name="testimony_follow"),
    path("testimonies/follow/add/", views.add, name="testimony_add"),
    path("testimonies/follow/withdraw/", views.withdraw, name="testimony_withdraw"),
    path("testimonies/leave/", views.leave, name="testimony_leave"),
]
