from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from solidarity.core import backups


class Command(BaseCommand):
    help = "Restores a backup archive into an empty system (or, with --force, over this one)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="Replace the data this system holds.")

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = backups.restore(archive, force=force)
        except (backups.Refused, OSError) as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(
            f"Restored the backup of {manifest['day']}: {sum(manifest['rows'].values())} rows, "
            f"{len(manifest['files'])} files."
        )
