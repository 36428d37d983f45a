"""Issue 21, lean workers: at most ASGI_IN_FLIGHT_LIMIT requests are inside
Django at once per worker; the rest wait (none is refused), and a client still
sending its body holds no place."""

import asyncio

import pytest

from core.asgi import InFlightLimitMiddleware


class _Django:
    """Reads the whole body, then "runs the view" until `gate` opens, as
    Django's ASGI handler does (the view's thread starts after the body)."""

    def __init__(self):
        self.inside = self.most_inside = self.answered = 0
        self.gate = asyncio.Event()
        self.someone_inside = asyncio.Event()

    async def __call__(self, scope, receive, send):
        while True:
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        self.someone_inside.set()
        try:
            await self.gate.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})
            self.answered += 1
        finally:
            self.inside -= 1


def _request(app, chunks=(b"",), *, finished=True):
    """A request whose body comes in `chunks`; unless `finished`, the client
    never sends the last one."""
    queue = [
        {"type": "http.request", "body": c, "more_body": not finished or i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive():
        if queue:
            return queue.pop(0)
        await asyncio.Event().wait()  # a client that says nothing more

    async def send(message):
        pass

    return app({"type": "http", "method": "POST", "path": "/", "headers": []}, receive, send)


async def _settle():
    for _ in range(50):  # let every runnable task run until each waits on something
        await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_no_more_than_the_limit_are_inside_and_every_one_is_answered():
    django = _Django()
    app = InFlightLimitMiddleware(django, limit=3)
    requests = [asyncio.create_task(_request(app)) for _ in range(10)]
    await django.someone_inside.wait()
    await _settle()
    assert django.inside == 3  # seven wait outside, without a thread
    django.gate.set()
    await asyncio.gather(*requests)
    assert django.most_inside == 3
    assert django.answered == 10  # none refused


@pytest.mark.asyncio
async def test_a_client_still_sending_its_body_holds_no_place():
    django = _Django()
    app = InFlightLimitMiddleware(django, limit=1)
    slow = [
        asyncio.create_task(_request(app, chunks=(b"x" * 100, b"part"), finished=False))
        for _ in range(3)
    ]
    await _settle()
    assert not app._places.locked()  # the one place is free while they send
    django.gate.set()
    await _request(app)  # so a whole request takes it and is answered
    assert django.answered == 1
    for request in slow:
        request.cancel()


@pytest.mark.asyncio
async def test_a_place_is_given_back_when_the_view_fails():
    async def failing(scope, receive, send):
        await receive()
        raise RuntimeError("the view failed")

    app = InFlightLimitMiddleware(failing, limit=1)
    with pytest.raises(RuntimeError):
        await _request(app)
    assert not app._places.locked()


@pytest.mark.asyncio
async def test_websockets_are_not_counted():
    seen = []

    async def consumer(scope, receive, send):
        seen.append(scope["type"])

    app = InFlightLimitMiddleware(consumer, limit=1)
    app._places = asyncio.Semaphore(0)  # no place free: an HTTP request would wait
    await app({"type": "websocket", "path": "/ws/"}, None, None)
    assert seen == ["websocket"]


def test_the_served_application_is_bounded(settings):
    from config import asgi

    http = asgi.application.application_mapping["http"]
    assert isinstance(http.app, InFlightLimitMiddleware)
    assert http.app.limit == settings.ASGI_IN_FLIGHT_LIMIT > 0
