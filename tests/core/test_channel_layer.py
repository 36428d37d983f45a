"""The Redis channel layer refuses a read timeout that its blocking receive
could outlive (docs/architecture.md, "Sockets that hold"). Building the layer
opens no connection, so these run without Redis."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.channel_layer import RedisChannelLayer, redis_hosts

URL = "redis://127.0.0.1:6379/0"


def test_the_hosts_it_is_given_wait_longer_than_the_blocking_receive():
    layer = RedisChannelLayer(hosts=redis_hosts(URL, brpop_timeout=5), brpop_timeout=5)
    options = layer.create_pool(0).connection_kwargs
    assert layer.brpop_timeout == 5
    assert options["socket_timeout"] > 5 + 1
    assert options["socket_connect_timeout"] == 5


@pytest.mark.parametrize(
    "hosts",
    [
        [URL],  # redis-py's default read timeout: 5 s in redis-py 8
        [{"address": URL}],
        [{"address": URL, "socket_timeout": 5}],
        [{"address": URL + "?socket_timeout=3", "socket_timeout": 10}],  # the URL wins
    ],
)
def test_an_implicit_or_too_short_read_timeout_is_refused(hosts):
    with pytest.raises(ImproperlyConfigured):
        RedisChannelLayer(hosts=hosts, brpop_timeout=5)


def test_no_read_timeout_at_all_is_allowed():
    RedisChannelLayer(hosts=[{"address": URL, "socket_timeout": None}], brpop_timeout=5)
