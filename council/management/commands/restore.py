from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from council.backup import restore
from council.models import Council


class Command(BaseCommand):
    help = "Load a backup made by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if Council.objects.exists():
            raise CommandError(
                "The database is not empty: restore into a fresh database (migrate first)."
            )
        counts = restore(path)
        self.stdout.write(
            self.style.SUCCESS(f"Restored {counts['objects']} records and {counts['files']} files.")
        )
