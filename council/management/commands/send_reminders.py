import datetime

from django.core.management.base import BaseCommand, CommandError

from council import reminders, services


class Command(BaseCommand):
    help = "Run the reminder scan now: record what is due and send it (no broker needed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; change nothing."
        )
        parser.add_argument("--today", help="Scan as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today takes a date as YYYY-MM-DD") from None
        if dry_run:
            from council.models import Reminder

            due = list(reminders.due_reminders(day))
            known = set(
                Reminder.objects.filter(key__in=[d.key for d in due]).values_list("key", flat=True)
            )
            fresh = [d for d in due if d.key not in known]
            for item in fresh:
                self.stdout.write(f"would send {item.key}")
            pending = len(reminders.pending_ids())
            self.stdout.write(
                f"{len(fresh)} new reminders due; {pending} recorded and still pending."
            )
            return
        result = services.reminders_scan(today=day)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['created']} new reminders; {result['dispatched']} delivered or retried."
            )
        )
