from django.core.management.base import BaseCommand

from ...services import refresh_all_derived_fields


class Command(BaseCommand):
    help = "Recomputes every person's status and facility from the timeline (run daily, after midnight)."

    def handle(self, *args, **options):
        self.stdout.write(f"{refresh_all_derived_fields()} people changed.")
