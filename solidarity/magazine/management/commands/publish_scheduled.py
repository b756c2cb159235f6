from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    # The worker's task publishes on time; this catches up on what a lost queue missed.
    help = "Publishes scheduled articles whose time has come."

    def handle(self, *args, **options):
        published = services.publish_due()
        self.stdout.write(f"Published {len(published)} scheduled article(s).")
