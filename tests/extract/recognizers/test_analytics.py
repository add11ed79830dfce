import itertools

from osint.extract.recognizers import find_analytics_ids, find_identifiers

HTML = """<html><head>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF"></script>
<script>gtag('config', 'G-AB12CD34EF'); ga('create', 'UA-12345678-1', 'auto');</script>
<script>(function(w,d,s,l,i){})(window,document,'script','dataLayer','GTM-5XK2QLP');</script>
<script data-ad-client="ca-pub-1234567890123456" async></script>
<script>fbq('init', '1234567890123'); fbq('track', 'PageView');</script>
<noscript><img src="https://www.facebook.com/tr?id=1234567890123&ev=PageView"></noscript>
<script>ym(87654321, "init", {clickmap:true});</script>
<script>var hm = document.createElement("script");
hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef";</script>
</head><body>G-ABCDEFGHIJ is a word here; UA-123 too; pub-123.</body></html>"""


def test_analytics_ids_in_raw_html() -> None:
    found = find_analytics_ids(HTML)
    assert [(f.value, f.detail) for f in found] == [
        ("analytics:G-AB12CD34EF", "google-analytics-4"),
        ("analytics:G-AB12CD34EF", "google-analytics-4"),
        ("analytics:UA-12345678", "google-analytics"),
        ("analytics:GTM-5XK2QLP", "google-tag-manager"),
        ("analytics:pub-1234567890123456", "google-adsense"),
        ("analytics:fbq-1234567890123", "facebook-pixel"),
        ("analytics:fbq-1234567890123", "facebook-pixel"),
        ("analytics:ym-87654321", "yandex-metrika"),
        ("analytics:hm-0123456789abcdef0123456789abcdef", "baidu-tongji"),
    ]
    written = [HTML[f.start : f.end] for f in found]
    assert written[2] == "UA-12345678-1"
    assert written[4] == "ca-pub-1234567890123456"
    assert written[5] == "1234567890123"


def test_find_identifiers_on_raw_html_keeps_analytics_over_urls() -> None:
    found = find_identifiers(HTML)
    labels = {(f.label, f.value) for f in found}
    assert ("ANALYTICS_ID", "analytics:hm-0123456789abcdef0123456789abcdef") in labels
    assert ("ANALYTICS_ID", "analytics:G-AB12CD34EF") in labels
    assert ("URL", "googletagmanager.com") not in labels  # its URL holds the GA4 id
    assert ("URL", "facebook.com") not in labels
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_lookalikes_are_not_analytics_ids() -> None:
    text = "Grade G-ABCDEFGHIJ, UA-1234-x, GTM-12, pub-12345, ym(12)"
    assert find_analytics_ids(text) == []
