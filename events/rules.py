"""Who may do what with events, registered as `events.*` in the one RuleSet
(core.permissions)."""

from accounts.rules import is_authenticated, is_moderator, is_resident, is_supervisor
from core.permissions import register

# The office (the Human Rights Office's supervisor and moderators, who run
# hearings) sees registrations and access needs; nobody else does.
may_see_registrations = is_supervisor | is_moderator
may_register = is_authenticated & is_resident

register("events.register", may_register)
register("events.view_registrations", may_see_registrations)
