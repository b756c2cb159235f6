import json
import sys

from django.core.management.base import BaseCommand

from ...snapshot import build_snapshot


class Command(BaseCommand):
    help = "Writes the whole registry as one JSON snapshot (docs/snapshot-format.md); '-' for stdout."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        snapshot = build_snapshot()
        if path == "-":
            json.dump(snapshot, sys.stdout, ensure_ascii=False, indent=1)
            return
        with open(path, "w", encoding="utf-8") as out:
            json.dump(snapshot, out, ensure_ascii=False, indent=1)
        self.stdout.write(
            f"{len(snapshot['people'])} people, {len(snapshot['facilities'])} facilities, "
            f"{len(snapshot['articles'])} articles written to {path}."
        )
