from django.core.management.base import BaseCommand, CommandError

from solidarity.core import plugins

from ...country import country_file, load_country


class Command(BaseCommand):
    help = "Loads (or updates) a country's regions, kinds of facility, facilities and articles."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="Country code of a file in registry/data/countries/.")

    def handle(self, *args, code, **options):
        if not country_file(code).exists():
            raise CommandError(f"No data file {country_file(code)}.")
        result = load_country(code)
        loaded = [
            f"{result.regions} regions, {result.kinds} kinds of facility, "
            f"{result.facilities} facilities, {result.articles} articles",
            *(loader(code) for loader in plugins.country_loaders),
        ]
        self.stdout.write(", ".join(loaded) + ".")
