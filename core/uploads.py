"""Evidence file checks: what a complainant uploads is judged by its content,
never by its name or the browser's claimed type.

Only PDF, PNG, JPEG and UTF-8 plain text pass. Anything that could run in a
browser (HTML, SVG, script) is refused even when it hides behind valid magic
bytes; a PDF is parsed with pypdf and refused if it carries actions, JavaScript,
launch or embedded files; images are re-encoded without their metadata (EXIF
GPS can point to the complainant's home).
"""

import re
import unicodedata
import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, NoReturn

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Invalid

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = [
    "ACCEPTED_TYPES",
    "MemoryOnlyUploadHandler",
    "UploadRejected",
    "ValidatedUpload",
    "clean_upload",
    "max_upload_bytes",
    "strip_image_metadata",
    "validate_upload",
]

PDF, PNG, JPEG, TEXT = "application/pdf", "image/png", "image/jpeg", "text/plain"
ACCEPTED_TYPES = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TEXT: ".txt"}
_PIL_FORMATS = {PNG: "PNG", JPEG: "JPEG"}

# Bytes scanned at each end of a binary file for markup: enough for any
# browser's content sniffing window (1,445 bytes) with a wide margin, small
# enough that random compressed data does not trip it.
_SCAN_WINDOW = 8 * 1024
_MARKUP = re.compile(
    rb"<\s*(?:script|html|svg|!doctype\s+html|iframe|object|embed|body|meta)\b|javascript:",
    re.IGNORECASE,
)
# Dictionary keys and name values that make a PDF reader run code, open
# another file or program, or carry a file inside the PDF.
_PDF_ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",  # also the document-level script name tree
    "/AA",  # additional actions: triggers on open, close, page view, fields
    "/Launch",
    "/EmbeddedFiles",
    "/EF",  # the file inside a file specification
    "/RichMedia",
    "/XFA",
}
_PDF_ACTIVE_VALUES = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMedia",
    "/RichMediaExecute",
    "/EmbeddedFile",
    "/FileAttachment",
}
_PDF_MAX_OBJECTS = 200_000
_PDF_MAX_DEPTH = 64
# C0 controls other than tab, line feed, form feed and carriage return; DEL; C1 controls.
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_NAME_FORBIDDEN = re.compile(r"[<>\"'`&/\\\x00-\x1f\x7f]")
_NAME_STEM_MAX = 80


@dataclass(frozen=True)
class ValidatedUpload:
    name: str  # safe display name: no path, no markup, extension from the content
    size: int
    content_type: str  # one of ACCEPTED_TYPES
    data: bytes


