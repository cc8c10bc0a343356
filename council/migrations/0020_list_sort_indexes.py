"""An index for every sort of the commitment list, with and without the council, so a
page (first or deep) reads only its rows at a million commitments; partial ones where
the list filters open commitments; the clause, which a clause-number search matches; and
the open-deadline index extended by the id (the scan's and the dashboard's order)."""

import datetime
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0019_search_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='commitment',
            name='commitment_open_deadline_idx',
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(condition=models.Q(('status__in', ['not_started', 'in_progress', 'completion_reported'])), fields=['deadline', 'id'], name='commitment_open_deadline_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('adopted_on'), models.F('session'), models.F('id'), name='commitment_session_order_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('council'), models.F('adopted_on'), models.F('session'), models.F('id'), name='commitment_cncl_sess_ord_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(django.db.models.functions.comparison.Coalesce(models.F('deadline'), models.Value(datetime.date(9999, 12, 31))), models.F('id'), name='commitment_dl_key_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('status'), models.F('id'), name='commitment_status_id_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('title'), models.F('id'), name='commitment_title_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('council'), models.F('title'), models.F('id'), name='commitment_cncl_title_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('status'), django.db.models.functions.comparison.Coalesce(models.F('deadline'), models.Value(datetime.date(9999, 12, 31))), models.F('id'), name='commitment_status_dlkey_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(django.db.models.functions.comparison.Coalesce(models.F('deadline'), models.Value(datetime.date(9999, 12, 31))), models.F('id'), condition=models.Q(('status__in', ['not_started', 'in_progress', 'completion_reported'])), name='commitment_open_dlkey_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('council'), django.db.models.functions.comparison.Coalesce(models.F('deadline'), models.Value(datetime.date(9999, 12, 31))), models.F('id'), condition=models.Q(('status__in', ['not_started', 'in_progress', 'completion_reported'])), name='commitment_cncl_open_dlkey_idx'),
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(models.F('clause'), models.F('id'), name='commitment_clause_idx'),
        ),
    ]
