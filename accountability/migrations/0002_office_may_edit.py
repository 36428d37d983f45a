"""The supervisor (head of the Human Rights Office) edits indicators,
departments and recommendations in Wagtail; Wagtail's Editors edit indicators."""

from django.db import migrations

OFFICE = ["indicatorarea", "indicator", "department", "recommendation"]
EDITORS = ["indicatorarea", "indicator"]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    create_permissions(global_apps.get_app_config("accountability"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(models):
        return Permission.objects.filter(
            content_type__app_label="accountability",
            content_type__model__in=models,
            codename__regex=r"^(add|change|delete|view)_",
        )

    supervisor, _ = Group.objects.get_or_create(name="supervisor")
    supervisor.permissions.add(*perms(OFFICE))
    access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    supervisor.permissions.add(*access)
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.add(*perms(EDITORS))


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_indicators_recommendations_decisions"),
        ("accounts", "0002_roles"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0001_squashed_0016_change_page_url_path_to_text_field"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
