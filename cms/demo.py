"""Demo pages: a home page, the Human Rights Charter and the Human Rights Ordinance
in Korean and English."""

from wagtail.models import Locale, Page, Site

from .models import HomePage, OfficeSettings, StandardPage

HOME = {
    "ko": {
        "title": "인권도시 광주",
        "intro": (
            "광주는 시민이 인권 정책에 직접 참여하고, 차별을 겪은 누구나 말하고 도움을 받을 수 "
            "있는 인권도시를 만들어 갑니다."
        ),
        "body": [
            ("heading", {"text": "여기에서 할 수 있는 일", "level": "h2"}),
            (
                "paragraph",
                "<ul><li>시의 정책 초안을 읽고 의견을 남길 수 있습니다.</li>"
                "<li>청원을 시작하고 서명할 수 있습니다.</li>"
                "<li>차별을 신고할 수 있습니다. 이름을 밝히지 않아도 됩니다.</li></ul>",
            ),
            (
                "call_to_action",
                {
                    "title": "차별을 겪으셨나요?",
                    "text": "인권옴부즈맨이 이야기를 듣고 함께 해결 방법을 찾습니다. 상담은 무료이고 비밀이 지켜집니다.",
                    "link_page": None,
                    "link_url": "/ko/complaints/new/",
                    "link_text": "차별 신고하기",
                },
            ),
        ],
    },
    "en": {
        "title": "Gwangju, a Human Rights City",
        "intro": (
            "Gwangju is building a city where residents take part in the policies that affect "
            "them, and where anyone who faces discrimination can speak up and be heard."
        ),
        "body": [
            ("heading", {"text": "What you can do here", "level": "h2"}),
            (
                "paragraph",
                "<ul><li>Read the city's draft policies and comment on them.</li>"
                "<li>Start a petition or sign one.</li>"
                "<li>Report discrimination. You do not have to give your name.</li></ul>",
            ),
            (
                "call_to_action",
                {
                    "title": "Have you faced discrimination?",
                    "text": "A human rights ombudsperson will listen and work with you on a way forward. It is free and confidential.",
                    "link_page": None,
                    "link_url": "/en/complaints/new/",
                    "link_text": "Report discrimination",
                },
            ),
        ],
    },
}

