import pytest

from osint.extract.recognizers import find_identifiers
from osint.extract.recognizers.emails import find


def found(text: str) -> list[tuple[str, str]]:
    return [(f.value, text[f.start : f.end]) for f in sorted(find(text), key=lambda f: f.start)]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("Email: Sales@Example.COM.", "Sales@Example.COM", "sales@example.com"),
        (
            "<a href='mailto:info@chem-supply.cn'>",
            "mailto:info@chem-supply.cn",
            "info@chem-supply.cn",
        ),
        (
            "write to j.doe+rc@mail.example.co.uk, thanks",
            "j.doe+rc@mail.example.co.uk",
            "j.doe+rc@mail.example.co.uk",
        ),
        ("sales(at)example(dot)com", "sales(at)example(dot)com", "sales@example.com"),
        ("sales [at] example [dot] com", "sales [at] example [dot] com", "sales@example.com"),
        ("sales {at} example.com", "sales {at} example.com", "sales@example.com"),
        (
            "sales [AT] shop [DOT] example [DOT] cn",
            "sales [AT] shop [DOT] example [DOT] cn",
            "sales@shop.example.cn",
        ),
        ("sales at chemshop dot com", "sales at chemshop dot com", "sales@chemshop.com"),
        ("lab_99 at chemshop.net", "lab_99 at chemshop.net", "lab_99@chemshop.net"),
    ],
)
def test_emails(text: str, written: str, value: str) -> None:
    assert found(text) == [(value, written)]


@pytest.mark.parametrize(
    "text",
    [
        "look at example dot com",
        "prices at amazon.com are high",
        "we met at noon dot",
        "logo@2x.png",
        "http://user@example.com/path",
        "ftp://user:pass@files.example.com",
        "sales@localhost",
        "a@b",
        "sales@example.c",
    ],
)
def test_not_emails(text: str) -> None:
    assert found(text) == []


def test_email_wins_over_its_domain_as_url() -> None:
    text = "sales [at] example.com or info@chem.cn"
    assert [(f.label, f.value) for f in find_identifiers(text)] == [
        ("EMAIL", "sales@example.com"),
        ("EMAIL", "info@chem.cn"),
    ]


def test_url_userinfo_is_a_url_not_an_email() -> None:
    assert [(f.label, f.value) for f in find_identifiers("http://user@example.com/x")] == [
        ("URL", "example.com")
    ]


def test_spanish_obfuscation() -> None:
    text = "Correo: ventas.norte(arroba)quimicanortena(punto)com.mx"
    assert [f.value for f in find_identifiers(text)] == ["ventas.norte@quimicanortena.com.mx"]
