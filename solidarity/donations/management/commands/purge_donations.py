from django.core.management.base import BaseCommand
from django.utils import timezone

from ...services import purge


class Command(BaseCommand):
    help = "Daily: blanks providers' references older than refunds and disputes can come (hashes stay)."

    def handle(self, *args, **options):
        count = purge(today=timezone.localdate())
        self.stdout.write(f"{count} references blanked.")
