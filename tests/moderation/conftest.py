import pytest

from tests import factories
from tests.consultations.conftest import (  # noqa: F401 - fixtures
    consultation,
    index_page,
    make_consultation,
    other_resident,
)
from tests.petitions.factories import PetitionFactory


@pytest.fixture
def items(consultation, resident):  # noqa: F811 - the fixture
    """One comment, one proposal and one open petition, each by `resident`."""
    from consultations import services

    comment = services.comment_create(page=consultation, author=resident, body="Buy pills now")
    proposal = services.proposal_create(
        page=consultation, author=resident, title="Ads here", body="Cheap watches"
    )
    petition = PetitionFactory(creator=resident, title="Visit my shop")
    return comment, proposal, petition


@pytest.fixture
def reporter(db):
    return factories.resident()
