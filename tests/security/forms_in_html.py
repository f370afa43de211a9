"""Read the links and forms of an HTML page the way a browser would submit them, so a test
can fill every form on the site without knowing it in advance."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", "textarea"}
NUMBER_TYPES = {"number", "range"}
DATE_TYPES = {"date", "datetime-local", "month", "time", "week"}
CHOICE_TYPES = {"select", "checkbox", "radio"}


@dataclass
class Field:
    name: str
    kind: str  # the input type, or "select" / "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)

    def baseline(self) -> dict[str, list[str]]:
        """What the browser sends when the form is submitted untouched."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in {"checkbox", "radio"}:
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
            elif f.kind == "select":
                chosen = f.selected or ([] if f.multiple else f.options[:1])
                data.setdefault(f.name, []).extend(chosen)
            elif f.kind not in {"file", "submit"}:
                data.setdefault(f.name, []).append(f.value)
        submit = next((f for f in self.fields if f.kind == "submit"), None)
        if submit:
            data.setdefault(submit.name, []).append(submit.value)
        return data

    @property
    def signature(self) -> tuple:
        return self.method, urlsplit(self.action).path, tuple(sorted({f.name for f in self.fields}))


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._by_id: dict[str, Form] = {}
        self._orphans: list[tuple[str, Field]] = []  # fields outside their form (form="id")
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: int | None = None  # index of an option that submits its text
        self._textarea: Field | None = None

    def _add(self, owner: str | None, f: Field) -> None:
        if owner:
            self._orphans.append((owner, f))
        elif self._form is not None:
            self._form.fields.append(f)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.url, a["href"]))
        elif tag == "form":
            self._form = Form(page=self.url, action=urljoin(self.url, a.get("action") or self.url),
                              method=(a.get("method") or "get").lower(),
                              multipart="multipart" in (a.get("enctype") or ""))
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "image"}:
                kind = "submit"
            elif kind == "button" or kind == "reset":
                return
            self._add(a.get("form"), Field(a["name"], kind, a.get("value") or "", checked="checked" in a))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._add(a.get("form"), Field(a["name"], "submit", a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._add(a.get("form"), self._select)
        elif tag == "option" and self._select is not None:
            # Without a value attribute an option submits its text, which handle_data reads.
            self._option = None if "value" in a else len(self._select.options)
            self._select.options.append(a.get("value") or "")
            if "selected" in a:
                self._select.selected.append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._add(a.get("form"), self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option is not None:
            text = self._select.options[self._option] + data.strip()
            if self._select.selected and self._select.selected[-1] == self._select.options[self._option]:
                self._select.selected[-1] = text
            self._select.options[self._option] = text

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._option = None

    def close(self):
        super().close()
        for owner, f in self._orphans:
            if owner in self._by_id:
                self._by_id[owner].fields.append(f)


def read_page(url: str, html: str) -> tuple[list[str], list[Form]]:
    """The absolute links and the forms of a page."""
    parser = _Parser(url)
    parser.feed(html)
    parser.close()
    return parser.links, parser.forms
