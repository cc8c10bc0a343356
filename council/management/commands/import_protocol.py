"""Import a protocol's clauses into a session from the command line: the same parser and
the same save as the "Import clauses" page.

    python manage.py import_protocol protocol.docx --session 14 [--dry-run] [--json]

With ``--json`` it prints exactly one JSON object: ``{"clauses": […], "errors": […]}``.
Running it twice adds nothing the second time (clauses are matched by number)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from council import services
from council.models import Session


class Command(BaseCommand):
    help = "Read a protocol or plan of measures (.docx, .xlsx, .csv) into a session's commitments."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .docx, .xlsx or .csv file")
        parser.add_argument("--session", type=int, required=True, help="The session's id")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; save nothing")
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args, file: Path, session: int, dry_run: bool, **options):
        as_json = options["json"]
        try:
            target = Session.objects.select_related("council").get(pk=session)
        except Session.DoesNotExist:
            return self._fail(as_json, f"No session has the id {session}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            return self._fail(as_json, f"{file}: {error.strerror or error}")
        if dry_run:
            preview = services.import_read(session=target, name=file.name, data=data)
            errors = list(preview.errors)
            outcome = None
        else:
            try:
                preview, outcome = services.import_confirm(
                    session=target, name=file.name, data=data, by=None, strict=False
                )
            except ValidationError as error:
                return self._fail(as_json, *error.messages)
            errors = list(outcome.errors)
        if as_json:
            payload = preview.result.as_json()
            payload["errors"] = errors
            self.stdout.write(_dumps(payload))
            return
        for row in preview.rows:
            self.stdout.write(f"{row.clause}\t{row.status}\t{row.title}")
            for warning in row.parsed.warnings:
                self.stdout.write(f"\t! {warning}")
        for commitment in preview.missing:
            self.stdout.write(f"{commitment.clause}\tnot in the file (left as recorded)")
        for error in errors:
            self.stderr.write(error)
        if outcome is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(outcome.created)} added, {len(outcome.updated)} updated, "
                    f"{outcome.unchanged} unchanged, {len(outcome.skipped)} skipped."
                )
            )
        if errors and not preview.rows:
            raise CommandError("Nothing imported.")

    def _fail(self, as_json: bool, *messages: str):
        if as_json:
            self.stdout.write(_dumps({"clauses": [], "errors": list(messages)}))
            raise SystemExit(1)
        raise CommandError(" ".join(messages))


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False)