class UploadRejected(Invalid):
    """A refused upload: a domain error (core.errors.Invalid) about the field
    `file`. `message` is a plain-language sentence in the active language, fit
    to show to the person; `code` is a stable identifier."""

    def __init__(self, message: str, code: str):
        super().__init__(message, field="file", code=code)


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """The only upload handler (settings.FILE_UPLOAD_HANDLERS): every uploaded
    file stays in memory until it is encrypted, never in a temporary file.
    Bounded because no body over REQUEST_BODY_MAX_BYTES is read at all
    (core.asgi.BodyLimitMiddleware, core.middleware.RequestLimitsMiddleware)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        super().handle_raw_input(input_data, META, content_length, boundary, encoding)
        self.activated = True  # Django's handler would step aside for a large body


def max_upload_bytes() -> int:
    return getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def validate_upload(uploaded_file) -> ValidatedUpload:
    """Check a Django UploadedFile (or any object with `name` and `read()`).

    Raises UploadRejected with a message naming what is wrong."""
    name = _check_name(getattr(uploaded_file, "name", "") or "")
    data = _read_limited(uploaded_file)
    content_type = _detect(data)
    return ValidatedUpload(
        name=_safe_name(name, content_type),
        size=len(data),
        content_type=content_type,
        data=data,
    )


def clean_upload(uploaded_file) -> ValidatedUpload:
    """validate_upload, then remove image metadata: what should be stored."""
    upload = validate_upload(uploaded_file)
    if upload.content_type not in _PIL_FORMATS:
        return upload
    try:
        data = strip_image_metadata(upload.data, upload.content_type)
    except (OSError, ValueError):
        _corrupt()  # Pillow read it but cannot write it back: refuse, don't store the original
    return ValidatedUpload(
        name=upload.name, size=len(data), content_type=upload.content_type, data=data
    )


def strip_image_metadata(data: bytes, content_type: str) -> bytes:
    """Re-encode a PNG or JPEG with pixels only: no EXIF (GPS, camera, time),
    XMP, ICC profile, comments or text chunks. The EXIF orientation is applied
    to the pixels first so the picture still shows the right way up."""
    if content_type not in _PIL_FORMATS:
        raise ValueError(f"not an image type: {content_type}")
    with Image.open(BytesIO(data), formats=[_PIL_FORMATS[content_type]]) as original:
        upright = ImageOps.exif_transpose(original)
        if upright.mode in {"I", "I;16", "I;16B", "I;16L", "F"}:
            # 16-bit or float greys: scale to 8 bits rather than clip to white.
            upright = upright.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        if content_type == JPEG:
            mode = "L" if upright.mode in {"L", "1"} else "RGB"
        else:
            has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
            mode = (
                ("LA" if upright.mode in {"L", "LA"} else "RGBA")
                if has_alpha
                else ("L" if upright.mode in {"L", "1"} else "RGB")
            )
        converted = upright.convert(mode)
        # A fresh image carries no `info` at all, so nothing can leak through
        # encoder defaults that copy it (PNG copies icc_profile from info).
        bare = Image.frombytes(converted.mode, converted.size, converted.tobytes())
    out = BytesIO()
    if content_type == JPEG:
        bare.save(out, "JPEG", quality=90)
    else:
        bare.save(out, "PNG")  # optimize=True costs seconds on a large photo
    return out.getvalue()


def _reject(message: str, code: str) -> NoReturn:
    raise UploadRejected(message, code)


def _check_name(name: str) -> str:
    # Django's upload parser already keeps only the basename; a path or markup
    # still here means a crafted request (or another caller): refuse it.
    if _NAME_FORBIDDEN.search(name):
        _reject(
            _(
                "The file name contains characters that are not allowed "
                "(such as < > \" ' & / or \\). Please rename the file and try again."
            ),
            "bad_name",
        )
    return name


def _read_limited(uploaded_file) -> bytes:
    limit = max_upload_bytes()
    too_large = _("The file is too large. Each file can be at most %(size)s.") % {
        "size": filesizeformat(limit)
    }
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > limit:
        _reject(too_large, "too_large")
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # Read one byte past the limit so a file whose size was not declared (or
    # was declared wrongly) is still caught without reading all of it.
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        _reject(too_large, "too_large")
    if not data:
        _reject(_("The file is empty. Please choose a file that has content."), "empty")
    return data


def _detect(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        content_type = PDF
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = PNG
    elif data.startswith(b"\xff\xd8\xff"):
        content_type = JPEG
    else:
        _check_text(data)
        return TEXT
    _check_no_markup(data[:_SCAN_WINDOW] + b"\n" + data[-_SCAN_WINDOW:])
    if content_type == PDF:
        _check_pdf(data)
    else:
        _check_image(data, content_type)
    return content_type


def _unsupported() -> NoReturn:
    _reject(
        _(
            "This type of file is not accepted. Please send a PDF, a PNG or JPEG "
            "picture, or a plain text file."
        ),
        "unsupported_type",
    )


def _active_content() -> NoReturn:
    _reject(
        _(
            "This file contains web page or script content, which is not accepted "
            "for safety reasons. Please send a PDF, a picture or a plain text file."
        ),
        "active_content",
    )


def _corrupt() -> NoReturn:
    _reject(
        _("The file seems to be damaged or incomplete. Please check it and try again."),
        "corrupt",
    )


def _check_no_markup(sample: bytes) -> None:
    if _MARKUP.search(sample):
        _active_content()


def _check_text(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        _unsupported()
    if _TEXT_CONTROL.search(text.removeprefix("\ufeff")):
        _unsupported()
    # Text is small and readable: look at all of it, not just the ends.
    _check_no_markup(data)


def _check_pdf(data: bytes) -> None:
    """Parse the PDF with pypdf and refuse one that can act when opened:
    JavaScript, launch, form-submission or remote-go-to actions, additional
    actions (/AA), embedded files, rich media, XFA forms. Every object of the
    file is looked at, reachable from the catalogue or not, in object streams
    too, so a comment, a stream or a #xx-escaped name hides nothing (the
    parser, not a pattern, decides what is a name, a string or a stream)."""
    # Imported here: only evidence uploads parse PDFs, and pypdf costs every
    # worker ~6 MB resident from start-up (issue 21, "lean workers").
    from pypdf import PdfReader

    if b"%%EOF" not in data[-1024:]:
        _corrupt()
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            _reject(
                _(
                    "This PDF is protected with a password, so it cannot be checked. "
                    "Please send it without the password."
                ),
                "encrypted",
            )
        for obj in _pdf_objects(reader):
            if _pdf_is_active(obj):
                _active_content()
    except UploadRejected:
        raise
    except Exception:  # whatever pypdf cannot read is a damaged file
        _corrupt()


def _pdf_objects(reader: "PdfReader"):
    """Every indirect object of the file (the cross-reference tables and the
    object streams) and the trailer."""
    from pypdf.generic import IndirectObject

    yield reader.trailer
    numbers = [(num, gen) for gen, table in reader.xref.items() for num in table]
    numbers += [(num, 0) for num in reader.xref_objStm]
    if len(numbers) > _PDF_MAX_OBJECTS:
        _corrupt()
    for num, gen in numbers:
        yield reader.get_object(IndirectObject(num, gen, reader))


def _pdf_is_active(obj, depth: int = 0) -> bool:
    """True if this object, or a dictionary or array written inside it (not
    behind a reference: referenced objects are visited on their own), makes a
    reader act."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    if depth > _PDF_MAX_DEPTH:
        return True  # nothing honest nests this deep
    if isinstance(obj, DictionaryObject):  # a stream's dictionary too
        if {str(key) for key in obj} & _PDF_ACTIVE_KEYS:
            return True
        for key in ("/S", "/Type", "/Subtype"):
            value = obj.get(key)
            if isinstance(value, NameObject) and str(value) in _PDF_ACTIVE_VALUES:
                return True
        children = list(obj.values())
    elif isinstance(obj, ArrayObject):
        children = list(obj)
    else:
        return False
    return any(
        _pdf_is_active(child, depth + 1)
        for child in children
        if isinstance(child, DictionaryObject | ArrayObject)
    )


def _check_image(data: bytes, content_type: str) -> None:
    pil_format = _PIL_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            # A picture of absurd size is a decompression bomb, not evidence.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=[pil_format]) as image:
                image.verify()
            with Image.open(BytesIO(data), formats=[pil_format]) as image:
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        _corrupt()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _reject(
            _("The picture is too large to process. Please send a smaller picture."), "too_large"
        )


def _safe_name(name: str, content_type: str) -> str:
    """The name shown to people: the original stem, cleaned, with the
    extension of the type actually found (a .pdf that is a PNG becomes .png)."""
    stem = unicodedata.normalize("NFC", name).rsplit(".", 1)[0] if "." in name else name
    stem = "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in stem)
    stem = re.sub(r"[_ ]{2,}", "_", stem).strip(" ._")[:_NAME_STEM_MAX].strip(" ._")
    return f"{stem or 'evidence'}{ACCEPTED_TYPES[content_type]}"
