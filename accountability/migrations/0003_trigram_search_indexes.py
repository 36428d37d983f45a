"""On PostgreSQL, trigram (pg_trgm) GIN indexes for the substring search
(accountability.search): Korean is matched inside words with ILIKE '%…%',
which a trigram index answers without reading every row. Nothing on SQLite."""

from django.db import migrations

INDEXES = [
    ("wagtailsearch_indexentry", "title_text"),
    ("wagtailsearch_indexentry", "body_text"),
    ("wagtailcore_page", "title"),
    ("accountability_decision", "title_ko"),
    ("accountability_decision", "summary_ko"),
    ("accountability_decision", "body_ko"),
    ("accountability_recommendation", "title_ko"),
    ("accountability_recommendation", "text_ko"),
    ("accountability_indicator", "title_ko"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "trgm_{table}_{column}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "trgm_{table}_{column}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0002_office_may_edit"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
