"""core.i18n_check on small catalogues written for the test: it refuses a
catalogue that would not compile cleanly and one msgid with two Korean texts."""

import shutil
import subprocess
from pathlib import Path

import pytest

from core.compilemessages import catalogues
from core.i18n_check import problems

HEADER = """msgid ""
msgstr ""
"Language: ko\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

"""


def write(tmp_path: Path, app: str, body: str) -> Path:
    path = tmp_path / app / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_clean_pair_of_catalogues_passes(tmp_path):
    one = write(tmp_path, "one", 'msgid "Closed"\nmsgstr "종결"\n')
    two = write(
        tmp_path,
        "two",
        'msgctxt "petition status"\nmsgid "Closed"\nmsgstr "마감"\n\n'
        '#, python-format\nmsgid "%(counter)s person signed."\n'
        'msgid_plural "%(counter)s people signed."\n'
        'msgstr[0] "%(counter)s명이 서명했습니다."\n',
    )
    assert problems([one, two]) == []


def test_one_msgid_with_two_korean_texts_and_no_context_fails(tmp_path):
    complaints = write(tmp_path, "complaints", 'msgid "Closed"\nmsgstr "종결"\n')
    consultations = write(tmp_path, "consultations", 'msgid "Closed"\nmsgstr "마감"\n')
    found = problems([complaints, consultations])
    assert len(found) == 1
    assert found[0].startswith("collision: 'Closed'")
    assert "'종결'" in found[0] and "'마감'" in found[0]


def test_the_same_context_with_two_korean_texts_fails_too(tmp_path):
    one = write(tmp_path, "one", 'msgctxt "office name"\nmsgid "Office"\nmsgstr "인권평화협력관"\n')
    two = write(tmp_path, "two", 'msgctxt "office name"\nmsgid "Office"\nmsgstr "인권 담당 부서"\n')
    assert problems([one, two]) == [
        "collision: 'Office' in context 'office name' is '인권평화협력관' in "
        f"{one}; '인권 담당 부서' in {two}"
    ]


def test_the_same_korean_in_two_catalogues_is_no_collision(tmp_path):
    one = write(tmp_path, "one", 'msgid "Sign in"\nmsgstr "로그인"\n')
    two = write(tmp_path, "two", 'msgid "Sign in"\nmsgstr "로그인"\n')
    assert problems([one, two]) == []


PLURAL_BEYOND_KOREAN = (
    '#, python-format\nmsgid "%(counter)s person signed."\n'
    'msgid_plural "%(counter)s people signed."\n'
    'msgstr[0] "%(counter)s명이 서명했습니다."\nmsgstr[1] "%(counter)s명이 서명했습니다."\n'
)
FORMAT_MISMATCH = '#, python-format\nmsgid "Back to %(title)s"\nmsgstr "%(name)s(으)로 돌아가기"\n'
DUPLICATE = 'msgid "Save"\nmsgstr "저장"\n\nmsgid "Save"\nmsgstr "저장하기"\n'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (PLURAL_BEYOND_KOREAN, "has forms [0, 1]; the header allows [0] (nplurals=1)"),
        (FORMAT_MISMATCH, "uses ['name'] that the msgid does not have"),
        (DUPLICATE, "duplicate message definition: 'Save'"),
    ],
    ids=["plural-forms-beyond-korean", "format-mismatch", "duplicate"],
)
def test_a_catalogue_that_does_not_compile_cleanly_fails(tmp_path, body, expected):
    path = write(tmp_path, "petitions", body)
    found = problems([path])
    assert any(expected in line for line in found), found
    if shutil.which("msgfmt"):
        # GNU gettext, where installed, refuses the same catalogue.
        result = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
            ["msgfmt", "-c", "-o", "/dev/null", str(path)],  # noqa: S607
            capture_output=True,
            check=False,
        )
        assert result.returncode != 0


def test_an_untranslated_entry_still_fails(tmp_path):
    path = write(tmp_path, "one", 'msgid "Save"\nmsgstr ""\n')
    assert problems([path]) == [f"{path}: untranslated: 'Save'"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_the_project_catalogues_pass_gnu_msgfmt_check():
    for path in catalogues():
        result = subprocess.run(  # noqa: S603 - a fixed program on our own catalogues
            ["msgfmt", "-c", "-o", "/dev/null", str(path)],  # noqa: S607
            capture_output=True,
            check=False,
            text=True,
        )
        assert result.returncode == 0, (path, result.stderr)
