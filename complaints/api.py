"""The complaints endpoints of the JSON API (CONTRACT.md section 3)."""

from ninja import Router

router = Router(tags=["complaints"])
