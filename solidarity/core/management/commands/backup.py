from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from solidarity.core import backups


class Command(BaseCommand):
    help = (
        "Writes a consistent backup archive: the database, media, private files, reference data, a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=None, help="The folder (default: VAR_DIR/backups).")
        parser.add_argument(
            "--keep-days", type=int, default=7, help="Archives older than this are deleted (default 7)."
        )

    def handle(self, *args, to=None, keep_days=7, **options):
        try:
            path = backups.backup(to or Path(settings.VAR_DIR) / "backups", keep_days=keep_days)
        except (backups.Refused, OSError) as refused:
            raise CommandError(str(refused)) from refused
        manifest = backups.read_manifest(path)
        self.stdout.write(
            f"{path}: {sum(manifest['rows'].values())} rows in {len(manifest['rows'])} tables, "
            f"{len(manifest['files'])} files, {path.stat().st_size / 1024 / 1024:.1f} MB"
        )
