import pytest

from osint.extract.recognizers.urls import find


def found(text: str) -> list[tuple[str, str, str]]:
    return [(f.value, text[f.start : f.end], f.detail) for f in find(text)]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        (
            "Visit https://www.Example.co.uk/shop?id=1).",
            "https://www.Example.co.uk/shop?id=1",
            "example.co.uk",
        ),
        ("see http://chem-supply.cn, ok", "http://chem-supply.cn", "chem-supply.cn"),
        ("www.chem-shop.cn/a.html.", "www.chem-shop.cn/a.html", "chem-shop.cn"),
        ("shop at shop.example.cn/p/1 today", "shop.example.cn/p/1", "example.cn"),
        ("site: example.com.", "example.com", "example.com"),
        ("EXAMPLE.COM", "EXAMPLE.COM", "example.com"),
        ("Example.com", "Example.com", "example.com"),
        ("Website:pharma-store.ru", "pharma-store.ru", "pharma-store.ru"),
        (
            "https://en.wikipedia.org/wiki/Fentanyl_(drug)",
            "https://en.wikipedia.org/wiki/Fentanyl_(drug)",
            "wikipedia.org",
        ),
        ("x.blogspot.com", "x.blogspot.com", "x.blogspot.com"),
    ],
)
def test_urls(text: str, written: str, value: str) -> None:
    assert found(text) == [(value, written, written)]


@pytest.mark.parametrize(
    "text",
    [
        "product.html index.php image.jpg setup.py README.md archive.zip logo.ai",
        "Hebei Huanhao Co.Ltd and Wuhan Inc.com",
        "end of sentence.Next sentence",
        "e.g. i.e. U.S. 1.5kg v2.0",
        "t.me/pharma_king wa.me/8613812345678",
        "http://192.168.1.1/admin http://localhost:8080/",
        "sales@example.com",
        "foo.Com",
        "/static/site.com.js",
    ],
)
def test_not_urls(text: str) -> None:
    assert found(text) == []
