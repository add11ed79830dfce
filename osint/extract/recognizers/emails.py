"""Email addresses, plain and obfuscated, lower-cased by `osint.normalize.normalize_email`.

Accepted: "sales@example.com", "mailto:sales@example.com", bracketed obfuscations
("sales(at)example(dot)com", "sales [at] example [dot] com", "{at}", "<at>", "[@]", "(.)"),
and the worded form "sales at example dot com" only when it cannot be ordinary English: the
domain spelled with " dot " and a common top-level domain, the local part not an English
word from the list below; or a literal-dot domain and a local part with a digit or [._+-].
The domain must end in a public suffix. An address that is the userinfo of a URL
("ftp://user@host") is not an email.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from osint.extract.recognizers.found import Found
from osint.normalize import normalize_email, registered_domain

_LOCAL = r"(?P<local>[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63})"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_START = r"(?<![A-Za-z0-9._%+\-])"
_END = r"(?![A-Za-z0-9\-]|\.[A-Za-z0-9])"

_PLAIN = re.compile(
    rf"{_START}(?:(?i:mailto):)?{_LOCAL}@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,24}}){_END}"
)
# "(at)", "[at]", and the Spanish and Portuguese "(arroba)", "(punto)", "(ponto)".
_AT = r"\s*[(\[{<]\s*(?:(?i:at|arroba)|@)\s*[)\]}>]\s*"
_DOT = r"\s*[(\[{<]\s*(?:(?i:dot|punto|ponto)|\.)\s*[)\]}>]\s*"
_BRACKETED = re.compile(
    rf"{_START}{_LOCAL}{_AT}(?P<domain>{_LABEL}(?:(?:{_DOT}|\.){_LABEL})+){_END}"
)
_WORDED = re.compile(
    rf"{_START}{_LOCAL}[ \t]+(?i:at)[ \t]+"
    rf"(?P<domain>{_LABEL}(?:(?:[ \t]+(?i:dot)[ \t]+|\.){_LABEL})+){_END}"
)
_DOT_WORD = re.compile(r"[ \t]+(?i:dot)[ \t]+")
_DOT_ANY = re.compile(rf"{_DOT}|[ \t]+(?i:dot)[ \t]+")
_URL_BEFORE = re.compile(r"://\S*$")

_COMMON_TLDS = frozenset(
    "com net org info biz cn hk tw ru in io co uk de fr nl es it pl ua kz us ca au jp kr vn "
    "th my sg id ph pk ir tr ae mx br ar eu me cc tv ws xyz top online site store shop".split()
)
_ENGLISH = frozenset(
    "a an the us me him her them it this that look looking arrive arrived stay staying be is "
    "are was were available sold buy bought order shop shopping here there find found meet "
    "see seen price prices priced work working live living based located now".split()
)


def _email(local: str, domain: str) -> str | None:
    address = normalize_email(f"{local}@{domain}")
    return address if address and registered_domain(domain) else None


def _in_url(text: str, start: int) -> bool:
    """Is text[start] inside a URL (userinfo "scheme://user@host")?"""
    return bool(_URL_BEFORE.search(text, max(0, start - 200), start))


def _worded_ok(match: re.Match[str]) -> bool:
    local, domain = match["local"], match["domain"]
    if local.lower() in _ENGLISH:
        return False
    tld = _DOT_WORD.split(domain)[-1].rsplit(".", 1)[-1].lower()
    if _DOT_WORD.search(domain):
        return tld in _COMMON_TLDS
    return bool(re.search(r"[0-9._%+\-]", local))


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """Email addresses in text (country_hint is unused)."""
    for match in _PLAIN.finditer(text):
        if _in_url(text, match.start()):
            continue
        if address := _email(match["local"], match["domain"]):
            yield Found("EMAIL", match.start(), match.end(), address)
    lowered = text.lower()
    if "at" not in lowered and "arroba" not in lowered:
        return
    for pattern in (_BRACKETED, _WORDED):
        for match in pattern.finditer(text):
            if pattern is _WORDED and not _worded_ok(match):
                continue
            domain = _DOT_ANY.sub(".", match["domain"])
            if address := _email(match["local"], domain):
                yield Found("EMAIL", match.start(), match.end(), address, match[0])
