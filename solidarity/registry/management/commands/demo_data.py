import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...demo import DemoRegistry, counts_on_published_dates
from ...models import Person


class Command(BaseCommand):
    help = "Builds a realistic demo registry of invented people whose counts follow the published figures."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the registry has people.")
        parser.add_argument("--replace", action="store_true", help="Delete every person first.")

    def handle(self, *args, people, seed, if_empty, replace, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        if Person.objects.exists():
            if if_empty:
                self.stdout.write("The registry already has people; demo data not loaded.")
                return
            if not replace:
                raise CommandError("The registry is not empty: use --replace to delete everyone first.")
            with transaction.atomic():
                Person.objects.all().delete()
        started = time.perf_counter()
        registry = DemoRegistry(people, seed)
        result = registry.build()
        self.stdout.write(
            f"Demo registry: {result['people']} people ({result['recognized']} ever recognised), "
            f"{result['events']} events, curve scale {result['scale']:.3f}, "
            f"in {time.perf_counter() - started:.1f} s."
        )
        self.stdout.write("Political prisoners on the published dates (published / demo data):")
        for day, (published, ours) in counts_on_published_dates(registry.curve).items():
            self.stdout.write(f"  {day}: {published} / {ours}")
        day, women = registry.curve.women
        ours = Person.objects.political_prisoners_on(day).filter(gender=Person.Gender.FEMALE).count()
        self.stdout.write(f"  women on {day}: {women} / {ours}")
