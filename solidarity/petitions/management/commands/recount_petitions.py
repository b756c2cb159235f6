from django.core.management.base import BaseCommand, CommandError

from solidarity.petitions import services
from solidarity.petitions.models import Petition


class Command(BaseCommand):
    help = (
        "Recounts every petition: its stored count beside its confirmed signatures, and its public ledger "
        "verified. Fails when anything disagrees."
    )

    def handle(self, *args, **options):
        services.seal_ledger()
        wrong = 0
        for petition in Petition.objects.order_by("pk"):
            found = services.recount(petition)
            verdict = "agrees" if found.agrees else "DISAGREES"
            self.stdout.write(
                f"{petition.slug}: stored {found.stored}, confirmed signatures {found.confirmed}, "
                f"ledger {'verifies' if not found.ledger_problems else 'does not verify'}: {verdict}"
            )
            for problem in found.ledger_problems:
                self.stdout.write(f"  {problem}")
            wrong += not found.agrees
        if wrong:
            raise CommandError(f"{wrong} petition(s) disagree")
