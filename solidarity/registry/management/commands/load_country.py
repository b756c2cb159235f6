from django.core.management.base import BaseCommand, CommandError

from ...country import country_file, load_country


class Command(BaseCommand):
    help = "Loads (or updates) a country's regions, kinds of facility, facilities and articles."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="Country code of a file in registry/data/countries/.")

    def handle(self, *args, code, **options):
        if not country_file(code).exists():
            raise CommandError(f"No data file {country_file(code)}.")
        from solidarity.stats.services import load_published_figures

        result = load_country(code)
        figures = load_published_figures(code)
        self.stdout.write(
            f"{result.regions} regions, {result.kinds} kinds of facility, "
            f"{result.facilities} facilities, {result.articles} articles, {figures} published figures."
        )
