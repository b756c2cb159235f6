from django.conf import settings
from django.core.management.base import BaseCommand

from solidarity.letters.services import load_rules


class Command(BaseCommand):
    help = (
        "Loads a country's letter rules from its data file; rules staff have edited are kept "
        "(use --replace), rules loaded from an older file are brought up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("country", nargs="?", default=settings.COUNTRY)
        parser.add_argument("--replace", action="store_true", help="Replace the rules staff have edited.")

    def handle(self, *args, country: str, replace: bool, **options):
        created = load_rules(country=country, replace=replace, actor_label="load_letter_rules")
        if created:
            self.stdout.write(f"{country.upper()}: {created} rules loaded.")
        else:
            self.stdout.write(
                f"{country.upper()}: rules kept (unchanged, or edited by staff: --replace reloads them)."
            )
