from django.core.management.base import BaseCommand

from solidarity.letters.rules import load_rules


class Command(BaseCommand):
    help = "Loads a country's letter rules from its data file, unless staff already keep rules for it."

    def add_arguments(self, parser):
        parser.add_argument("country", nargs="?", default="BY")
        parser.add_argument("--replace", action="store_true", help="Replace the rules staff have edited.")

    def handle(self, *args, country: str, replace: bool, **options):
        created = load_rules(country, replace=replace)
        if created:
            self.stdout.write(f"{country}: {created} rules loaded.")
        else:
            self.stdout.write(f"{country}: rules kept as they are (use --replace to reload them).")
