import socket

import pytest

from core.fanout import with_local_fanout


def closed_port() -> int:
    """A port on this machine nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The cache and the channel layer pointed at a Redis that is not running,
    configured as production configures them (config.settings.base)."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "hrc-down",
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "axes_cache",
        },
    }
    settings.CHANNEL_LAYERS = with_local_fanout(
        {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [url]},
            }
        }
    )
    settings.AXES_CACHE = "default"
    return url


from tests.consultations.conftest import index_page, make_consultation  # noqa: E402, F401
