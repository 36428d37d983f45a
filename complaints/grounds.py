"""The grounds of discrimination (CONTRACT.md section 3) and the fields of life,
each with a label and a one-line plain explanation in both languages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Ground(models.TextChoices):
    SEX = "sex", _("Sex")
    RELIGION = "religion", _("Religion")
    DISABILITY = "disability", _("Disability")
    AGE = "age", _("Age")
    SOCIAL_STATUS = "social_status", _("Social status")
    REGION_OF_ORIGIN = "region_of_origin", _("Region of origin")
    NATIONAL_ORIGIN = "national_origin", _("National origin")
    ETHNIC_ORIGIN = "ethnic_origin", _("Ethnic origin")
    APPEARANCE = "appearance", _("Appearance")
    MARITAL_STATUS = "marital_status", _("Marital status")
    PREGNANCY_CHILDBIRTH = "pregnancy_childbirth", _("Pregnancy or childbirth")
    FAMILY_TYPE = "family_type", _("Family type")
    RACE = "race", _("Race")
    SKIN_COLOR = "skin_color", _("Skin colour")
    POLITICAL_OPINION = "political_opinion", _("Political opinion")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")
    EDUCATION = "education", pgettext_lazy("ground", "Education")
    MEDICAL_HISTORY = "medical_history", _("Medical history")
    GENDER_IDENTITY = "gender_identity", _("Gender identity")
    ECONOMIC_STATUS = "economic_status", _("Economic status")
    OTHER = "other", _("Other reason")


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
    EMPLOYMENT = "employment", _("Work and employment")
    EDUCATION = "education", pgettext_lazy("field of life", "Education")
    GOODS_SERVICES = "goods_services", _("Shops, goods and services")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health care")
    PUBLIC_ADMINISTRATION = "public_administration", _("Public offices and services")
    POLICING_JUSTICE = "policing_justice", _("Police and justice")
    OTHER = "other", _("Somewhere else")
