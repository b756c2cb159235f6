from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...applying import apply_plan, import_label
from ...planning import plan_file
from ...readers import FORMATS, FileError


class Command(BaseCommand):
    help = (
        "Imports a snapshot of the registry or of the canonical list; prints what changes, then applies it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument("--dry-run", action="store_true", help="Show the differences; write nothing.")

    def handle(self, *args, file, format, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            plan = plan_file(data, format, today=timezone.localdate())
        except FileError as error:
            raise CommandError(f"{path.name}: {error} Nothing was imported.") from error
        summary = plan.summary()
        self.stdout.write(
            f"{path.name} ({plan.format}): " + ", ".join(f"{count} {kind}" for kind, count in summary.items())
        )
        for change in plan.changes:
            if change.kind == "rejected":
                self.stdout.write(f"  rejected record {change.number} {change.name}: {change.reason}")
        for change in plan.flagged:
            where = f"record {change.number}" if change.number else "registry"
            self.stdout.write(f"  flagged {where} {change.name}: {'; '.join(change.flags)}")
        if options["verbosity"] > 1:
            for change in plan.changes:
                if change.kind in {"new", "changed"}:
                    self.stdout.write(f"  {change.kind} record {change.number} {change.name}")
                    for line in change.describe():
                        self.stdout.write(f"      {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        result = apply_plan(plan, actor_label=import_label(path.name))
        self.stdout.write(
            f"Applied {result['applied']} new or changed records"
            f" ({result['facilities_created']} new facilities) in one transaction."
        )
