"""Messenger handles that are not phone numbers, as "app:handle" (app lower case).

Accepted after an app label with a colon, "=", an "ID"/"username" word or an "@":
"Wickr: chemlab99", "WeChat ID: wxid_abc123", "Telegram @pharma_king", "Skype: live:abc",
"Threema ID: ABCD1234", "QQ: 123456789", "Line ID: chem.sales", "Signal: chem.01"; and
Telegram links "t.me/pharma_king" (also telegram.me, "t.me/s/<name>"; not invite or
sticker links). Handles are kept as written, minus a leading "@". Each app's handle rule:
Telegram 5..32 of [A-Za-z0-9_] starting with a letter; WeChat 6..20 of [A-Za-z0-9_-]
starting with a letter; Threema 8 of [A-Z0-9*]; QQ 5..12 digits; the others 3..32 of
[A-Za-z0-9._-]. A label followed by a phone number is the phone recognizer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from osint.extract.recognizers.found import Found

_APP_NAMES = {
    "wechat": "wechat",
    "we chat": "wechat",
    "weixin": "wechat",
    "微信": "wechat",
    "telegram": "telegram",
    "signal": "signal",
    "wickr": "wickr",
    "wickr me": "wickr",
    "wickrme": "wickr",
    "skype": "skype",
    "threema": "threema",
    "qq": "qq",
    "line": "line",
}
_LABELLED = re.compile(
    r"(?:(?<![A-Za-z])(?P<app>wechat|we\s?chat|weixin|telegram|signal|wickr(?:\s?me)?|skype|"
    r"threema|qq|line)(?![A-Za-z])|(?P<cjk>微信))"
    r"(?P<kw>\s*(?:id|account|user(?:name)?|handle|号|账号)(?![A-Za-z]))?"
    r"\s*(?P<sep>[:\uff1a=])?\s*\(?(?P<at>@)?(?P<handle>[A-Za-z0-9*][A-Za-z0-9_.\-:*]{1,40})",
    re.I,
)
# Prose in press releases and forum posts: 'on Wickr under the username "lianfa_sales"',
# 'Telegram account "@tbrooks_rx"', "her wickr is amywu_chem", "Threema Y4NB8K2D".
_PROSE = re.compile(
    r"(?<![A-Za-z])(?P<app>wechat|telegram|signal|wickr|skype|threema)(?![A-Za-z])"
    r"(?P<gap>[^.;:]{0,60}?)(?<![A-Za-z])(?P<kw>username|user\s+name|handle|account|id|is|as)"
    r"\s+(?P<q>[\"\u201c'])?(?P<at>@)?(?=[A-Za-z0-9])",
    re.I,
)
_THREEMA_BARE = re.compile(r"(?<![A-Za-z])threema\s+(?=[A-Z0-9]{8}(?![A-Za-z0-9]))(?=\S*\d)", re.I)
_CONTACT_LINE = re.compile(
    r"(?im)^[^\n]*\bcontact\b[^\n]*?(?<![A-Za-z])(?P<app>wickr|telegram|signal|threema|skype)"
    r"\s+(?P<at>@)?(?=[A-Za-z0-9])"
)
_HANDLES = {
    "telegram": re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}"),
    "wechat": re.compile(r"[A-Za-z][A-Za-z0-9_\-]{5,19}"),
    "threema": re.compile(r"[A-Z0-9*]{8}"),
    "qq": re.compile(r"[1-9]\d{4,11}"),
    "skype": re.compile(r"live:[A-Za-z0-9_.\-]{3,40}|[A-Za-z][A-Za-z0-9_.\-]{5,31}"),
}
_GENERIC = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}")
_HANDLE_CHAR = re.compile(r"[A-Za-z0-9_]")
_LINK = re.compile(
    r"(?<![A-Za-z0-9.\-])(?:(?i:https?)://)?(?:www\.)?(?i:t\.me|telegram\.me|telegram\.dog)/"
    r"(?:s/)?@?(?P<handle>[A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])"
)
_RESERVED = frozenset(("joinchat", "addstickers", "addemoji", "share", "proxy", "socks"))
_NOT_HANDLES = frozenset(
    "available contact contacts same channel group official number phone account below above "
    "only please".split()
)


# Apps whose user names ignore case: stored lower case, so every spelling links.
_CASELESS = frozenset({"telegram", "skype"})


def _handle(app: str, text: str, start: int) -> str | None:
    pattern = _HANDLES.get(app, _GENERIC)
    match = pattern.match(text, start)
    if match is None:
        return None
    handle = match[0].rstrip(".-")
    after = start + len(handle)
    if after < len(text) and _HANDLE_CHAR.match(text, after):
        return None  # longer than the app allows, or not a handle
    if handle.lower() in _NOT_HANDLES or (app != "qq" and handle.isdigit()):
        return None
    return handle


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """Messenger handles in text (country_hint is unused: numbers are the phone recognizer's)."""
    for match in _LABELLED.finditer(text):
        if not (match["sep"] or match["kw"] or match["at"]):
            continue
        app = _APP_NAMES[re.sub(r"\s+", " ", (match["app"] or match["cjk"]).lower())]
        if app == "line" and not match["kw"]:
            continue  # "line: 2" is not a LINE account
        start = match.start("handle")
        handle = _handle(app, text, start)
        if handle:
            value = handle.lower() if app in _CASELESS else handle
            yield Found("MESSENGER", match.start(), start + len(handle), f"{app}:{value}")
    for pattern in (_PROSE, _THREEMA_BARE, _CONTACT_LINE):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            app = (groups.get("app") or "threema").lower()
            start = match.end()
            # "... is amywu_chem" only counts with quotes, an "@" or a handle-like name.
            handle = _handle(app, text, start)
            if handle is None:
                continue
            weak = groups.get("kw", "").lower() in ("is", "as") and not (
                groups.get("q") or groups.get("at")
            )
            if weak and not re.search(r"[\d_]", handle):
                continue
            value = handle.lower() if app in _CASELESS else handle
            begin = match.start("app") if groups.get("app") else match.start()
            yield Found("MESSENGER", begin, start + len(handle), f"{app}:{value}")
    for link in _LINK.finditer(text):
        handle = link["handle"]
        if handle.lower() not in _RESERVED:
            yield Found(
                "MESSENGER", link.start(), link.end(), f"telegram:{handle.lower()}", link[0]
            )
