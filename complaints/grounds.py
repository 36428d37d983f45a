"""The grounds of discrimination (CONTRACT.md section 3) and the fields of life,
each with a label and a one-line plain explanation in both languages.

Labels carry a context ("ground", "field of life"): "Education" is both a ground
(학력) and a field of life (교육(학교·학원)), and a short id without a context
would share one Korean text with every other catalogue (docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Ground(models.TextChoices):
    SEX = "sex", pgettext_lazy("ground", "Sex")
    RELIGION = "religion", pgettext_lazy("ground", "Religion")
    DISABILITY = "disability", pgettext_lazy("ground", "Disability")
    AGE = "age", pgettext_lazy("ground", "Age")
    SOCIAL_STATUS = "social_status", pgettext_lazy("ground", "Social status")
    REGION_OF_ORIGIN = "region_of_origin", pgettext_lazy("ground", "Region of origin")
    NATIONAL_ORIGIN = "national_origin", pgettext_lazy("ground", "National origin")
    ETHNIC_ORIGIN = "ethnic_origin", pgettext_lazy("ground", "Ethnic origin")
    APPEARANCE = "appearance", pgettext_lazy("ground", "Appearance")
    MARITAL_STATUS = "marital_status", pgettext_lazy("ground", "Marital status")
    PREGNANCY_CHILDBIRTH = (
        "pregnancy_childbirth",
        pgettext_lazy("ground", "Pregnancy or childbirth"),
    )
    FAMILY_TYPE = "family_type", pgettext_lazy("ground", "Family type")
    RACE = "race", pgettext_lazy("ground", "Race")
    SKIN_COLOR = "skin_color", pgettext_lazy("ground", "Skin colour")
    POLITICAL_OPINION = "political_opinion", pgettext_lazy("ground", "Political opinion")
    CRIMINAL_RECORD = "criminal_record", pgettext_lazy("ground", "Criminal record")
    SEXUAL_ORIENTATION = "sexual_orientation", pgettext_lazy("ground", "Sexual orientation")
    EDUCATION = "education", pgettext_lazy("ground", "Education")
    MEDICAL_HISTORY = "medical_history", pgettext_lazy("ground", "Medical history")
    GENDER_IDENTITY = "gender_identity", pgettext_lazy("ground", "Gender identity")
    ECONOMIC_STATUS = "economic_status", pgettext_lazy("ground", "Economic status")
    OTHER = "other", pgettext_lazy("ground", "Other reason")


GROUND_EXPLANATIONS = {
    Ground.SEX: _("Treated worse because you are a woman or a man."),
    Ground.RELIGION: _("Because of your faith, or because you have none."),
    Ground.DISABILITY: _("Because of a physical, mental or other disability."),
    Ground.AGE: _("Because you are seen as too young or too old."),
    Ground.SOCIAL_STATUS: _("Because of your job, position or standing in society."),
    Ground.REGION_OF_ORIGIN: _("Because of the part of the country you come from."),
    Ground.NATIONAL_ORIGIN: _("Because of the country you or your family come from."),
    Ground.ETHNIC_ORIGIN: _("Because of the people or community you belong to."),
    Ground.APPEARANCE: _("Because of how you look: your face, body, height or weight."),
    Ground.MARITAL_STATUS: _("Because you are married, single, divorced or widowed."),
    Ground.PREGNANCY_CHILDBIRTH: _("Because you are pregnant, have given birth or are a parent."),
    Ground.FAMILY_TYPE: _("Because of your kind of family, such as a single-parent family."),
    Ground.RACE: _("Because of your race."),
    Ground.SKIN_COLOR: _("Because of the colour of your skin."),
    Ground.POLITICAL_OPINION: _("Because of your political views."),
    Ground.CRIMINAL_RECORD: _("Because of a past conviction that has been served."),
    Ground.SEXUAL_ORIENTATION: _("Because of who you love."),
    Ground.EDUCATION: _("Because of your schooling or the school you went to."),
    Ground.MEDICAL_HISTORY: _("Because of an illness you have or had."),
    Ground.GENDER_IDENTITY: _("Because of your gender identity or how you express it."),
    Ground.ECONOMIC_STATUS: _("Because of how much money you have or earn."),
    Ground.OTHER: _("A reason not in this list. Describe it when you tell us what happened."),
}


class FieldOfLife(models.TextChoices):
    EMPLOYMENT = "employment", pgettext_lazy("field of life", "Work and employment")
    EDUCATION = "education", pgettext_lazy("field of life", "Education")
    GOODS_SERVICES = "goods_services", pgettext_lazy("field of life", "Shops, goods and services")
    HOUSING = "housing", pgettext_lazy("field of life", "Housing")
    HEALTH = "health", pgettext_lazy("field of life", "Health care")
    PUBLIC_ADMINISTRATION = (
        "public_administration",
        pgettext_lazy("field of life", "Public offices and services"),
    )
    POLICING_JUSTICE = "policing_justice", pgettext_lazy("field of life", "Police and justice")
    OTHER = "other", pgettext_lazy("field of life", "Somewhere else")
