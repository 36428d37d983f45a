"""Comments and proposals take moderation.models.Moderated's fields (who hid, when, open reports)."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='hidden_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='hidden at'),
        ),
        migrations.AddField(
            model_name='comment',
            name='hidden_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='hidden by'),
        ),
        migrations.AddField(
            model_name='comment',
            name='report_count',
            field=models.PositiveIntegerField(default=0, verbose_name='open reports'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='hidden_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='hidden at'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='hidden_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='hidden by'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='report_count',
            field=models.PositiveIntegerField(default=0, verbose_name='open reports'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='state',
            field=django_fsm.FSMField(choices=[('visible', 'Visible'), ('hidden', 'Hidden by a moderator'), ('deleted', 'Deleted by its author')], default='visible', max_length=50, protected=True, verbose_name='visibility'),
        ),
    ]
