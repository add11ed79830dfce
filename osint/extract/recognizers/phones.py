"""Phone numbers in running text, to E.164 with `osint.normalize.to_e164` (libphonenumber).

Two paths:

* After a phone or messenger label ("Tel:", "Mobile", "WhatsApp/Telegram:", "电话", "手机",
  "微信") a *possible* number is enough; after messenger labels `detail` lists the apps
  ("telegram,whatsapp"). wa.me / api.whatsapp.com links give the number with "whatsapp".
* Elsewhere a number needs a "+"/"00" prefix (then possible is enough) or must be *valid*
  (`phonenumbers.is_valid_number`): national numbers with the country hint, or an
  unprefixed international number written with separators ("86 138 1234 5678").

Candidates are digit groups joined by single separators (space, "-", ".", "(0)"), never part
of a longer word or number; the longest acceptable run of groups wins. Never a phone: CAS
numbers (`\\d{2,7}-\\d{2}-\\d`), dates, thousands-grouped amounts, a number after a currency
or order/product/lot word or before a unit, and (resolved by the caller) USCC and HS codes.
A hand-written candidate finder is used rather than `PhoneNumberMatcher`, whose leniency
levels cannot express these rules and which is several times slower on long pages.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

import phonenumbers
from phonenumbers import NumberParseException

from osint.extract.recognizers.found import Found
from osint.normalize import to_e164

_S = "[ \u00a0]"
_NUMBER = re.compile(
    rf"(?:\+{_S}?|00)?(?:\(\d{{1,5}}\){_S}?)?\d+"
    rf"(?:(?:{_S}?\(\d{{1,5}}\){_S}?|[ \u00a0.\-]|{_S}-{_S})\d+)*"
)
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9_+.\-/#$€£¥,%=&@])" + _NUMBER.pattern)
_GROUP = re.compile(r"\(\d+\)|\d+")
_GLUED_AFTER = re.compile(r"[A-Za-z0-9_%/@]|[,.]\d")

_APPS = ("whatsapp", "wechat", "telegram", "signal", "wickr", "viber")
_LABEL_WORD = (
    r"(?:(?<![A-Za-z])(?:telephone|tel|phone|mobile|mob|cellphone|cell|whats\s?app|wechat|"
    r"we\s?chat|weixin|telegram|signal|wickr(?:\s?me)?|viber)(?![A-Za-z])\.?|电话|手机|微信)"
)
_LABEL = re.compile(
    rf"{_LABEL_WORD}(?:\s*(?:[/&,|(]|or|and)\s*{_LABEL_WORD}\)?)*"
    r"(?:\s*(?i:number|no\.?|num\.?|#|id))?\s*[:\uff1a=]?\s*(?:\((?=\+))?(?=[+(\d])",
    re.I,
)
_LINK = re.compile(
    r"(?i:wa\.me/|api\.whatsapp\.com/send/?\?phone=|whatsapp://send/?\?phone=)\+?(\d{7,15})(?!\d)"
)
_BLOCKERS = re.compile(
    r"(?<![\d\-])\d{2,7}-\d{2}-\d(?![\d\-])"  # CAS registry number
    r"|(?<![\d.\-/])(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})(?![\d.\-/])"
    r"|(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"  # 1,250.00
)
_BEFORE = re.compile(
    r"(?<![A-Za-z])(?i:usd|us\$|eur|rmb|cny|gbp|inr|\$|€|£|¥|￥|price|cost|order|invoice|item|sku|"
    r"product|batch|lot|ref|reference|tracking|awb|model|part|cat|catalog|serial|code|id|no|"
    r"nr|number|#|cas|po|qty|quantity|page|vol|isbn|ein|vat)\.?\s*[:#]?\s*$"
)
_AFTER = re.compile(
    r"\s*(?i:usd|eur|rmb|cny|dollars?|kg|kgs|g|mg|ml|l|mt|tons?|tonnes?|pcs|units|%|times|"
    r"views|items|reviews)(?![A-Za-z])"
)
_MIN_DIGITS, _MAX_DIGITS, _MAX_GROUPS = 7, 17, 7


_NANP_SHAPE = re.compile(r"^(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}$")
_NANP_REGIONS = ("US", "CA")


def _is_valid(e164: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except NumberParseException:
        return False


def _apps(labels: str) -> str:
    lower = re.sub(r"\s", "", labels.lower()).replace("weixin", "wechat").replace("微信", "wechat")
    return ",".join(sorted(app for app in _APPS if app in lower))


class _Scan:
    """One text's blockers and parsed numbers; accepts runs of digit groups as phones."""

    def __init__(self, text: str, hint: str | None) -> None:
        self.text, self.hint = text, hint
        spans = [m.span() for m in _BLOCKERS.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.cache: dict[str, str | None] = {}

    def blocked(self, start: int, end: int) -> bool:
        i = bisect_left(self.ends, start + 1)  # first blocker ending after start
        return i < len(self.starts) and self.starts[i] < end

    def _e164(self, raw: str) -> str | None:
        if raw not in self.cache:  # pages repeat their numbers; parsing is the costly part
            value = None
            if self.hint not in _NANP_REGIONS and _NANP_SHAPE.match(raw):
                # "604-655-7956" is written the North American way, whatever the page's country.
                nanp = to_e164(raw, "US")
                value = nanp if nanp and _is_valid(nanp) else None
            self.cache[raw] = value or to_e164(raw, self.hint)
        return self.cache[raw]

    def accept(self, start: int, end: int, digits: int, labelled: bool) -> str | None:
        if not _MIN_DIGITS <= digits <= _MAX_DIGITS or self.blocked(start, end):
            return None
        raw = self.text[start:end]
        if labelled or raw.startswith(("+", "00")):
            # Even after a label a number must be valid: pages plant short or made-up numbers.
            e164 = self._e164(raw)
            return e164 if e164 and _is_valid(e164) else None
        if not self.hint and not any(c in raw for c in " \u00a0-.("):
            return None  # a bare digit string, its country guessed: an id as likely as a phone
        text = self.text
        if _BEFORE.search(text, max(0, start - 14), start) or _AFTER.match(text, end):
            return None
        e164 = self._e164(raw)
        return e164 if e164 and _is_valid(e164) else None

    def best(self, start: int, end: int, labelled: bool) -> Iterator[tuple[int, int, str]]:
        """The longest acceptable runs of groups in text[start:end], left to right."""
        groups = [m.span() for m in _GROUP.finditer(self.text, start, end)]
        if not groups:
            return
        sizes = [e - s - (2 if self.text[s] == "(" else 0) for s, e in groups]
        if self.text[start] == "+":
            groups[0] = (start, groups[0][1])
        # A long run of numbers is a list or a table: its members are tried one by one.
        width = 1 if len(groups) > 2 * _MAX_GROUPS else _MAX_GROUPS
        i = 0
        while i < len(groups):
            found = None
            for j in range(min(len(groups), i + width), i, -1):
                digits = sum(sizes[i:j])
                e164 = self.accept(groups[i][0], groups[j - 1][1], digits, labelled and i == 0)
                if e164:
                    found = (groups[i][0], groups[j - 1][1], e164)
                    i = j
                    break
            if found:
                yield found
            else:
                i += 1


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """Phone numbers in text; national numbers are read in `country_hint` (ISO2)."""
    scan = _Scan(text, country_hint)
    taken: list[tuple[int, int]] = []
    for link in _LINK.finditer(text):
        e164 = to_e164("+" + link[1])
        if e164:
            taken.append(link.span())
            yield Found("PHONE", link.start(), link.end(), e164, "whatsapp")
    for label in _LABEL.finditer(text):
        number = _NUMBER.match(text, label.end())
        if number is None or _GLUED_AFTER.match(text, number.end()):
            continue
        for start, end, e164 in scan.best(label.end(), number.end(), labelled=True):
            taken.append((start, end))
            yield Found("PHONE", start, end, e164, _apps(label[0]))
    taken.sort()
    for number in _CANDIDATE.finditer(text):
        start, end = number.span()
        if end - start < _MIN_DIGITS or _GLUED_AFTER.match(text, end):
            continue
        i = bisect_left(taken, (start + 1,))
        if i and taken[i - 1][1] > start:
            continue  # a labelled number or a link, found above
        for found in scan.best(start, end, labelled=False):
            yield Found("PHONE", *found)
