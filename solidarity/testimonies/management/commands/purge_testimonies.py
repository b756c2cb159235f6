from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = "Deletes testimonies kept past TESTIMONY_KEEP_DAYS (daily); each deletion is in the custody log."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {services.purge()} testimonies past their time.")
