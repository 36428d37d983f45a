"""Back-links to the Human Rights Indicators from other apps' pages:
`{% load accountability_tags %}{% indicator_links page %}` on a consultation,
`{% indicator_links petition %}` on a petition."""

from django import template

from accountability import selectors
from consultations.models import ConsultationPage
from petitions.models import Petition

register = template.Library()


@register.inclusion_tag("accountability/_indicator_links.html")
def indicator_links(obj):
    if isinstance(obj, ConsultationPage):
        indicators = selectors.indicators_for_consultation(page=obj)
    elif isinstance(obj, Petition):
        indicators = selectors.indicators_for_petition(petition=obj)
    else:
        indicators = []
    return {"indicators": indicators}
