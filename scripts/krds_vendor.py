"""Vendor the parts of KRDS (the npm package krds-uiux) that the site uses.

Run by a maintainer through `make krds` (never by `make run`): it unpacks the
pinned package and writes static/vendor/krds/:

- krds-tokens.css: the design tokens (krds_tokens.css and the :root of
  common.css), trimmed to the custom properties that our CSS and the vendored
  components use, followed transitively;
- krds-components.css: the components we use, cut from component.css by its
  section comments, without the high-contrast and dark-theme rules (the site
  offers neither mode), with icon URLs pointed at icons/;
- icons/: the SVG icons those components reference;
- LICENSE.md and VERSION.

    python scripts/krds_vendor.py PACKAGE.tgz
"""

from __future__ import annotations

import re
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "vendor" / "krds"
SITE_CSS = ROOT / "static" / "css" / "site.css"
VERSION = "1.1.0"  # keep in step with KRDS_VERSION in the Makefile

# component.css section comment -> selectors (regex) kept from it; None keeps all.
SECTIONS = {
    "icon 버튼 사이즈": (
        r"^\.krds-btn(\.(xsmall|small|medium|large|xlarge|primary|secondary|tertiary))*"
        r"(:(hover|active|focus|disabled|focus-visible))?$"
    ),
    "건너뛰기 링크": None,
    "공식 배너": None,
    "운영기관 식별자": None,
    "브레드크럼": None,
    "단계 표시기": None,
    "배지": None,
    "표": None,
    "페이지네이션": None,
    "입력 필드 / 텍스트 영역": None,
    "언어 변경": None,
}
DROP_SELECTOR = re.compile(r"data-krds-mode|high-contrast")
VAR_USE = re.compile(r"var\((--[\w-]+)")
VAR_DEF = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
URL = re.compile(r"url\(([^)]*?)([\w-]+\.svg)\)")


def split_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs; comments dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, depth, start, prelude = [], 0, 0, ""
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                prelude, start = css[start:i].rsplit(";", 1)[-1].strip(), i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                rules.append((prelude, css[start:i]))
                start = i + 1
    return rules


def keep_rule(prelude: str, pattern: str | None) -> bool:
    if DROP_SELECTOR.search(prelude) or prelude.startswith("@charset"):
        return False
    if pattern is None:
        return True
    return all(re.match(pattern, sel.strip()) for sel in prelude.split(","))


def filter_css(css: str, pattern: str | None) -> str:
    out = []
    for prelude, body in split_rules(css):
        if prelude.startswith("@media"):
            if "prefers-color-scheme" in prelude:
                continue
            inner = filter_css(body, pattern)
            if inner.strip():
                out.append(f"{prelude} {{\n{inner}}}\n")
        elif keep_rule(prelude, pattern):
            out.append(f"{prelude} {{{body}}}\n")
    return "".join(out)


def sections(component_css: str) -> dict[str, str]:
    parts = re.split(r"\n(?=/\* )", component_css)
    found = {}
    for part in parts:
        head, _, body = part.partition("\n")
        name = head.strip().removeprefix("/*").removesuffix("*/").strip()
        found[name] = found.get(name, "") + body
    return found


def main(tgz: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(tgz) as archive:
            archive.extractall(tmp, filter="data")
        pkg = Path(tmp) / "package"
        res = pkg / "resources"
        found = sections((res / "css/component/component.css").read_text())
        components = []
        for name, pattern in SECTIONS.items():
            css = filter_css(found[name], pattern)
            components.append(f"/* {name} */\n{css}")
        components_css = "\n".join(components)
        icons = sorted({m[1] for m in URL.findall(components_css)})
        components_css = URL.sub(lambda m: f'url("icons/{m[2]}")', components_css)

        definitions: dict[str, str] = {}
        for source in (res / "css/token/krds_tokens.css", res / "css/common/common.css"):
            for prelude, body in split_rules(source.read_text()):
                if prelude == ":root":
                    definitions.update(VAR_DEF.findall(body))
        wanted = set(VAR_USE.findall(components_css + SITE_CSS.read_text()))
        todo = list(wanted)
        while todo:
            value = definitions.get(todo.pop(), "")
            for name in VAR_USE.findall(value):
                if name not in wanted:
                    wanted.add(name)
                    todo.append(name)
        tokens = "".join(
            f"  {name}: {value};\n" for name, value in definitions.items() if name in wanted
        )

        if OUT.exists():
            shutil.rmtree(OUT)
        (OUT / "icons").mkdir(parents=True)
        header = (
            f"/* KRDS (krds-uiux {VERSION}, ISC): made by scripts/krds_vendor.py; do not edit. */\n"
        )
        (OUT / "krds-tokens.css").write_text(f"{header}:root {{\n{tokens}}}\n")
        (OUT / "krds-components.css").write_text(header + components_css)
        for icon in icons:
            shutil.copy(res / "img/component/icon" / icon, OUT / "icons" / icon)
        readme = (pkg / "README.md").read_text()
        licence = readme[readme.index("## 저작권") :]
        (OUT / "LICENSE.md").write_text(
            f"# KRDS HTML ComponentKit (npm krds-uiux {VERSION})\n\n"
            'package.json: "license": "ISC"; author: krds.\n\n'
            "Copied from the package README:\n\n" + licence
        )
        (OUT / "VERSION").write_text(VERSION + "\n")
        print(f"krds-uiux {VERSION}: {len(wanted)} tokens, {len(icons)} icons -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
