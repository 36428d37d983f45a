"""The XSS corpus in comment and proposal bodies and in display names is inert
in the page, the API, e-mails and the exports; formula cells are neutralised."""

import csv
import io
import re
from html.parser import HTMLParser

from django.core import mail
from openpyxl import load_workbook

from consultations import services
from consultations.models import Comment, Proposal
from moderation import services as moderation_services
from tests import factories
from tests.consultations.xss_payloads import XSS_PAYLOADS

DANGEROUS_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "link",
    "img", "video", "audio", "source", "marquee", "details", "template",
    "xmp", "noscript", "body", "title",
}  # fmt: skip
PAGE_TAGS = {"title", "body", "details"}  # details: the base template's phone menu
URL_ATTRS = {"href", "src", "action", "formaction", "background", "data", "srcdoc"}


class Inspector(HTMLParser):
    def __init__(self, allowed: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed
        self.problems: list[str] = []
        self.seen: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        self.seen[tag] = self.seen.get(tag, 0) + 1
        ours = (
            tag in ("script", "link")
            and (dict(attrs).get("src") or dict(attrs).get("href") or "").startswith("/static/")
        ) or (
            tag in self.allowed and self.seen[tag] == 1  # the page's own <title> and <body>
        )
        if tag in DANGEROUS_TAGS and not ours:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(name == "http-equiv" for name, _v in attrs):
            self.problems.append("meta http-equiv")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name == "style" and value and "expression" in value.lower():
                self.problems.append("style expression")
            if name in URL_ATTRS and value:
                compact = re.sub(r"[\x00-\x20]", "", value).lower()
                if compact.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{tag} {name}={value}")


def problems_in_html(html: str, allowed=frozenset()) -> list[str]:
    inspector = Inspector(set(allowed))
    inspector.feed(html)
    return inspector.problems


def no_tags(text: str) -> bool:
    return re.search(r"<[a-zA-Z!/]", text) is None


def walk_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_strings(item)


def test_xss_corpus_is_inert_everywhere(
    client_for, consultation, moderator, supervisor, django_capture_on_commit_callbacks
):
    users = []
    for i, payload in enumerate(XSS_PAYLOADS):
        user = factories.resident(username=f"xss{i}", display_name=payload[:80])
        users.append(user)
        client = client_for(user)
        created = client.post(
            f"/api/v1/consultations/{consultation.pk}/comments",
            {"body": f"Before {payload} after", "stance": "for"},
            content_type="application/json",
        )
        assert created.status_code == 201, created.content
        proposed = client.post(
            f"/api/v1/consultations/{consultation.pk}/proposals",
            {"title": f"T {payload}"[:150], "body": f"Proposal {payload}"},
            content_type="application/json",
        )
        assert proposed.status_code == 201, (payload, proposed.content)
    assert Comment.objects.count() == Proposal.objects.count() == len(XSS_PAYLOADS)

    # The API: every string is inert HTML.
    anon = client_for(None)
    for url in (
        f"/api/v1/consultations/{consultation.pk}/comments",
        f"/api/v1/consultations/{consultation.pk}/comments?cursor=",
        f"/api/v1/consultations/{consultation.pk}/proposals",
        "/api/v1/consultations",
    ):
        data = anon.get(url).json()
        for text in walk_strings(data):
            assert problems_in_html(text) == [], (url, text)

    # The pages.
    pages = [consultation.url]
    pages += [f"/ko/consultations/proposals/{p.pk}/" for p in Proposal.objects.all()[:20]]
    pages += [f"/ko/consultations/comments/{c.pk}/" for c in Comment.objects.all()[:20]]
    for url in pages:
        html = anon.get(url).content.decode()
        assert problems_in_html(html, PAGE_TAGS) == [], url

    # E-mails: hiding a comment and answering a proposal write to the author.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for comment in Comment.objects.all()[:20]:
            moderation_services.moderation_hide(
                target=comment, moderator=moderator, reason="abuse", note="<b>x</b>"
            )
        for proposal in Proposal.objects.all()[:20]:
            services.proposal_answer(
                proposal=proposal, staff=supervisor, status="accepted", answer="Yes"
            )
    assert len(mail.outbox) >= 40
    for message in mail.outbox:
        assert no_tags(message.body) and no_tags(message.subject), message.body

    # The moderation queue and the summary (staff pages) too.
    reports = Comment.objects.filter(state="visible")[:10]
    for comment in reports:
        moderation_services.report_create(
            user=moderator, target=comment, reason="spam", note=XSS_PAYLOADS[0]
        )
    html = client_for(moderator).get("/ko/consultations/moderation/").content.decode()
    assert problems_in_html(html, PAGE_TAGS) == []
    html = (
        client_for(supervisor).get(f"/ko/consultations/{consultation.pk}/summary/").content.decode()
    )
    assert problems_in_html(html, PAGE_TAGS) == []

    # The exports: no markup at all, and no cell a spreadsheet would run.
    staff = client_for(supervisor)
    text = staff.get(f"/ko/consultations/{consultation.pk}/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 60
    for row in rows:
        for cell in row:
            assert no_tags(cell), cell
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    workbook = load_workbook(
        io.BytesIO(staff.get(f"/ko/consultations/{consultation.pk}/export.xlsx").content)
    )
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert len(cells) > 100
    for cell in cells:
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert no_tags(cell.value), cell.value
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value


def test_formula_cells_are_neutralised(client_for, consultation, supervisor):
    author = factories.resident(display_name="=cmd|' /C calc'!A0")
    for body in ("=1+2", "+SUM(A1)", "-3", "@A1", "\t=1", "\r=1", "plain"):
        services.comment_create(page=consultation, author=author, body=body)
    services.proposal_create(page=consultation, author=author, title='=HYPERLINK("x")', body="-1")
    staff = client_for(supervisor)
    text = staff.get(f"/ko/consultations/{consultation.pk}/export.csv").content.decode("utf-8-sig")
    assert "'=1+2" in text and "'+SUM(A1)" in text and "'-3" in text and "'@A1" in text
    assert "'=cmd" in text and "'=HYPERLINK" in text
    assert ",plain" in text or "plain" in text
    workbook = load_workbook(
        io.BytesIO(staff.get(f"/ko/consultations/{consultation.pk}/export.xlsx").content)
    )
    values = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert "'=1+2" in values and "'-3" in values and "'=cmd|' /C calc'!A0" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)


def test_the_inspector_would_catch_the_raw_payloads():
    """Guards the check above: unsanitised, the corpus is flagged."""
    flagged = [p for p in XSS_PAYLOADS if problems_in_html(p) or not no_tags(p)]
    assert len(flagged) >= 50
    assert len([p for p in XSS_PAYLOADS if problems_in_html(p)]) >= 45
