"""Adversarial file contents for every language the bundled rules check (issue 11, "Nothing hangs").

Each kind is a whole file: 1 MB of base64 in a string literal, 1 MB of ``/`` and ``.`` (in a
string and in a comment), a 1 MB minified bundle on one line, 200 lines of 5,000 characters, and
5,000-deep nesting. Used by tests/detectors/test_adversarial.py and bench/adversarial_speed.py.
"""

from __future__ import annotations

import base64
import random

MB = 1_000_000
DEPTH = 5_000
EXTENSIONS = {
    "python": "py",
    "javascript": "js",
    "jsx": "jsx",
    "typescript": "ts",
    "tsx": "tsx",
    "css": "css",
    "scss": "scss",
    "html": "html",
    "json": "json",
    "yaml": "yaml",
}
KINDS = ("base64", "slashes-dots", "minified", "long-lines", "deep-nesting")


def _repeat(chunk: str, size: int) -> str:
    return (chunk * (size // len(chunk) + 1))[:size]


def blob(size: int = MB) -> str:
    return base64.b64encode(random.Random(11).randbytes(size * 3 // 4 + 3)).decode()[:size]


def _string_file(language: str, value: str, comment: str = "") -> str:
    """A file whose one statement holds ``value`` in a string literal (and ``comment`` in a comment)."""
    if language == "python":
        return f'# {comment}\nDATA = "{value}"\n'
    if language in ("javascript", "jsx", "typescript", "tsx"):
        return f'// {comment}\nexport const DATA = "{value}";\n'
    if language in ("css", "scss"):
        return f'/* {comment} */\n.a {{ background: url("data:font/woff2;base64,{value}"); }}\n'
    if language == "html":
        return f'<!-- {comment} -->\n<img src="data:image/png;base64,{value}" alt="x">\n'
    if language == "json":
        return f'{{"data": "{value}", "note": "{comment}"}}\n'
    return f'# {comment}\ndata: "{value}"\n'


_MINIFIED = {
    "python": 'a=1;b=[2,3.5,"#ff0000"];c={"k":"Hello world, please save"};d=f(a,b)*1.19;',
    "javascript": 'function a(b,c){return b.d[c]/2+e.f("Save changes","#3b82f6")}var g={h:1,i:[2,3]},j=k?l:m;',
    "jsx": 'function A(b){return React.createElement("div",{style:{color:"#fff",margin:12}},"Save changes")};',
    "typescript": 'export function a(b:number,c:string):string{return c.repeat(b*3)+"Save changes #fff"};',
    "tsx": 'export const A=(p:P)=>React.createElement("p",{className:"p-[3px] bg-[#fff]"},"Hello there");',
    "css": ".a{color:#fff;margin:0 1px;background:rgb(1,2,3)}.b:hover{padding:3px 4px}@media(max-width:9px){.c{top:0}}",
    "scss": "$x:#fff;.a{color:$x;.b{margin:3px;&:hover{color:#000}}}@include m(1px);",
    "html": '<div class="p-[3px] bg-[#fff]" style="color:red">Save changes</div><p>Hello world</p>',
    "json": '"k{i}":{"title":"Save your changes","n":"{{count}} items","x":"#fff"},',
    "yaml": "k{i}: {title: Save your changes, n: '{{count}} items'}, ",
}


def _minified(language: str, size: int) -> str:
    chunk = _MINIFIED[language]
    if language == "json":
        body = "".join(chunk.replace("{i}", str(i)) for i in range(size // len(chunk) + 1))
        return "{" + body[: size - 20].rsplit(",", 1)[0].rsplit('"k', 1)[0].rstrip(",") + "}\n"
    if language == "yaml":
        body = "".join(chunk.replace("{i}", str(i)) for i in range(size // len(chunk) + 1))
        return "{" + body[: size - 20].rsplit(", k", 1)[0] + "}\n"
    return _repeat(chunk, size).rsplit(chunk[-1], 1)[0] + chunk[-1] + "\n"


def _long_lines(language: str, lines: int = 200, width: int = 5_000) -> str:
    words = _repeat("Save your changes before leaving 1.19 #ff0000 snake_case fooBar /a/b.c ", width - 40)
    out = []
    for i in range(lines):
        if language == "python":
            out.append(f'x{i} = "{words}"  # {words[:200]}')
        elif language in ("javascript", "jsx", "typescript", "tsx"):
            out.append(f'const x{i} = "{words}"; // {words[:200]}')
        elif language in ("css", "scss"):
            out.append(f".c{i} {{ margin: {'3px ' * (width // 5)}; color: #ff0000; }} /* {words[:200]} */")
        elif language == "html":
            out.append(f'<p class="c{i}">{words}</p>')
        elif language == "json":
            out.append(f'  "k{i}": "{words}",')
        else:
            out.append(f'k{i}: "{words}"')
    if language == "json":
        return "{\n" + "\n".join(out).rstrip(",") + "\n}\n"
    return "\n".join(out) + "\n"


# One expression 3,000 operands deep, each operand a candidate: walks from each candidate up to the
# root (tree-sitter's Node.parent is itself a walk down from the root) must not multiply.
CHAIN = " + ".join(['"Save changes"', '"#ff0000"', "1.5"] * 1000)


def _deep(language: str, depth: int = DEPTH) -> str:
    if language == "python":
        return _nested(language, depth) + f"z = {CHAIN}\n"
    if language in ("javascript", "jsx", "typescript", "tsx"):
        return _nested(language, depth) + f"const z = {CHAIN};\n"
    return _nested(language, depth)


def _nested(language: str, depth: int) -> str:
    if language == "python":
        return "x = " + "[" * depth + "1.5" + "]" * depth + "\n" + "y = " + "f(" * depth + "2.5" + ")" * depth + "\n"
    if language in ("javascript", "typescript"):
        return (
            "const x = "
            + "[" * depth
            + "1.5"
            + "]" * depth
            + ";\nconst y = "
            + "{a:" * depth
            + "2"
            + "}" * depth
            + ";\n"
        )
    if language in ("jsx", "tsx"):
        return "const x = " + "<div>" * depth + "Save changes" + "</div>" * depth + ";\n"
    if language == "css":
        return (
            ".a { color: "
            + "calc(" * depth
            + "1px"
            + ")" * depth
            + "; }\n"
            + ".b{" * depth
            + "color:#fff"
            + "}" * depth
        )
    if language == "scss":
        return ".a {" * depth + "margin: 3px; color: #fff;" + "}" * depth + "\n"
    if language == "html":
        return "<div>" * depth + "Save changes" + "</div>" * depth + "\n"
    if language == "json":
        return '{"a": ' * depth + '"Save changes"' + "}" * depth + "\n"
    return "a: " + "{a: " * depth + "Save changes" + "}" * depth + "\n"


def adversarial_file(language: str, kind: str) -> tuple[str, bytes]:
    """(path, content) of one adversarial file; locale-shaped paths so locale rules look at JSON/YAML."""
    extension = EXTENSIONS[language]
    path = f"locales/en/{kind}.{extension}" if language in ("json", "yaml") else f"src/{kind}.{extension}"
    if kind == "base64":
        text = _string_file(language, blob(), "")
    elif kind == "slashes-dots":
        text = _string_file(language, _repeat("/.", MB // 2), _repeat("/.", MB // 2))
    elif kind == "minified":
        text = _minified(language, MB)
    elif kind == "long-lines":
        text = _long_lines(language)
    else:
        text = _deep(language)
    return path, text.encode("utf-8")
