from django.core.management.base import BaseCommand

from council.roles import roles_sync


class Command(BaseCommand):
    help = "Create or update the role groups (secretariat, focal points, managers)."

    def handle(self, *args, **options):
        for name, group in roles_sync().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
