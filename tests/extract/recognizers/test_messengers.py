import pytest

from osint.extract.recognizers import find_identifiers
from osint.extract.recognizers.messengers import find


def found(text: str) -> list[tuple[str, str]]:
    return [(f.value, text[f.start : f.end]) for f in sorted(find(text), key=lambda f: f.start)]


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("Wickr: chemlab99", "wickr:chemlab99", "Wickr: chemlab99"),
        ("Wickr Me ID: chem.lab-99.", "wickr:chem.lab-99", "Wickr Me ID: chem.lab-99"),
        ("WeChat: wxid_abc123", "wechat:wxid_abc123", "WeChat: wxid_abc123"),
        ("WeChat ID: Chem_Supplier", "wechat:Chem_Supplier", "WeChat ID: Chem_Supplier"),
        ("微信\uff1achemsupply88", "wechat:chemsupply88", "微信\uff1achemsupply88"),
        ("Telegram @pharma_king", "telegram:pharma_king", "Telegram @pharma_king"),
        ("Telegram: @Pharma_King,", "telegram:pharma_king", "Telegram: @Pharma_King"),
        ("Skype: live:abc.chem", "skype:live:abc.chem", "Skype: live:abc.chem"),
        ("Skype ID: chem.sales", "skype:chem.sales", "Skype ID: chem.sales"),
        ("Threema ID: ABCD1234", "threema:ABCD1234", "Threema ID: ABCD1234"),
        ("Signal: chemlab.01", "signal:chemlab.01", "Signal: chemlab.01"),
        ("QQ: 123456789", "qq:123456789", "QQ: 123456789"),
        ("Line ID: chem_sales", "line:chem_sales", "Line ID: chem_sales"),
    ],
)
def test_labelled_handles(text: str, value: str, written: str) -> None:
    assert found(text) == [(value, written)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("join t.me/pharma_king now", "t.me/pharma_king"),
        ("https://t.me/pharma_king", "https://t.me/pharma_king"),
        ("telegram.me/pharma_king", "telegram.me/pharma_king"),
        ("https://t.me/s/pharma_king", "https://t.me/s/pharma_king"),
    ],
)
def test_telegram_links(text: str, written: str) -> None:
    assert found(text) == [("telegram:pharma_king", written)]


@pytest.mark.parametrize(
    "text",
    [
        "contact us on Telegram for details",  # no separator: "for" is a word
        "Telegram channel is open",
        "Telegram: abc",  # too short for a Telegram username
        "WeChat: 12345",  # digits are not a WeChat ID (a phone is the phone recognizer's)
        "Threema ID: ABC123",  # 6 characters, Threema ids have 8
        "line: 2",
        "t.me/joinchat/AAAAAEHbEt",
        "Signal: available",
        "Telegram @ab",
    ],
)
def test_not_handles(text: str) -> None:
    assert found(text) == []


def test_messenger_label_with_a_phone_is_a_phone() -> None:
    text = "WhatsApp/Telegram: +86 138 1234 5678; WeChat: +86 13812345678"
    assert [(f.label, f.value, f.detail) for f in find_identifiers(text)] == [
        ("PHONE", "+8613812345678", "telegram,whatsapp"),
        ("PHONE", "+8613812345678", "wechat"),
    ]


def test_telegram_link_is_not_a_url() -> None:
    assert [(f.label, f.value) for f in find_identifiers("https://t.me/pharma_king")] == [
        ("MESSENGER", "telegram:pharma_king")
    ]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ('on Wickr under the username "lianfa_sales"', ["wickr:lianfa_sales"]),
        ('used the Telegram account "@tbrooks_rx" to', ["telegram:tbrooks_rx"]),
        ("her wickr is amywu_chem, anyone dealt with her?", ["wickr:amywu_chem"]),
        ("WhatsApp only · Threema Y4NB8K2D · no calls", ["threema:Y4NB8K2D"]),
        (
            "Contact: Wickr dutchprec / Telegram @dutch_precursors",
            ["wickr:dutchprec", "telegram:dutch_precursors"],
        ),
        ("the Telegram channel is popular", []),
        ("Signal is a good app, but Wickr is better", []),
        ("on Telegram as well as", []),
    ],
)
def test_handles_written_in_prose(text: str, values: list[str]) -> None:
    assert [v for v, _ in found(text)] == values
