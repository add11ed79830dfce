"""The schema.org readers: JSON-LD blocks and microdata items, on small inline pages."""

from __future__ import annotations

from spiders.structured_data import read_json_ld, read_microdata, schema_nodes, types_of


def test_json_ld_single_node_list_and_graph() -> None:
    html = """<html><head>
    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
      "name": "1-Boc-4-piperidone"}</script>
    <script type="application/ld+json">[{"@type": "Organization", "name": "A"},
      {"@type": "Organization", "name": "B"}, 7]</script>
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "name": "page"}, {"@type": "Offer", "price": 35}]}</script>
    <script type="text/javascript">{"@type": "NotStructuredData"}</script>
    </head><body></body></html>"""
    nodes = read_json_ld(html)
    assert [n.get("name", n.get("price")) for n in nodes] == [
        "1-Boc-4-piperidone",
        "A",
        "B",
        "page",
        35,
    ]
    # The @context beside @graph is carried into the graph's nodes.
    assert nodes[3]["@context"] == "https://schema.org"
    assert all(n["@type"] != "NotStructuredData" for n in nodes)


def test_json_ld_type_attribute_is_matched_loosely() -> None:
    html = '<script type=" Application/LD+JSON; charset=utf-8">{"@type": "Thing"}</script>'
    assert read_json_ld(html) == [{"@type": "Thing"}]


def test_broken_json_is_reported_not_raised() -> None:
    html = """<script type="application/ld+json">{"@type": "Product", "name": "x",}</script>
    <script type="application/ld+json"><!-- {"@type": "Organization", "name": "Y"} --></script>
    <script type="application/ld+json">   </script>"""
    errors: list[str] = []
    nodes = read_json_ld(html, errors)
    # The commented-out block is still read; the empty one is ignored.
    assert nodes == [{"@type": "Organization", "name": "Y"}]
    assert len(errors) == 1
    assert errors[0].startswith("JSON-LD block 1 is not valid JSON")
    # Without an error list the problem is swallowed, not raised.
    assert read_json_ld(html) == nodes


def test_no_structured_data_and_empty_pages() -> None:
    assert read_json_ld("") == []
    assert read_microdata("") == []
    assert read_json_ld("<p>plain</p>") == []
    assert read_microdata("<p>plain</p>") == []


MICRODATA = """<html><body>
<div itemscope itemtype="https://schema.org/Product" itemid="#npp">
  <h1 itemprop="name">N-Phenethyl-4-piperidone</h1>
  <span itemprop="productID sku" content="39742-60-4">CAS 39742-60-4</span>
  <img itemprop="image" src="/img/npp.jpg">
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="price" content="120.00">$120</span>
    <meta itemprop="priceCurrency" content="USD">
    <time itemprop="priceValidUntil" datetime="2025-12-31">end of year</time>
    <div itemprop="seller" itemscope itemtype="https://schema.org/Organization">
      <a itemprop="url" href="/supplier/q.html"><span itemprop="name">Wuhan   Qianrun
        Co., Ltd.</span></a>
      <span itemprop="telephone">+86-27-5937-1142</span>
      <span itemprop="telephone">+86-27-5937-1143</span>
    </div>
  </div>
  <data itemprop="weight" value="1000">1 kg</data>
</div>
<p id="extra"><span itemprop="color">white</span></p>
<div itemscope itemtype="https://schema.org/Organization" itemref="extra">
  <span itemprop="name">Second item</span>
</div>
</body></html>"""


def test_microdata_items_nested_values_and_attributes() -> None:
    items = read_microdata(MICRODATA, "https://market.example/p/3.html")
    assert [i["type"] for i in items] == [
        ["https://schema.org/Product"],
        ["https://schema.org/Organization"],
    ]
    product = items[0]
    assert product["id"] == "https://market.example/p/3.html#npp"
    props = product["properties"]
    assert props["name"] == ["N-Phenethyl-4-piperidone"]
    # One element, two property names; the content attribute wins over the text.
    assert props["productID"] == props["sku"] == ["39742-60-4"]
    assert props["image"] == ["https://market.example/img/npp.jpg"]
    assert props["weight"] == ["1000"]
    [offer] = props["offers"]
    assert offer["type"] == ["https://schema.org/Offer"]
    assert offer["properties"]["price"] == ["120.00"]
    assert offer["properties"]["priceCurrency"] == ["USD"]
    assert offer["properties"]["priceValidUntil"] == ["2025-12-31"]
    [seller] = offer["properties"]["seller"]
    # A nested item's properties are its own, not its parent's.
    assert "telephone" not in offer["properties"]
    assert seller["properties"]["name"] == ["Wuhan Qianrun Co., Ltd."]
    assert seller["properties"]["url"] == ["https://market.example/supplier/q.html"]
    assert seller["properties"]["telephone"] == ["+86-27-5937-1142", "+86-27-5937-1143"]
    # itemref brings in properties from elsewhere on the page.
    assert items[1]["properties"] == {"name": ["Second item"], "color": ["white"]}


def test_microdata_as_schema_nodes() -> None:
    nodes = schema_nodes(read_microdata(MICRODATA), "microdata")
    product = nodes[0]
    assert types_of(product) == {"Product"}
    assert product["name"] == "N-Phenethyl-4-piperidone"
    assert product["offers"]["@type"] == "Offer"
    assert product["offers"]["seller"]["name"] == "Wuhan Qianrun Co., Ltd."
    assert product["offers"]["seller"]["telephone"] == ["+86-27-5937-1142", "+86-27-5937-1143"]
    assert types_of({"@type": ["schema:Organization", "http://schema.org/Store"]}) == {
        "Organization",
        "Store",
    }


def test_microdata_item_that_contains_itself_does_not_loop() -> None:
    html = """<div id="a" itemscope itemtype="https://schema.org/Thing" itemref="a">
      <span itemprop="name">loop</span></div>"""
    [item] = read_microdata(html)
    assert item["properties"]["name"] == ["loop"]