CHARTER = {
    "ko": {
        "title": "광주 인권헌장",
        "slug": "charter",
        "intro": (
            "광주의 인권은 오랜 저항의 역사에서 자랐습니다. 이 헌장은 시민과 시가 함께 지킬 "
            "약속입니다."
        ),
        "body": [
            ("heading", {"text": "인권의 뿌리", "level": "h2"}),
            (
                "timeline",
                {
                    "title": "인간의 존엄을 지키려 한 광주의 역사",
                    "events": [
                        {
                            "date": "1894",
                            "title": "동학농민운동",
                            "text": "억압과 불평등에 맞서 농민들이 일어섰습니다.",
                        },
                        {
                            "date": "1929",
                            "title": "광주학생독립운동",
                            "text": "학생들이 식민 지배에 맞서 자유와 평등을 외쳤습니다.",
                        },
                        {
                            "date": "1960",
                            "title": "4·19 혁명",
                            "text": "광주 시민도 독재에 맞서 민주주의를 요구했습니다.",
                        },
                        {
                            "date": "1980",
                            "title": "5·18 민주화운동",
                            "text": "시민들이 계엄군의 폭력에 맞서 민주주의와 인간의 존엄을 지켰습니다.",
                        },
                        {
                            "date": "2011년 5월 25일",
                            "title": "5·18 기록물 세계기록유산 등재",
                            "text": "5·18 민주화운동 기록물이 유네스코 세계기록유산에 올랐습니다.",
                        },
                    ],
                },
            ),
            ("heading", {"text": "우리의 약속", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>모든 사람은 성별, 나이, 장애, 출신 지역과 국가, 종교, 경제 형편 등 어떤 이유로도 차별받지 않습니다.</li>"
                "<li>시민은 자신의 삶에 영향을 주는 정책을 만드는 일에 참여할 권리가 있습니다.</li>"
                "<li>시는 가장 취약한 사람의 눈높이에서 정책을 만들고 실천합니다.</li>"
                "<li>인권이 침해되었을 때 누구나 쉽게 도움을 청하고 구제받을 수 있어야 합니다.</li></ol>",
            ),
            ("heading", {"text": "인권을 지키는 제도", "level": "h2"}),
            (
                "paragraph",
                "<p>광주는 기초·광역 지방자치단체로는 처음으로 시청 안에 인권 전담 부서를 두었습니다. "
                "인권헌장과 인권 기본조례를 바탕으로 인권 지표를 만들어 해마다 점검하고, 5년마다 인권 "
                "기본계획을 세웁니다.</p><p>2011년부터는 해마다 세계인권도시포럼을 열어 세계의 도시들과 "
                "경험을 나눕니다.</p>",
            ),
            (
                "quote",
                {
                    "text": "인권은 기억에서 시작해 일상에서 완성됩니다.",
                    "attribution": "광주 인권헌장 전문에서",
                },
            ),
        ],
    },
    "en": {
        "title": "Gwangju Human Rights Charter",
        "slug": "charter",
        "intro": (
            "Human rights in Gwangju grew out of a long history of resistance. This charter is a "
            "promise that residents and the city keep together."
        ),
        "body": [
            ("heading", {"text": "Where our rights come from", "level": "h2"}),
            (
                "timeline",
                {
                    "title": "Gwangju's history of standing up for human dignity",
                    "events": [
                        {
                            "date": "1894",
                            "title": "Donghak Peasant Movement",
                            "text": "Farmers rose up against oppression and inequality.",
                        },
                        {
                            "date": "1929",
                            "title": "Gwangju Student Independence Movement",
                            "text": "Students stood up to colonial rule for freedom and equality.",
                        },
                        {
                            "date": "1960",
                            "title": "April 19 Revolution",
                            "text": "People in Gwangju joined the call for democracy against dictatorship.",
                        },
                        {
                            "date": "1980",
                            "title": "May 18 Democratic Uprising",
                            "text": "Citizens defended democracy and human dignity against the violence of martial-law troops.",
                        },
                        {
                            "date": "25 May 2011",
                            "title": "May 18 archives in UNESCO's Memory of the World",
                            "text": "The records of the May 18 Democratic Uprising were inscribed in UNESCO's Memory of the World register.",
                        },
                    ],
                },
            ),
            ("heading", {"text": "Our promises", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>No one is treated unfairly because of sex, age, disability, where they or their family come from, religion, how much money they have, or any other reason.</li>"
                "<li>Residents have the right to take part in making the policies that affect their lives.</li>"
                "<li>The city designs and carries out its policies from the point of view of the people most at risk.</li>"
                "<li>Anyone whose rights are violated must be able to ask for help easily and get a remedy.</li></ol>",
            ),
            ("heading", {"text": "How the city protects rights", "level": "h2"}),
            (
                "paragraph",
                "<p>Gwangju was the first local government in Korea to set up a Human Rights Office inside city hall. "
                "Based on its Human Rights Charter and Human Rights Ordinance, the city measures its progress with "
                "human rights indicators and adopts a human rights plan every five years.</p>"
                "<p>Since 2011 the city has hosted the World Human Rights Cities Forum every year, sharing what it "
                "learns with cities around the world.</p>",
            ),
            (
                "quote",
                {
                    "text": "Human rights begin in memory and are made real in everyday life.",
                    "attribution": "From the preamble of the Gwangju Human Rights Charter",
                },
            ),
        ],
    },
}

ORDINANCE = {
    "ko": {
        "title": "광주광역시 인권 기본 조례",
        "intro": (
            "시민의 인권을 보호하고 증진하기 위해 시가 해야 할 일과 시민이 참여하는 방법을 "
            "정한 조례입니다."
        ),
        "body": [
            ("heading", {"text": "제1조 목적", "level": "h2"}),
            (
                "paragraph",
                "<p>이 조례는 「대한민국헌법」과 국제인권규범이 보장하는 인권을 광주광역시에서 "
                "보호하고 증진하기 위하여 필요한 사항을 정합니다.</p>",
            ),
            ("heading", {"text": "제2조 시장의 책무", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>시장은 5년마다 인권 기본계획을 세우고 해마다 시행계획을 세웁니다.</li>"
                "<li>시장은 인권 지표를 정하고 그 결과를 공개합니다.</li>"
                "<li>시장은 시의 정책이 인권에 미치는 영향을 평가합니다.</li></ol>",
            ),
            ("heading", {"text": "제3조 시민의 참여", "level": "h2"}),
            (
                "paragraph",
                "<p>시민은 인권 정책을 만드는 과정에 의견을 내고 공청회에 참여할 수 있습니다. "
                "시는 장애인, 이주민 등 누구나 참여할 수 있도록 통역과 편의를 제공합니다.</p>",
            ),
            ("heading", {"text": "제4조 인권옴부즈맨", "level": "h2"}),
            (
                "paragraph",
                "<p>시의 행정으로 인권을 침해당하거나 차별받은 사람은 인권옴부즈맨에게 진정할 수 "
                "있습니다. 인권옴부즈맨은 독립적으로 조사하고 시정을 권고합니다.</p>",
            ),
        ],
    },
    "en": {
        "title": "Gwangju Human Rights Ordinance",
        "intro": (
            "The ordinance sets out what the city must do to protect and promote residents' "
            "human rights, and how residents take part."
        ),
        "body": [
            ("heading", {"text": "Article 1 Purpose", "level": "h2"}),
            (
                "paragraph",
                "<p>This ordinance sets out what is needed to protect and promote, in Gwangju, "
                "the human rights guaranteed by the Constitution of the Republic of Korea and "
                "international human rights law.</p>",
            ),
            ("heading", {"text": "Article 2 Duties of the Mayor", "level": "h2"}),
            (
                "paragraph",
                "<ol><li>The Mayor adopts a human rights plan every five years and an action "
                "plan every year.</li>"
                "<li>The Mayor sets human rights indicators and publishes the results.</li>"
                "<li>The Mayor assesses how the city's policies affect human rights.</li></ol>",
            ),
            ("heading", {"text": "Article 3 Residents' participation", "level": "h2"}),
            (
                "paragraph",
                "<p>Residents may give their views while human rights policies are made and "
                "take part in public hearings. The city provides interpretation and "
                "accessibility support so that everyone, including disabled people and "
                "migrants, can take part.</p>",
            ),
            ("heading", {"text": "Article 4 Human Rights Ombudsperson", "level": "h2"}),
            (
                "paragraph",
                "<p>Anyone whose rights were violated or who was discriminated against by the "
                "city's administration may complain to the Human Rights Ombudsperson, who "
                "investigates independently and recommends corrections.</p>",
            ),
        ],
    },
}


def _h(text: str) -> tuple:
    return ("heading", {"text": text, "level": "h2"})


# The privacy notice (the items the Personal Information Protection Act asks
# for) and the accessibility statement: editable pages in Wagtail, linked from
# the footer by their slugs (cms.selectors.FOOTER_PAGE_SLUGS).
PRIVACY = {
    "ko": {
        "title": "개인정보 처리방침",
        "intro": "인권도시 플랫폼이 어떤 개인정보를 왜, 얼마 동안 보관하고 누가 보는지 알려 드립니다.",
        "body": [
            _h("처리하는 개인정보와 목적"),
            (
                "paragraph",
                "<p>회원 가입: 아이디, 이메일 주소, 표시 이름, 비밀번호(복원할 수 없는 형태로 저장) — 의견 수렴 참여와 청원 서명을 위해 처리합니다.</p>"
                "<p>진정: 진정 내용, 차별 사유, 연락처(암호화하여 저장) — 인권옴부즈맨의 조사와 회신을 위해 처리합니다. 익명 진정은 계정과 연결하지 않습니다.</p>",
            ),
            _h("보유 기간"),
            (
                "paragraph",
                "<p>계정 정보는 탈퇴할 때까지 보관합니다. 진정 기록은 사건 종결 후 정해진 보존 기간이 지나면 파기합니다. 접속 기록은 보안을 위해 짧은 기간만 보관합니다.</p>",
            ),
            _h("누가 보나요"),
            (
                "paragraph",
                "<p>진정 내용은 배정된 조사관과 책임자만 볼 수 있으며 모든 열람은 기록됩니다. 관리자도 진정을 볼 수 없습니다. 제3자에게 제공하지 않습니다.</p>",
            ),
            _h("정보주체의 권리"),
            (
                "paragraph",
                "<p>내 계정 페이지에서 보관된 정보를 모두 내려받고(JSON) 계정을 삭제할 수 있습니다. 정정·처리 정지를 요청하려면 인권옴부즈맨에 연락해 주세요.</p>",
            ),
            _h("개인정보 보호책임자"),
            (
                "paragraph",
                "<p>광주광역시 인권평화협력관 개인정보 보호책임자: humanrights@example.org, 062-120</p>",
            ),
        ],
    },
    "en": {
        "title": "Privacy notice",
        "intro": "What personal data the Human Rights City platform keeps, why, for how long, and who sees it.",
        "body": [
            _h("What we process and why"),
            (
                "paragraph",
                "<p>Accounts: username, e-mail address, display name and password (stored so it cannot be recovered), to take part in consultations and sign petitions.</p>"
                "<p>Complaints: the account of what happened, the grounds and contact details (stored encrypted), so the Ombudsperson can investigate and reply. Anonymous complaints are never linked to an account.</p>",
            ),
            _h("How long we keep it"),
            (
                "paragraph",
                "<p>Account data until you delete your account. Complaint records until their retention period after the case is closed, then they are destroyed. Access logs for a short time, for security.</p>",
            ),
            _h("Who sees it"),
            (
                "paragraph",
                "<p>A complaint is seen only by the assigned caseworkers and the supervisor, and every reading is logged; administrators cannot see complaints. Nothing is given to third parties.</p>",
            ),
            _h("Your rights"),
            (
                "paragraph",
                "<p>On your account page you can download everything we hold about you (JSON) and delete your account. To ask for a correction or to stop processing, contact the Ombudsperson.</p>",
            ),
            _h("Data protection officer"),
            (
                "paragraph",
                "<p>Gwangju Human Rights Office, data protection officer: humanrights@example.org, 062-120</p>",
            ),
        ],
    },
}

ACCESSIBILITY = {
    "ko": {
        "title": "웹 접근성 정책",
        "intro": "누구나 이 누리집을 쓸 수 있도록 한국형 웹 콘텐츠 접근성 지침과 WCAG 2.1 AA를 따릅니다.",
        "body": [
            _h("지키는 것"),
            (
                "paragraph",
                "<p>모든 기능은 키보드만으로, 자바스크립트 없이도 쓸 수 있습니다. 화면 낭독기, 확대, 고대비 화면에서 확인하고 자동 검사(axe)를 매번 실행합니다.</p>",
            ),
            _h("문제 알리기"),
            (
                "paragraph",
                "<p>쓰기 어려운 부분이 있으면 humanrights@example.org 또는 062-120으로 알려 주세요. 7일 안에 답변합니다.</p>",
            ),
        ],
    },
    "en": {
        "title": "Accessibility statement",
        "intro": "This site aims to be usable by everyone: it follows the Korean web accessibility guidelines and WCAG 2.1 AA.",
        "body": [
            _h("What we do"),
            (
                "paragraph",
                "<p>Everything works with a keyboard alone and without JavaScript. We check with screen readers, zoom and high contrast, and run automated checks (axe) on every change.</p>",
            ),
            _h("Tell us about a problem"),
            (
                "paragraph",
                "<p>If something is hard to use, write to humanrights@example.org or call 062-120. We answer within 7 days.</p>",
            ),
        ],
    },
}


def _locale(code: str) -> Locale:
    locale, _ = Locale.objects.get_or_create(language_code=code)
    return locale


def _publish(page: Page, content: dict) -> None:
    page.title = content["title"]
    page.intro = content["intro"]
    page.body = content["body"]
    page.save_revision().publish()


def home_page(language: str = "ko") -> HomePage | None:
    return HomePage.objects.filter(locale__language_code=language).first()


def seed(*, stdout) -> None:
    ko, en = _locale("ko"), _locale("en")
    root = Page.get_first_root_node()

    home_ko = HomePage.objects.filter(locale=ko).first()
    if home_ko is None:
        # Wagtail's install leaves a placeholder "Welcome" page and a site on it.
        for placeholder in root.get_children().filter(content_type__model="page"):
            placeholder.delete()
        home_ko = root.add_child(
            instance=HomePage(
                title=HOME["ko"]["title"], slug="home", locale=ko, show_in_menus=False
            )
        )
        _publish(home_ko, HOME["ko"])
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home_ko,
                "site_name": "인권도시 광주",
            },
        )

    home_en = HomePage.objects.filter(locale=en).first()
    if home_en is None:
        home_en = home_ko.copy_for_translation(en)
        _publish(home_en, HOME["en"])

    charter_ko = StandardPage.objects.filter(locale=ko, slug="charter").first()
    if charter_ko is None:
        charter_ko = home_ko.add_child(
            instance=StandardPage(title=CHARTER["ko"]["title"], slug="charter", show_in_menus=True)
        )
        _publish(charter_ko, CHARTER["ko"])
    if not StandardPage.objects.filter(locale=en, slug="charter").exists():
        charter_en = charter_ko.copy_for_translation(en)
        _publish(charter_en, CHARTER["en"])

    ordinance_ko = StandardPage.objects.filter(locale=ko, slug="ordinance").first()
    if ordinance_ko is None:
        ordinance_ko = home_ko.add_child(
            instance=StandardPage(
                title=ORDINANCE["ko"]["title"], slug="ordinance", show_in_menus=True
            )
        )
        _publish(ordinance_ko, ORDINANCE["ko"])
    if not StandardPage.objects.filter(locale=en, slug="ordinance").exists():
        _publish(ordinance_ko.copy_for_translation(en), ORDINANCE["en"])

    for slug, content in (("privacy", PRIVACY), ("accessibility", ACCESSIBILITY)):
        page_ko = StandardPage.objects.filter(locale=ko, slug=slug).first()
        if page_ko is None:
            page_ko = home_ko.add_child(
                instance=StandardPage(title=content["ko"]["title"], slug=slug, show_in_menus=False)
            )
            _publish(page_ko, content["ko"])
        if not StandardPage.objects.filter(locale=en, slug=slug).exists():
            _publish(page_ko.copy_for_translation(en), content["en"])

    site = Site.objects.get(root_page=home_ko)
    OfficeSettings.objects.update_or_create(
        site=site,
        defaults={
            "name_ko": "광주광역시 인권평화협력관",
            "name_en": "Gwangju Human Rights Office",
            "ombuds_name_ko": "광주광역시 인권옴부즈맨",
            "ombuds_name_en": "Gwangju Human Rights Ombudsperson",
            "address_ko": "광주광역시 서구 내방로 111 광주광역시청",
            "address_en": "Gwangju City Hall, 111 Naebang-ro, Seo-gu, Gwangju",
            "phone": "062-120",
            "email": "humanrights@example.org",
            "hours_ko": "평일 9:00–18:00",
            "hours_en": "Weekdays 9:00–18:00",
            "operator_ko": "광주광역시",
            "operator_en": "Gwangju Metropolitan City",
        },
    )
    stdout.write(
        "Demo pages: home, the Human Rights Charter and Ordinance, the privacy notice and"
        " the accessibility statement, in Korean and English."
    )
