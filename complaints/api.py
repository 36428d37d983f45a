"""The complaints endpoints of the JSON API (CONTRACT.md section 3).

Whatever a caller may not see answers 404 exactly like a reference that does
not exist; the visibility check (selectors.complaint_get_for) comes first on
every route that names a case.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from core.api import (
    BoundedPageNumberPagination,
    NonBlankStr,
    PlainText,
    StrictBool,
    StrictDate,
    optional_session_auth,
    session_auth,
)
from core.errors import Invalid, Refused
from core.permissions import may
from core.throttle import client_key

from . import intake, selectors, services
from .casework_models import REASON_MAX_LENGTH
from .grounds import GROUND_EXPLANATIONS, FieldOfLife, Ground
from .models import (
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_PHONE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    Complaint,
    ComplaintEvent,
)
from .receipt_session import receipt_bind
from .views import private_response

router = Router(tags=["complaints"])
private = decorate_view(private_response)


class GroundOut(Schema):
    code: str
    label: str
    explanation: str


class SubmitIn(Schema):
    grounds: list[str]
    description: NonBlankStr = Field(max_length=DESCRIPTION_MAX_LENGTH)
    incident_date: StrictDate | None = None
    location: PlainText = Field("", max_length=LOCATION_MAX_LENGTH)
    name: PlainText = Field("", max_length=CONTACT_NAME_MAX_LENGTH)
    contact_email: str = Field("", max_length=254)
    contact_phone: PlainText = Field("", max_length=CONTACT_PHONE_MAX_LENGTH)
    anonymous: StrictBool
    field_of_life: str = FieldOfLife.OTHER
    # Assisted intake (complaints.intake): staff only.
    channel: str | None = Field(None, max_length=16)
    on_behalf_of: OnBehalfIn | None = None


class OnBehalfIn(Schema):
    """Assisted intake: the person the staff member files for."""

    name: str = Field(max_length=CONTACT_NAME_MAX_LENGTH)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=CONTACT_PHONE_MAX_LENGTH)
    consent: bool = False


class SubmitOut(Schema):
    reference: str
    status: str
    receipt: str | None = None


class ComplaintSummary(Schema):
    reference: str
    status: str
    status_label: str
    grounds: list[str]
    field_of_life: str
    assigned_to: list[str]
    created_at: datetime.datetime
    triage_due: datetime.datetime | None
    investigation_due: datetime.datetime | None
    next_deadline: datetime.datetime | None = None


class ComplaintOut(ComplaintSummary):
    description: str
    incident_date: datetime.date | None
    location: str
    anonymous: bool
    contact_email: str
    available_transitions: list[str]
    channel: str = "online"


class AssignIn(Schema):
    caseworker: str = Field(max_length=150)
    # Needed when the caseworker declared a conflict with this case (complaints.conflicts).
    override_reason: str = Field("", max_length=REASON_MAX_LENGTH)


class TransitionIn(Schema):
    transition: str = Field(max_length=32)
    note: str = Field("", max_length=NOTE_MAX_LENGTH)
    public_reason: str = Field("", max_length=NOTE_MAX_LENGTH)


class NoteIn(Schema):
    note: PlainText = Field(max_length=NOTE_MAX_LENGTH)


class RecuseIn(Schema):
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class EventOut(Schema):
    at: datetime.datetime
    actor: str | None
    kind: str
    from_status: str | None = None
    to_status: str | None = None
    note: str | None = None
    subject: str | None = None


class MessageIn(Schema):
    body: PlainText = Field(max_length=NOTE_MAX_LENGTH)


class MessageOut(Schema):
    id: int
    at: datetime.datetime
    author: str | None
    from_office: bool
    body: str


def _summary(complaint: Complaint) -> dict:
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "grounds": selectors.complaint_ground_codes(complaint=complaint),
        "field_of_life": complaint.field_of_life,
        "assigned_to": [u.username for u in selectors.complaint_assignees(complaint=complaint)],
        "created_at": complaint.created_at,
        "triage_due": complaint.triage_due,
        "investigation_due": complaint.investigation_due,
        "next_deadline": getattr(complaint, "next_deadline", None),
    }


def _detail(complaint: Complaint, user) -> dict:
    return {
        **_summary(complaint),
        "description": complaint.description,
        "incident_date": complaint.incident_date,
        "location": complaint.location,
        "anonymous": complaint.anonymous,
        "contact_email": complaint.contact_email,
        "channel": complaint.channel,
        "available_transitions": services.complaint_available_transitions(
            complaint=complaint, user=user
        ),
    }


def _event_out(event: ComplaintEvent, *, staff: bool = True) -> dict:
    """`actor` is always there (null for nobody or an anonymous complainant);
    the other optional keys only when they have a value (CONTRACT.md section 3).
    The complainant reads the reason written for them, never the internal note."""
    note = event.note if staff else event.public_reason
    optional = {
        "from_status": event.from_status or None,
        "to_status": event.to_status or None,
        "note": note or None,
        "subject": event.subject.username if event.subject else None,
    }
    return {
        "at": event.at,
        "actor": event.actor.username if event.actor else None,
        "kind": event.kind,
        **{key: value for key, value in optional.items() if value is not None},
    }


@router.get("/complaints/grounds", response=list[GroundOut], auth=None)
def grounds(request: HttpRequest):
    return [
        {"code": g.value, "label": str(g.label), "explanation": str(GROUND_EXPLANATIONS[g])}
        for g in Ground
    ]


def _assisted_submission(request, payload, idempotency_key: str | None):
    """The assisted-intake branch of `POST /complaints` (complaints.intake)."""
    if not intake.may_take_intake(request.user):
        raise Refused(
            _("Only the office files complaints for someone else."), code="permission_denied"
        )
    if payload.on_behalf_of is None:
        raise Invalid(_("Name the person the complaint is filed for."), field="on_behalf_of")
    person = payload.on_behalf_of
    submission = intake.complaint_intake(
        actor=request.user,
        channel=payload.channel or "",
        person=intake.Person(
            name=person.name,
            contact_email=person.contact_email,
            contact_phone=person.contact_phone,
            consent=person.consent,
        ),
        grounds=payload.grounds,
        description=payload.description,
        field_of_life=payload.field_of_life,
        incident_date=payload.incident_date,
        location=payload.location,
        idempotency_key=idempotency_key,
    )
    complaint = submission.complaint
    return Status(
        201,
        {
            "reference": complaint.reference,
            "status": complaint.status,
            "receipt": submission.receipt,
        },
    )


@router.post(
    "/complaints",
    response={201: SubmitOut},
    auth=optional_session_auth,
    exclude_none=True,
)
@private
def complaint_create(request: HttpRequest, payload: SubmitIn):
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and not (1 <= len(key) <= 200):
        raise Invalid(
            _("The Idempotency-Key header must be 1 to 200 characters."), field="Idempotency-Key"
        )
    if payload.on_behalf_of is not None or payload.channel not in (None, "online"):
        return _assisted_submission(request, payload, key)
    try:
        submission = services.complaint_submit(
            grounds=payload.grounds,
            description=payload.description,
            anonymous=payload.anonymous,
            user=request.user,
            field_of_life=payload.field_of_life,
            incident_date=payload.incident_date,
            location=payload.location,
            contact_name=payload.name,
            contact_email=payload.contact_email,
            contact_phone=payload.contact_phone,
            idempotency_key=key,
            limits=services.FilingLimits(
                client=client_key(request), session=request.session.session_key or ""
            ),
        )
    except Invalid as exc:
        # The body calls the name `name` (CONTRACT.md section 3).
        items = [
            {**item, "field": "name" if item["field"] == "contact_name" else item["field"]}
            for item in exc.errors
        ]
        field = items[0]["field"] if items else exc.field
        raise Invalid(exc.message, field=field, code=exc.code, errors=items) from exc
    complaint = submission.complaint
    return Status(
        201,
        {
            "reference": complaint.reference,
            "status": submission.status,
            "receipt": submission.receipt,
        },
    )


@router.get("/complaints", response=list[ComplaintSummary], auth=session_auth)
@paginate(BoundedPageNumberPagination, page_size=25)
@private
def complaint_list(request: HttpRequest, **kwargs):
    return _LazySummaries(request.user)


class _LazySummaries:
    """What the paginator slices and counts: a slice is one page turned into
    dicts (grounds and assignees read once per page); the count comes with
    that page when it can (selectors.complaint_list_page), else from COUNT(*)."""

    def __init__(self, user) -> None:
        self.user = user
        self.length = None

    def count(self) -> int:
        if self.length is None:
            self.length = selectors.complaint_list_for(user=self.user).count()
        return self.length

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice):
        page, self.length = selectors.complaint_list_page(
            user=self.user, offset=item.start, limit=item.stop - item.start
        )
        return [_row_summary(row) for row in selectors.complaint_rows(page)]


def _row_summary(row: selectors.ComplaintRow) -> dict:
    return {
        "reference": row.reference,
        "status": row.status,
        "status_label": row.status_label,
        "grounds": [g.code for g in row.grounds],
        "field_of_life": row.field_of_life,
        "assigned_to": [a.username for a in row.assignees],
        "created_at": row.created_at,
        "triage_due": row.triage_due,
        "investigation_due": row.investigation_due,
        "next_deadline": row.next_deadline,
    }


class ReceiptIn(Schema):
    receipt: str = Field(max_length=64)


class ReceiptOut(Schema):
    reference: str
    status: str
    messages: list[MessageOut]


class AttachmentOut(Schema):
    id: str
    name: str
    size: int
    content_type: str
    url: str


# Registered before GET /complaints/{reference}, whose URL would otherwise take
# "status" for a reference and answer this POST with 405.
@router.post(
    "/complaints/status", response=ReceiptOut, auth=optional_session_auth, exclude_none=True
)
@private
def complaint_status(request: HttpRequest, payload: ReceiptIn):
    """Open a case with its receipt (in the body, never in the URL). A wrong and
    an unknown receipt get the same 404; repeated failures from this client get
    429 with Retry-After. Success makes this session the case's complainant for
    30 minutes of activity."""
    complaint = services.complaint_receipt_open(receipt=payload.receipt, client=client_key(request))
    receipt_bind(request, complaint)
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "messages": [
            _message_out(m) for m in selectors.complaint_messages_for(complaint=complaint)
        ],
    }


@router.get("/complaints/{reference}", response=ComplaintOut, auth=optional_session_auth)
@private
def complaint_detail(request: HttpRequest, reference: str):
    complaint = services.complaint_open(user=request.user, reference=reference)
    return _detail(complaint, request.user)


def _caseworker(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise Invalid(_("There is no caseworker with this username."), field="caseworker")
    return user


@router.post("/complaints/{reference}/assign", response=ComplaintOut, auth=optional_session_auth)
@private
def complaint_assign(request: HttpRequest, reference: str, payload: AssignIn):
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    services.complaint_assign(
        complaint=complaint,
        actor=request.user,
        caseworker=_caseworker(payload.caseworker),
        override_reason=payload.override_reason,
    )
    return _detail(complaint, request.user)


@router.post("/complaints/{reference}/unassign", response=ComplaintOut, auth=optional_session_auth)
@private
def complaint_unassign(request: HttpRequest, reference: str, payload: AssignIn):
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    services.complaint_unassign(
        complaint=complaint, actor=request.user, caseworker=_caseworker(payload.caseworker)
    )
    return _detail(complaint, request.user)


@router.post("/complaints/{reference}/recuse", response={204: None}, auth=optional_session_auth)
@private
def complaint_recuse(request: HttpRequest, reference: str, payload: RecuseIn):
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    services.complaint_recuse(complaint=complaint, actor=request.user, note=payload.note)
    return Status(204, None)


def transition_or_error(
    *, complaint, user, transition: str, note: str, public_reason: str = ""
) -> Complaint:
    # The service's refusals are domain errors: 409 transition_not_allowed,
    # 409 conflict, 403, 400, answered by core.api's one handler.
    return services.complaint_transition(
        complaint=complaint,
        actor=user,
        transition=transition,
        note=note,
        public_reason=public_reason,
    )


@router.post(
    "/complaints/{reference}/transitions", response=ComplaintOut, auth=optional_session_auth
)
@private
def complaint_transition(request: HttpRequest, reference: str, payload: TransitionIn):
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    transition_or_error(
        complaint=complaint,
        user=request.user,
        transition=payload.transition,
        note=payload.note,
        public_reason=payload.public_reason,
    )
    return _detail(complaint, request.user)


@router.get(
    "/complaints/{reference}/events",
    response=list[EventOut],
    auth=optional_session_auth,
    exclude_unset=True,
)
@private
def complaint_events(request: HttpRequest, reference: str):
    complaint = services.complaint_open(user=request.user, reference=reference)
    staff = may(request.user, "complaints.staff_view", complaint)
    return [
        _event_out(e, staff=staff)
        for e in selectors.complaint_events_for(user=request.user, complaint=complaint)
    ]


@router.post("/complaints/{reference}/notes", response={201: EventOut}, auth=optional_session_auth)
@private
def complaint_note(request: HttpRequest, reference: str, payload: NoteIn):
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    event = services.complaint_note_add(complaint=complaint, actor=request.user, note=payload.note)
    return Status(201, _event_out(event))


def _message_out(message) -> dict:
    return {
        "id": message.pk,
        "at": message.created_at,
        "author": (
            message.author.get_display_name() if message.author and message.from_office else None
        ),
        "from_office": message.from_office,
        "body": message.body,
    }


@router.get(
    "/complaints/{reference}/messages", response=list[MessageOut], auth=optional_session_auth
)
@private
def complaint_messages(request: HttpRequest, reference: str):
    complaint = services.complaint_open(user=request.user, reference=reference)
    return [_message_out(m) for m in selectors.complaint_messages_for(complaint=complaint)]


@router.post(
    "/complaints/{reference}/messages", response={201: MessageOut}, auth=optional_session_auth
)
@private
def complaint_message_post(request: HttpRequest, reference: str, payload: MessageIn):
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    message = services.complaint_message_post(
        complaint=complaint, author=request.user, body=payload.body
    )
    return Status(201, _message_out(message))


@router.post(
    "/complaints/{reference}/attachments",
    response={201: AttachmentOut},
    auth=optional_session_auth,
)
@private
def complaint_attachment_add(
    request: HttpRequest,
    reference: str,
    file: UploadedFile | None = File(None),  # noqa: B008 - ninja declares multipart fields so
):
    # Optional in the schema so that the access check answers first: an outsider
    # gets the same 404 whatever they send.
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    if file is None:
        raise Invalid(
            _("Choose a file to add (multipart field “file”)."), field="file", code="required"
        )
    attachment = services.complaint_attachment_add(
        complaint=complaint, actor=request.user, uploaded_file=file
    )
    return Status(
        201,
        {
            "id": str(attachment.pk),
            "name": attachment.name,
            "size": attachment.size,
            "content_type": attachment.content_type,
            "url": reverse(
                "complaints:attachment",
                kwargs={"reference": complaint.reference, "attachment_id": attachment.pk},
            ),
        },
    )
