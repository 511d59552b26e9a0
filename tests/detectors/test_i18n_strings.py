"""i18n-hardcoded-strings on real tree-sitter parses of React, plain TS and Python UI code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinyarms_lint.detectors import i18n_strings
from tinyarms_lint.detectors.base import DetectContext
from tinyarms_lint.regions import SourceFile
from tinyarms_lint.rules import Rule, load_rules
from tinyarms_lint.types import Candidate

RULE = load_rules([])["i18n-hardcoded-strings"]


def run(path: str, language: str, source: str, rule: Rule = RULE, test_file: bool = False) -> list[Candidate]:
    file = SourceFile.parse(path, language, source.encode("utf-8"))
    return i18n_strings.detect(file, rule, DetectContext(root=Path("."), is_test_file=test_file))


def found(candidates: list[Candidate], clear: bool = True) -> list[tuple[int, str]]:
    return [(c.span.line, c.data["text"]) for c in candidates if c.clear is clear]


FORM = """import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { toast } from "react-hot-toast";

export function SignUp({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState("");
  async function submit() {
    if (!error) setError("Please enter a valid email address.");
    toast.error("Could not create your account");
    console.warn("sign up failed for", error);
    window.alert(t("signup.done"));
  }
  return (
    <form className="flex items-center gap-2" data-testid="signup-form" onSubmit={submit}>
      <h2 id="signup-title">Create your account</h2>
      <input type="email" name="email" placeholder="you@example.com" aria-label="Email address" />
      <input name="nick" placeholder={t("signup.nickname")} title={busy ? "Saving…" : "Username"} />
      <img src="/img/hero.png" alt="People shopping together" />
      <p>
        <Trans i18nKey="signup.terms">By signing up you accept the <a href="/terms">terms</a>.</Trans>
      </p>
      <code>npm run dev</code> · <span>ID</span> <span>Acme</span> <span>{42}</span>
      <button type="submit">Sign up</button>
      {error && <p role="alert">{error}</p>}
      {busy ? "Please wait" : null}
    </form>
  );
}
"""


def test_visible_jsx_text_attributes_and_messages_are_clear() -> None:
    candidates = run("SignUp.tsx", "tsx", FORM)
    assert found(candidates) == [
        (10, "Could not create your account"),
        (16, "Create your account"),
        (17, "Email address"),
        (18, "Saving…"),
        (18, "Username"),
        (19, "People shopping together"),
        (23, "Acme"),  # a name shown as JSX text is still text users read
        (24, "Sign up"),
        (26, "Please wait"),
    ]
    assert found(candidates, clear=False) == [(9, "Please enter a valid email address.")]
    jsx = next(c for c in candidates if c.span.line == 16)
    assert jsx.data["context"] == "jsx-text" and jsx.data["kind"] == "hardcoded-text"
    assert (jsx.span.column, jsx.span.end_column) == (29, 48), "the span covers the text, not its whitespace"


def test_hungarian_and_vietnamese_literals_are_flagged_anywhere() -> None:
    source = """export const EMPTY_CART = "Giỏ hàng của bạn đang trống";
export function label(status: string): string {
  if (status === "pending") return "Đang xử lý";
  throw new Error("A rendelés nem található a rendszerben");
}
console.log("Đang tải dữ liệu");
const city = "Bogotá";
const key = "Mentés";
"""
    candidates = run("status.ts", "typescript", source)
    assert [(line, c.data["language"]) for c, (line, _) in zip(candidates, found(candidates))] == [
        (1, "vi"),
        (3, "vi"),
        (4, "hu"),
        (6, "vi"),
    ]
    assert [c.data["text"] for c in candidates if not c.clear] == ["Bogotá", "Mentés"]


def test_plain_typescript_english_strings_are_left_alone() -> None:
    source = 'export const messages = { required: "This field is required." };\nfetch("/api/users");\n'
    assert run("messages.ts", "typescript", source) == []


def test_i18n_calls_components_imports_and_excluded_places() -> None:
    source = """import "./styles.css";
import { t } from "i18next";
const Page = () => (
  <main className="page page--wide" style={{ color: "red" }}>
    <h1>{t("page.title", { defaultValue: "Welcome back" })}</h1>
    <FormattedMessage id="greeting" defaultMessage="Hello there" />
    <pre>{"const x = 1"}</pre>
    <a href="https://example.com/docs" title="common.docs">{i18n.t("nav.docs")}</a>
    <span>&nbsp;·&nbsp;</span>
    <Icon name="arrow-right" />
  </main>
);
"""
    assert run("Page.jsx", "jsx", source) == []


def test_test_files_and_excluded_globs_are_skipped() -> None:
    source = "render(<p>Giỏ hàng của bạn đang trống</p>);\n"
    assert run("src/Cart.test.tsx", "tsx", source, test_file=True) == []
    assert run("src/locales/vi.ts", "typescript", 'export const vi = { empty: "Giỏ hàng trống" };\n') == []
    assert run("src/Cart.tsx", "tsx", source) != []


def test_options_change_functions_and_attributes() -> None:
    rule = RULE.with_overrides(None, {"i18n_functions": ["translate"], "attributes": ["hint"]})
    source = 'const A = () => <Field hint="Type your name" title="Name" label={translate("Your name")} />;\n'
    assert found(run("A.jsx", "jsx", source, rule)) == [(1, "Type your name")]


def test_text_assigned_to_the_dom_is_visible() -> None:
    source = (
        'el.textContent = "Copied to clipboard";\ninput.placeholder = `Search ${count} products`;\nel.id = "main";\n'
    )
    assert found(run("dom.js", "javascript", source)) == [(1, "Copied to clipboard"), (2, "Search  {value}  products")]


def test_python_needs_a_configured_framework() -> None:
    source = 'from django.contrib import messages\nmessages.success(request, "Your profile was saved.")\n'
    assert run("views.py", "python", source) == []


DJANGO = '''"""Views of the shop."""
from django.contrib import messages
from django.db import models
from django.utils.translation import gettext_lazy as _


class Order(models.Model):
    number = models.CharField("Order number", max_length=20)
    note = models.TextField(verbose_name=_("Note"), help_text="Shown to the courier")
    status = models.CharField(max_length=20, default="pending")


def save(request):
    messages.success(request, "Your profile was saved.")
    messages.error(request, _("Something went wrong"))
    logger.info("profile saved for %s", request.user)
    raise ValueError("Không tìm thấy đơn hàng")
'''


def test_django_user_facing_calls_and_keywords() -> None:
    rule = RULE.with_overrides(None, {"python_framework": "django"})
    candidates = run("shop/models.py", "python", DJANGO, rule)
    assert found(candidates) == [
        (8, "Order number"),
        (9, "Shown to the courier"),
        (14, "Your profile was saved."),
        (17, "Không tìm thấy đơn hàng"),
    ]


@pytest.mark.parametrize(
    ("framework", "source", "expected"),
    [
        ("flask", 'flash("Logged in successfully")\nflash(_("Welcome"))\n', [(1, "Logged in successfully")]),
        (
            "qt",
            'self.setWindowTitle("Invoice editor")\nbutton = QPushButton(self.tr("Save"))\nlabel = QLabel("Total:")\n',
            [(1, "Invoice editor"), (3, "Total:")],
        ),
        (
            "tkinter",
            'ttk.Button(root, text="Quit", command=root.destroy)\nroot.title("Számlák")\n',
            [(1, "Quit"), (2, "Számlák")],
        ),
    ],
)
def test_other_python_frameworks(framework: str, source: str, expected: list[tuple[int, str]]) -> None:
    rule = RULE.with_overrides(None, {"python_framework": framework})
    assert found(run("app.py", "python", source, rule)) == expected


def test_broken_input_does_not_crash() -> None:
    assert run("A.tsx", "tsx", 'const A = () => <div title="Unclosed attribute>Hello there\n') is not None
    assert run("a.py", "python", 'flash("Hello', RULE.with_overrides(None, {"python_framework": "flask"})) is not None
    assert run("A.tsx", "tsx", "") == []


def test_character_tables_matching_and_names_are_not_clear() -> None:
    source = """export function slugify(text: string): string {
  const from = "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđ";
  return text.normalize("NFC").replace("đ", "d").split("").filter((c) => !from.includes(c)).join("");
}
export const cities = ["Đà Nẵng", "Hồ Chí Minh"];
"""
    candidates = run("slugify.ts", "typescript", source)
    assert found(candidates) == []
    assert found(candidates, clear=False) == [(5, "Đà Nẵng"), (5, "Hồ Chí Minh")]


def test_names_in_jsx_are_copy_key_labels_and_copyright_owners_go_to_the_model() -> None:
    source = (
        "const A = () => <p><kbd>Ctrl</kbd> <span>Ctrl K</span> <b>Acme Trading</b> <i>Ships in two days</i></p>;\n"
        "const B = () => <footer>&copy; {year} Acme <a>Docs</a></footer>;\n"
    )
    candidates = run("A.jsx", "jsx", source)
    assert found(candidates) == [(1, "Acme Trading"), (1, "Ships in two days"), (2, "Docs")]
    assert found(candidates, clear=False) == [(1, "Ctrl K"), (2, "Acme")]


def test_object_keys_are_visible_only_in_files_that_render_jsx() -> None:
    columns = 'export const columns = [{ title: "Order date", dataIndex: "date" }];\n'
    assert found(run("columns.ts", "typescript", columns)) == []
    component = columns + "export const Table = () => <AntTable columns={columns} />;\n"
    assert found(run("Table.tsx", "tsx", component)) == [(1, "Order date")]


def test_docusaurus_translate_keys_and_code_values_are_not_copy() -> None:
    source = """import Translate from "@docusaurus/Translate";
export function Footer({ resource, id }) {
  notify(`resources.${resource}.notifications.deleted`);
  notify(`Deleted ${id}.`);
  return (
    <footer>
      <Translate id="theme.common.editThisPage" description="The link label to edit the current page">
        Edit this page
      </Translate>
      <span className="json-null">null</span>
    </footer>
  );
}
"""
    candidates = run("Footer.jsx", "jsx", source)
    assert found(candidates) == [(4, "Deleted  {value} .")]
    assert found(candidates, clear=False) == []


def test_other_scripts_english_shapes_and_lowercase_phrases_are_copy() -> None:
    source = """export const Card = () => (
  <section>
    <h3>Documentation →</h3>
    <p>読み込み中…</p>
    <input placeholder="Winter jacket" />
    <input placeholder="winter-jacket" />
    <span>μs</span>
    <b>Nguyen Trading</b>
  </section>
);
"""
    candidates = run("Card.tsx", "tsx", source)
    assert [line for line, _ in found(candidates)] == [3, 4, 5, 8]
    assert [line for line, _ in found(candidates, clear=False)] == [6, 7]


def test_title_case_ascii_place_names_are_not_certain_foreign_text() -> None:
    source = 'export const STATES = { "TH-39": "Nong Bua Lam Phu", hint: "Nhập địa chỉ email của bạn" };\n'
    candidates = run("states.ts", "typescript", source)
    assert found(candidates) == [(1, "Nhập địa chỉ email của bạn")]
    assert i18n_strings.looks_like_a_name("Nong Bua Lam Phu")
    assert not i18n_strings.looks_like_a_name("Thêm vào giỏ hàng ngay bây giờ")


def test_lowercase_words_and_capitalised_names_in_jsx_text_and_props_are_copy() -> None:
    source = """export const Page = () => (
  <>
    <div>foo</div>
    <img src="./logo.png" alt="logo" />
    <img src="./hero.png" alt="some-image" />
    <nav aria-label="breadcrumbs" />
    <input placeholder="winter-jacket" />
    <h1>Vite + React</h1>
    <img src="./logo.svg" alt="Qwik Logo" />
    <a title="Docusaurus" href="https://docusaurus.io/" />
  </>
);
"""
    candidates = run("Page.tsx", "tsx", source)
    assert [line for line, _ in found(candidates)] == [3, 4, 5, 6, 8, 9, 10]
    assert [line for line, _ in found(candidates, clear=False)] == [7]


def test_strings_rendered_through_map_and_concatenation_are_visible() -> None:
    source = """export const List = ({ items, total }) => (
  <ul>
    {items.map((item) => "Buy now")}
    {"Total: " + total}
    {'hello' + 'world'}
  </ul>
);
const url = base + "/api/items";
throw new Error("Failed to load " + url);
"""
    candidates = run("List.jsx", "jsx", source)
    assert [line for line, _ in found(candidates)] == [3, 4, 5, 5]
    assert found(candidates, clear=False) == []


def test_page_description_meta_is_visible_but_viewport_is_not() -> None:
    source = """export const Head = () => (
  <head>
    <meta name="description" content="Generated by create next app" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta property="og:title" content="Winter sale" />
  </head>
);
"""
    assert [line for line, _ in found(run("Head.tsx", "tsx", source))] == [3, 5]
