from pathlib import Path

from django.core.management.base import BaseCommand

from council.backup import backup


class Command(BaseCommand):
    help = "Write every record and uploaded file to one .tar.gz (restore with `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Where to write the backup, e.g. backup.tar.gz")

    def handle(self, *args, path: Path, **options):
        counts = backup(path)
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {counts['objects']} records, {counts['files']} files.")
        )
