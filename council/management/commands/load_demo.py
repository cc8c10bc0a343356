import json

from django.core.management.base import BaseCommand

from council.demo import DEMO_FILE, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo council (fixtures/demo.json) and its users into an empty database."

    def handle(self, *args, **options):
        if demo_is_loaded():
            self.stdout.write("The database already holds councils: demo data not loaded again.")
        else:
            loader = load_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded: {len(loader.councils)} councils, "
                    f"{len(loader.sessions)} sessions, {len(loader.commitments)} commitments."
                )
            )
        users = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["users"]
        self.stdout.write("\nDemo users (local use only):")
        for user in users:
            self.stdout.write(
                f"  {user['role']:<12} {user['username']:<12} password: {user['password']}"
            )
