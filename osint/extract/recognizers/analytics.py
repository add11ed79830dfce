"""Web analytics and advertising account ids: one operator's storefronts often share them.

Ids as the vendors' own snippets write them, mostly in raw HTML scripts:

* Google Analytics (Universal): "UA-<account>-<view>"; value the property "UA-<account>".
* Google Analytics 4: "G-" + 10 upper-case letters/digits, only inside `gtag('config', ...)`,
  after "id=" (gtag.js URL) or a "measurement id" key, since "G-..." alone is an ordinary word.
* Google Tag Manager: "GTM-" + 4..9 upper-case letters/digits.
* Google AdSense publisher: "pub-" / "ca-pub-" + 16 digits; value "pub-<digits>".
* Facebook (Meta) pixel: `fbq('init', '<digits>')` or "facebook.com/tr?id=<digits>";
  value "fbq-<digits>".
* Yandex Metrika: `ym(<digits>, ...)` or "mc.yandex.ru/watch/<digits>"; value "ym-<digits>".
* Baidu Tongji: "hm.baidu.com/hm.js?<32 hex>"; value "hm-<hex>".

Values are "analytics:<id>", `detail` names the product.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from osint.extract.recognizers.found import Found

_Q = r"""['"]"""
# (pattern, product, value prefix): the id is the last group that matched; the span is the
# group "tok" if the pattern has one (the whole id as written), else the id.
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"(?<![A-Za-z0-9-])(?P<tok>(UA-\d{4,10})-\d{1,4})(?![A-Za-z0-9-])"),
        "google-analytics",
        "",
    ),
    (
        re.compile(
            rf"(?:gtag\(\s*{_Q}config{_Q}\s*,\s*{_Q}|(?<![A-Za-z0-9_])id=|"
            rf"(?i:measurement_?id){_Q}?\s*[:=]\s*{_Q})(G-[A-Z0-9]{{10}})(?![A-Za-z0-9])"
        ),
        "google-analytics-4",
        "",
    ),
    (re.compile(r"(?<![A-Za-z0-9-])(GTM-[A-Z0-9]{4,9})(?![A-Za-z0-9])"), "google-tag-manager", ""),
    (re.compile(r"(?<![A-Za-z0-9-])(?P<tok>(?:ca-)?pub-(\d{16}))(?!\d)"), "google-adsense", "pub-"),
    (
        re.compile(
            rf"fbq\(\s*{_Q}init{_Q}\s*,\s*{_Q}?(\d{{6,20}})|facebook\.com/tr/?\?id=(\d{{6,20}})"
        ),
        "facebook-pixel",
        "fbq-",
    ),
    (
        re.compile(r"(?<![A-Za-z0-9_.])ym\(\s*(\d{5,12})\s*,|mc\.yandex\.ru/watch/(\d{5,12})"),
        "yandex-metrika",
        "ym-",
    ),
    (re.compile(r"hm\.baidu\.com/hm\.js\?([0-9a-f]{32})(?![0-9a-f])"), "baidu-tongji", "hm-"),
)


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """Analytics ids in text or raw HTML (country_hint is unused)."""
    for pattern, product, prefix in _PATTERNS:
        for match in pattern.finditer(text):
            group = max(i for i, g in enumerate(match.groups(), 1) if g is not None)
            start, end = match.span("tok" if "tok" in pattern.groupindex else group)
            yield Found("ANALYTICS_ID", start, end, f"analytics:{prefix}{match[group]}", product)


def find_analytics_ids(html: str) -> list[Found]:
    """Analytics ids in raw HTML (or any text), sorted by position, each place once."""
    seen: set[tuple[int, int]] = set()
    out = []
    for found in sorted(find(html), key=lambda f: (f.start, f.end)):
        if (found.start, found.end) not in seen:
            seen.add((found.start, found.end))
            out.append(found)
    return out
