"""Reference ("floor") endpoints for the benchmarks, mounted only when
BENCH_REFERENCE_VIEWS=1 (never in production). Each one does the least work the
matching workload could possibly do, behind the same middleware and server."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from bench.seed import REFERENCE_INSERT_TABLE, REFERENCE_SQL

REF_GROUP = "bench_ref"


@require_GET
def constant(request: HttpRequest) -> HttpResponse:
    """R_http: the bare cost of Django, its middleware and the server."""
    return HttpResponse(b"ok", content_type="text/plain")


@require_GET
def raw_sql(request: HttpRequest, name: str) -> HttpResponse:
    """R_sql: the workload's rows fetched with one hand-written query."""
    if name not in REFERENCE_SQL:
        return HttpResponseBadRequest("unknown reference query")
    sql, param_names = REFERENCE_SQL[name]
    try:
        params = [int(request.GET[p]) for p in param_names]
    except (KeyError, ValueError):
        return HttpResponseBadRequest("integer parameters needed: " + ", ".join(param_names))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows}, json_dumps_params={"default": str})


@csrf_exempt
@require_POST
def raw_insert(request: HttpRequest) -> HttpResponse:
    """R_insert: one row, one transaction, duplicates ignored by the unique key."""
    try:
        user = int(json.loads(request.body)["user"])
    except (KeyError, TypeError, ValueError):
        return HttpResponseBadRequest('body must be {"user": <int>}')
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {REFERENCE_INSERT_TABLE} (user_id, created_at) VALUES (%s, %s) "  # noqa: S608 - constant table name
            "ON CONFLICT (user_id) DO NOTHING",
            [user, timezone.now()],
        )
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
async def broadcast(request: HttpRequest) -> HttpResponse:
    """R_ws: hand the request body to every socket of the reference group."""
    await get_channel_layer().group_send(
        REF_GROUP, {"type": "bench.message", "text": request.body.decode()}
    )
    return JsonResponse({"ok": True})


class ReferenceConsumer(AsyncWebsocketConsumer):
    """R_ws: joins one group and forwards what it receives, nothing else."""

    async def dispatch(self, message):
        # Not even channels' hop to the sync thread before each message (to
        # close stale database connections): the floor does no more than the
        # consultation stream, which skips it too (consultations.consumers).
        if message["type"] == "bench.message":
            await self.bench_message(message)
            return
        await super().dispatch(message)

    async def connect(self):
        await self.channel_layer.group_add(REF_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(REF_GROUP, self.channel_name)

    async def bench_message(self, event):
        await self.send(text_data=event["text"])


class LocalFanoutReferenceConsumer(ReferenceConsumer):
    """R_ws_live: the same, through the consultation stream's fan-out (one
    member per process upstream, core.fanout): shown beside R_ws, not judged."""

    channel_layer_alias = "live"


urlpatterns = [
    path("http/", constant),
    path("sql/<str:name>/", raw_sql),
    path("insert/", raw_insert),
    path("broadcast/", broadcast),
]

websocket_urlpatterns = [
    path("ws/bench/ref/", ReferenceConsumer.as_asgi()),
    path("ws/bench/ref-live/", LocalFanoutReferenceConsumer.as_asgi()),
]
