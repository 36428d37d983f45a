"""One date and one date-and-time format for Korean pages: 2026년 12월 1일 오후 5:46.

Django's own Korean formats stay in force for everything not set here (the
formats accepted in form input, for instance). `A` is 오전/오후 from Django's
Korean catalogue.
"""

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
