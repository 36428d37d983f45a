import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_home_and_charter_render_in_each_language(client, site_pages, lang):
    for path in (f"/{lang}/", f"/{lang}/charter/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.content.decode()
