"""Who may moderate, registered as `moderation.*` in the one RuleSet
(core.permissions): the moderator role alone; a superuser or a Wagtail admin
gets nothing implicitly (docs/architecture.md, "One permission API")."""

from accounts.rules import is_moderator
from core.permissions import register

register("moderation.moderate", is_moderator)
