"""Registration, vessel, container and tariff codes, each validated by its published rule.

* USCC: China's Unified Social Credit Code (GB 32100-2015), 18 characters, check character
  by `stdnum.cn.uscc`. An all-digit code (as likely to be an order number) needs a nearby
  label ("USCC", "credit code", "统一社会信用代码", "营业执照", "license").
* IMO ship number: "IMO" + 7 digits; the first six weighted 7..2, sum mod 10 == the 7th
  (IMO Resolution A.1117(30)).
* MMSI: "MMSI" + 9 digits of a ship station (ITU-R M.585): first digit 2..7, so the first
  three are its maritime identification digits (MID 201..775).
* Container: ISO 6346, owner code (3 letters) + category (U, J or Z) + 6-digit serial + check
  digit (letters valued 10.. skipping multiples of 11, weights 2^i, sum mod 11 mod 10), by
  `stdnum.iso6346`. Written "MSCU1234567", "MSCU 123456 7", "MSCU-123456-7".
* HS code: Harmonized System / HTS codes, 4..10 digits with or without dots, only after a
  label ("HS", "HS code", "H.S.", "HTS", "tariff", "customs code", "海关编码"); a list after
  one label ("HS 2933.39, 2934.99") gives each. Value: the digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iso6346
from stdnum.cn import uscc

from osint.extract.ofac_remarks import imo_is_valid
from osint.extract.recognizers.found import Found

_USCC = re.compile(
    r"(?<![A-Za-z0-9])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![A-Za-z0-9])"
)
_USCC_LABEL = re.compile(
    r"(?i:uscc|credit\s+code|business\s+licen[cs]e|registration\s+(?:no|number|code))"
    r"|统一社会信用代码|信用代码|营业执照|注册号"
)
_USCC_WINDOW = 40

_IMO = re.compile(r"(?<![A-Za-z])IMO(?:\s*(?:No\.?|Number|#))?\s*[:#.]?\s*(\d{7})(?![\d])", re.I)
_MMSI = re.compile(r"(?<![A-Za-z])MMSI(?:\s*(?:No\.?|Number|#))?\s*[:#.]?\s*(\d{9})(?!\d)", re.I)

_CONTAINER = re.compile(
    r"(?<![A-Za-z0-9])([A-Z]{3}[UJZ])[ \-]?(\d{6})[ \-]?(?:(\d)|\((\d)\))(?![A-Za-z0-9])"
)

_HS_LABEL = re.compile(
    r"(?:(?<![A-Za-z])(?:H\.S\.|HS|HTS(?:US)?)(?:\s*(?i:code|no\.?|number|heading))?"
    r"|(?<![A-Za-z])(?i:tariff(?:\s+(?:code|no\.?|number|heading|item))?|customs\s+code)"
    r"|(?<![A-Za-z])(?i:fracci[oó]n\s+arancelaria|c[oó]digo\s+arancelario|partida\s+arancelaria)"
    r"|海关编码|HS编码|商品编码)"
    r"\s*[:\uff1a#.]?\s*"
)
_HS_CODE = re.compile(r"\d{4}(?:\.?\d{2}){0,3}(?![\d])(?!\.\d)")
_HS_NEXT = re.compile(r"\s*(?:[,;/、]|\s(?:or|and)\s)\s*")


def _uscc(text: str) -> Iterator[Found]:
    for match in _USCC.finditer(text):
        code = match[0]
        if not uscc.is_valid(code):
            continue
        if code.isdigit():
            before = text[max(0, match.start() - _USCC_WINDOW) : match.start()]
            if not _USCC_LABEL.search(before):
                continue
        yield Found("USCC", match.start(), match.end(), f"uscc:{code}")


# Bill-of-lading tables put both under one heading: "IMO / MMSI  9859961 / 477688194".
_IMO_MMSI = re.compile(r"(?<![A-Za-z])IMO\s*/\s*MMSI\s*[:#]?\s*(\d{7})\s*/\s*(\d{9})(?!\d)", re.I)
# A dotted HS code ("2933.39.99") in a document that talks about HS codes somewhere.
_HS_DOTTED = re.compile(r"(?<![\d.])(\d{4})\.(\d{2})\.(\d{2}(?:\d{2})?)(?![\d.])")
_HS_CONTEXT = re.compile(r"(?<![A-Za-z])(?:HS|H\.S\.|HTS)(?![A-Za-z])|(?i:tariff|arancel)|海关编码")


def _imo(text: str) -> Iterator[Found]:
    for match in _IMO.finditer(text):
        if imo_is_valid(match[1]):
            yield Found("IMO", match.start(), match.end(), f"imo:{match[1]}")
    for match in _IMO_MMSI.finditer(text):
        if imo_is_valid(match[1]):
            yield Found("IMO", match.start(1), match.end(1), f"imo:{match[1]}")
        if _mmsi_ok(match[2]):
            yield Found("MMSI", match.start(2), match.end(2), f"mmsi:{match[2]}")


def _mmsi_ok(number: str) -> bool:
    """A ship's MMSI: 9 digits, its maritime identification digits 201-775."""
    return number[0] in "234567" and 201 <= int(number[:3]) <= 775


def _mmsi(text: str) -> Iterator[Found]:
    for match in _MMSI.finditer(text):
        number = match[1]
        if _mmsi_ok(number):
            yield Found("MMSI", match.start(), match.end(), f"mmsi:{number}")


def _containers(text: str) -> Iterator[Found]:
    for match in _CONTAINER.finditer(text):
        number = match[1] + match[2] + (match[3] or match[4])
        if iso6346.is_valid(number):
            yield Found("CONTAINER", match.start(), match.end(), f"container:{number}")


def _hs_codes(text: str) -> Iterator[Found]:
    labelled: set[int] = set()
    for label in _HS_LABEL.finditer(text):
        pos = label.end()
        while code := _HS_CODE.match(text, pos):
            digits = code[0].replace(".", "")
            labelled.add(code.start())
            yield Found("HS_CODE", code.start(), code.end(), digits, label[0].strip(" :\uff1a#"))
            sep = _HS_NEXT.match(text, code.end())
            if sep is None:
                break
            pos = sep.end()
    if _HS_CONTEXT.search(text):
        for match in _HS_DOTTED.finditer(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3][:2])
            if match.start() in labelled:
                continue
            if 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31:
                continue  # a date written 2024.05.03
            yield Found("HS_CODE", match.start(), match.end(), match[0].replace(".", ""))


# China's ICP filing number (MIIT's register of websites), shown in a Chinese site's footer:
# "鄂ICP备2021013579号-1" (province abbreviation, ICP备 or ICP证, the number, 号, the site's
# sequence). Sites with one filing number belong to one registrant.
_ICP = re.compile(r"([\u4e00-\u9fff])\s?ICP\s?([备证])\s?(\d{6,10})\s?号(?:\s?-\s?\d{1,3})?")


def _icp(text: str) -> Iterator[Found]:
    for match in _ICP.finditer(text):
        value = f"icp:{match[1]}ICP{match[2]}{match[3]}号"
        yield Found("ICP", match.start(), match.end(), value)


def find(text: str, country_hint: str | None = None) -> Iterator[Found]:
    """USCC, IMO, MMSI, container, ICP and HS codes in text (country_hint is unused)."""
    yield from _icp(text)
    yield from _uscc(text)
    yield from _imo(text)
    yield from _mmsi(text)
    yield from _containers(text)
    yield from _hs_codes(text)
