"""Uploaded files in an S3-compatible store (``S3_BUCKET``), as several web machines share
them: an attachment is written to the bucket and read back through the permission-checked
download, a previewed import waits in the bucket for its confirmation on any machine, and
backup and restore carry the bucket's files. The store is moto's in-process S3."""

from __future__ import annotations

import importlib
import os
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from council import services
from council.imports import pending
from council.models import Attachment

boto3 = pytest.importorskip("boto3")
moto = pytest.importorskip("moto")

BUCKET = "council-media"


@pytest.fixture
def bucket(settings):
    with moto.mock_aws():
        s3 = boto3.client("s3", region_name="eu-central-1")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
        environment = {
            "S3_BUCKET": BUCKET,
            "S3_REGION": "eu-central-1",
            "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test",
        }
        with mock.patch.dict(os.environ, environment):
            from council import settings as project_settings

            configured = importlib.reload(project_settings).STORAGES
        importlib.reload(project_settings)
        # The settings the environment gives, applied as Django applies STORAGES changes.
        settings.STORAGES = configured
        yield s3


def keys(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_s3_bucket_in_the_environment_selects_the_private_s3_storage(bucket, settings):
    options = settings.STORAGES["default"]["OPTIONS"]
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == BUCKET and options["default_acl"] is None
    assert type(default_storage).__name__ == "DefaultStorage"  # lazy: built from STORAGES
    assert default_storage.bucket_name == BUCKET


@pytest.mark.django_db
def test_an_attachment_goes_to_the_bucket_and_back_through_the_download(world, bucket, login):
    update = services.commitment_report_progress(
        commitment=world.commitment_b,
        by=None,
        note="Акт сверки",
        attachments=[ContentFile(b"%PDF-1.4 act", name="akt-sverki.pdf")],
    )
    attachment = update.attachments.get()
    assert f"media/{attachment.file.name}" in keys(bucket)
    client = login(world.users["focal_b"])
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 act"
    # Another council's secretariat does not get it, from the bucket or otherwise.
    outsider = login(world.users["secretariat_other"])
    assert outsider.get(f"/attachments/{attachment.pk}/").status_code == 404
    # A file lost from the bucket is a clear 404, not a 500.
    bucket.delete_object(Bucket=BUCKET, Key=f"media/{attachment.file.name}")
    assert login(world.users["focal_b"]).get(f"/attachments/{attachment.pk}/").status_code == 404


def test_a_previewed_import_waits_in_the_bucket_for_its_confirmation(bucket):
    token = pending.stash(b"PK\x03\x04 protocol.docx")
    assert f"media/import-pending/{token}.bin" in keys(bucket)
    assert pending.load(token) == b"PK\x03\x04 protocol.docx"
    pending.discard(token)
    assert pending.load(token) is None
    assert pending.load("../../etc/passwd") is None


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_carry_the_buckets_files(bucket, world, tmp_path):
    # The world's evidence was uploaded with the bucket configured.
    assert keys(bucket)
    names = {a.file.name: a.file.read() for a in Attachment.objects.all()}
    assert names
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    for key in keys(bucket):
        bucket.delete_object(Bucket=BUCKET, Key=key)
    call_command("restore", str(archive))
    assert {a.file.name: a.file.read() for a in Attachment.objects.all()} == names
