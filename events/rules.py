"""Who may do what with events."""

import rules

from accounts.rules import is_authenticated, is_moderator, is_resident, is_supervisor

# The office (the Human Rights Office's supervisor and moderators, who run
# hearings) sees registrations and access needs; nobody else does.
may_see_registrations = is_supervisor | is_moderator
may_register = is_authenticated & is_resident

rules.add_perm("events.register", may_register)
rules.add_perm("events.view_registrations", may_see_registrations)
