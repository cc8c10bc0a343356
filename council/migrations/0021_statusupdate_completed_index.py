"""The completion dates the on-time report figures read, as an index of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0020_list_sort_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='statusupdate',
            index=models.Index(models.F('commitment'), models.F('created_at'), condition=models.Q(('to_status', 'completed')), name='statusupdate_completed_idx'),
        ),
    ]
