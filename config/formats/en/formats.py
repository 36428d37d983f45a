"""One date and one date-and-time format for English pages: 1 December 2026, 5:46 pm.

`a` is Django's "a.m."/"p.m.", which locale/en/ translates to "am"/"pm" (Django
has no format character for them). Django's own English formats stay in force
for everything not set here.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "j F Y, g:i a"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
