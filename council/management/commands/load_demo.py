import contextlib
import io
import json

from django.core.management.base import BaseCommand

from council.demo import DEMO_FILE, demo_is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo council (fixtures/demo.json) and its users into an empty database."

    def handle(self, *args, **options):
        if demo_is_loaded():
            self.stdout.write("The database already holds councils: demo data not loaded again.")
        else:
            # The demo's first reminder scan sends e-mail; locally that is the console
            # backend, hundreds of lines that would bury the users and the address.
            with contextlib.redirect_stdout(io.StringIO()) as mail:
                loader = load_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded: {len(loader.councils)} councils, "
                    f"{len(loader.sessions)} sessions, {len(loader.commitments)} commitments."
                )
            )
            sent = mail.getvalue().count("\nMessage-ID: ")
            if sent:
                self.stdout.write(
                    f"The first reminder scan sent {sent} e-mails (not shown here); "
                    "each person sees theirs under Notifications."
                )
        users = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["users"]
        self.stdout.write("\nDemo users (local use only):")
        for user in users:
            self.stdout.write(
                f"  {user['role']:<12} {user['username']:<12} password: {user['password']}"
            )
