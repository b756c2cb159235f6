from django.core.management.base import BaseCommand

from solidarity.petitions import services


class Command(BaseCommand):
    help = "Expires signatures unconfirmed for a week, closes petitions past their deadline, seals the ledger"

    def handle(self, *args, **options):
        done = services.daily()
        self.stdout.write(", ".join(f"{what}: {n}" for what, n in done.items()))
