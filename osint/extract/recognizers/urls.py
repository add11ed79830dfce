"""Web addresses, as the registered domain (offline public suffix list) with the URL as written.

Accepted: "http(s)://..." URLs, "www." hosts, and bare host names ("example.com",
"shop.example.cn/path") whose last label is a public suffix written in lower case (or the
whole host in upper case). Rejected bare hosts: file names ("product.html", "setup.py",
"logo.ai": the extension list below wins over the country code), abbreviations glued to a
word ("Co.Ltd", "e.g.", "sentence.Next"), an email's domain (after "@"), and hosts without a
registered domain (IP addresses, "localhost"). Messenger and phone links (t.me, wa.me) are
left to the messenger and phone recognizers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from osint.extract.recognizers.found import Found
from osint.normalize import registered_domain

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_TAIL = r"[^\s<>\"'`{}|\\^\[\]]"
_URL = re.compile(
    rf"(?P<scheme>(?<![A-Za-z0-9])(?i:https?)://{_TAIL}+)"
    rf"|(?P<www>(?<![A-Za-z0-9.\-@/_%+])(?i:www)\.(?:{_LABEL}\.)+[A-Za-z]{{2,24}}"
    rf"(?::\d{{2,5}})?(?:[/?#]{_TAIL}*)?)"
    rf"|(?P<bare>(?<![A-Za-z0-9.\-@/_%+=&?#~])(?P<host>(?:{_LABEL}\.)+(?P<tld>[A-Za-z]{{2,24}}))"
    rf"(?![A-Za-z0-9\-_@]|\.[A-Za-z0-9])(?:(?::\d{{2,5}})?/{_TAIL}*)?)"
)
_TRAILING = ".,;:!?'\")]}>*"
_HOST = re.compile(r"^(?:[a-z]+://)?(?:[^/@?#]*@)?([^/:?#]+)", re.I)

_SKIP_HOSTS = frozenset(("t.me", "telegram.me", "telegram.dog", "wa.me"))
_FILE_EXTENSIONS = frozenset(
    "html htm shtml xhtml php asp aspx jsp cgi pl py rb rs sh js mjs ts css scss json xml yml "
    "yaml md txt csv tsv log ini cfg conf sql db bak tmp pdf doc docx xls xlsx ppt pptx odt rtf "
    "jpg jpeg png gif webp svg bmp ico tif tiff psd ai eps mp3 mp4 mov avi wav mkv flv webm zip "
    "rar gz tgz tar 7z exe dll msi apk dmg iso bin dat".split()
)
_ABBREVIATIONS = frozenset(
    "co inc ltd corp llc plc gmbh e i etc no nr vs mr mrs ms dr st jr sr fig approx ca u.s".split()
)


def _trim(url: str) -> str:
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _bare_ok(match: re.Match[str]) -> bool:
    host, tld = match["host"], match["tld"]
    if tld.lower() in _FILE_EXTENSIONS:
        return False
    if tld != tld.lower() and host != host.upper():
        return False
    return host.split(".", 1)[0].lower() not in _ABBREVIATIONS


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """URLs and host names in text (country_hint is unused)."""
    for match in _URL.finditer(text):
        if match["bare"] and not _bare_ok(match):
            continue
        url = _trim(match[0])
        host = _HOST.match(url)
        if host is None or host[1].lower().removeprefix("www.") in _SKIP_HOSTS:
            continue
        domain = registered_domain(url)
        if domain:
            start = match.start()
            yield Found("URL", start, start + len(url), domain, url)
