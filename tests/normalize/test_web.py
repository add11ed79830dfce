"""Registered domains and email addresses."""

from __future__ import annotations

import pytest

from osint.normalize import normalize_email, registered_domain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("www.havanaintbank.co.uk", "havanaintbank.co.uk"),
        ("http://WWW.Example.com/path", "example.com"),
        ("sub.shop.example.cn", "example.cn"),
        ("a@b.example.com", "example.com"),
        ("WWW.BNTDTORG.BY", "bntdtorg.by"),
        ("http://nitcsharjah.com/index.html", "nitcsharjah.com"),
        ("https://user:pw@host.example.org:8080/x", "example.org"),
        # uk.com is a private public suffix: its registrants are separate organisations.
        ("www.hib.uk.com", "hib.uk.com"),
    ],
)
def test_registered_domain(raw: str, expected: str) -> None:
    assert registered_domain(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "not a url", "localhost", "1.2.3.4", "co.uk", "com", "http://[::1"]
)
def test_registered_domain_invalid_is_none(raw: str) -> None:
    assert registered_domain(raw) is None


def test_registered_domain_is_offline_and_writes_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import tldextract.cache

    from osint.normalize import web

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("network or cache directory used")

    monkeypatch.setattr(socket.socket, "connect", forbidden)
    # tldextract creates its cache directory through this helper before any cache write.
    monkeypatch.setattr(tldextract.cache, "_make_dir", forbidden)
    web._extractor.cache_clear()
    try:
        assert registered_domain("www.example.co.jp") == "example.co.jp"
    finally:
        web._extractor.cache_clear()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Wakf_osra@hotmail.com", "wakf_osra@hotmail.com"),
        (" INFO@Peykasa.IR; ", "info@peykasa.ir"),
        ("mailto:x@y.com", "x@y.com"),
        ("a@b", None),
        ("a@@b.com", None),
        ("a@b..com", None),
        ("a b@c.com", None),
        ("foo", None),
        ("", None),
    ],
)
def test_normalize_email(raw: str, expected: str | None) -> None:
    assert normalize_email(raw) == expected
