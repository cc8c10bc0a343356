"""Backup and restore round-trip the demo data and its uploaded files, record for record."""

import pytest
from django.apps import apps
from django.core.management import call_command

from council.models import Attachment, Commitment, ProtocolFile

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("council").get_models()
    }
    files = {
        f.file.name: f.file.read() for f in [*ProtocolFile.objects.all(), *Attachment.objects.all()]
    }
    texts = dict(Commitment.objects.values_list("pk", "text"))
    return counts, files, texts


def test_round_trip_keeps_every_record_and_file(demo, tmp_path, settings, media_root):
    before = snapshot()
    assert before[1], "the demo has uploaded files"
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))

    # Lose everything: the database rows and the uploaded files.
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert Commitment.objects.count() == 0

    call_command("restore", str(archive))
    after = snapshot()
    assert after == before
    # New records still get fresh ids after the restore.
    commitment = Commitment.objects.first()
    commitment.pk = None
    commitment.clause = "9.9"
    commitment.save()


def test_restore_refuses_a_database_that_is_not_empty(demo, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(Exception, match="not empty"):
        call_command("restore", str(archive))
