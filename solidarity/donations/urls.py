from django.urls import path

from . import views

urlpatterns = [
    path("donate/", views.campaign_list, name="campaigns"),
    path("donate/<int:pk>/", views.campaign_detail, name="campaign"),
    path("donate/<int:pk>/give/", views.give, name="give"),
    path("donate/thanks/", views.thanks, name="gift_thanks"),
    path("donate/receipt/", views.receipt, name="gift_receipt"),
    path("donate/monthly/stop/", views.stop_monthly, name="stop_monthly"),
    path("donate/summary/", views.summary, name="donations_summary"),
    path("donate/summary.csv", views.summary_csv, name="donations_summary_csv"),
    path("donate/summary.svg", views.summary_chart, name="donations_summary_chart"),
]

# Outside the language prefix: providers post here, in no language.
webhook_patterns = [
    path("donations/webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
    path("donations/webhooks/btcpay/", views.btcpay_webhook, name="btcpay_webhook"),
]
