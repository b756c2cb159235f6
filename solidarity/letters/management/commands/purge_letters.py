from django.core.management.base import BaseCommand
from django.utils import timezone

from solidarity.letters.services import purge


class Command(BaseCommand):
    help = "Deletes letter texts and reply scans whose time is up (run daily, like refresh_registry)."

    def handle(self, *args, **options):
        texts, replies = purge(today=timezone.localdate())
        self.stdout.write(f"{texts} letter texts and {replies} replies deleted.")
