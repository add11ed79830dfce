"""Words one letter apart: the check itself, and the deletion index that finds them."""

from __future__ import annotations

import random

from osint.screen.index import Spellings, one_edit_apart


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), the textbook table."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def _words(rnd: random.Random, count: int) -> list[str]:
    # A three-letter alphabet: many words are one letter apart, some two, some equal.
    return ["".join(rnd.choices("abc", k=rnd.randint(3, 7))) for _ in range(count)]


def test_one_edit_apart_is_damerau_levenshtein_distance_one() -> None:
    rnd = random.Random(3)  # noqa: S311 (test data)
    words = _words(rnd, 300)
    for a in words[:120]:
        for b in words:
            assert one_edit_apart(a, b) == (_distance(a, b) == 1), (a, b)
    assert one_edit_apart("mamata", "iamata")  # changed
    assert one_edit_apart("pacific", "paciific")  # added
    assert one_edit_apart("golden", "godlen")  # swapped
    assert not one_edit_apart("golden", "golden")
    assert not one_edit_apart("abc", "bca")


def test_spellings_finds_every_word_one_letter_away_and_no_other() -> None:
    rnd = random.Random(5)  # noqa: S311 (test data)
    vocabulary = sorted(set(_words(rnd, 400)))
    spellings = Spellings.build(vocabulary)
    queries = [*_words(rnd, 200), "mamata", "zzzz"]
    for query in queries:
        expected = [w for w in vocabulary if _distance(query, w) == 1]
        assert spellings.near(query) == expected, query
    assert any(spellings.near(q) for q in queries)  # the data has neighbours to find


def test_words_near_a_misspelled_one_do_not_keep_out_rows_sharing_common_words() -> None:
    """ "john smith kowalxki": "kowalxki" is in no profile, its three neighbours in 900; john
    and smith are common (1,401 profiles each), one profile has both. That profile shares
    more weight than any neighbour's row, so it must be retrieved, first: the neighbours'
    rows must not stop the pairing of the query's common words."""
    import numpy as np

    from osint.screen.index import ScreenIndex
    from osint.screen.matcher import COMMON_CAP, NEAR_FACTOR

    spans = {
        "john": range(0, 1401),
        "smith": range(1400, 2801),
        "kowalski": range(3000, 3300),
        "kowalsky": range(3300, 3600),
        "kowalzki": range(3600, 3900),
    }
    slices, rows, offset = {}, [], 0
    for key, span in spans.items():
        slices[key] = (offset, offset + len(span))
        rows.extend(span)
        offset += len(span)
    index = ScreenIndex(
        "1", slices, np.array(rows, dtype=np.int32), np.zeros(3900, dtype=np.int8), {}, ()
    )
    near = [(w, NEAR_FACTOR * 300 / 900) for w in ("kowalski", "kowalsky", "kowalzki")]
    got, weights = index.ranked_names(
        ["john", "smith", "kowalxki"], ["person"], COMMON_CAP, 30, 0.2, near
    )
    assert got[0] == 1400
    assert weights[0] == round(2 / 1401, 12)
    assert set(got[1:]) <= set(range(3000, 3900))


def test_words_near_a_query_word_are_of_the_party_kind() -> None:
    """A traveler's misspelled word is looked for among persons' words only: a company's
    word one letter off takes none of the ten places."""
    import numpy as np

    from osint.screen.index import KIND_CODES, ScreenIndex

    slices = {"kowalski": (0, 10), "kowalsky": (10, 30)}
    kinds = np.array([KIND_CODES["person"]] * 10 + [KIND_CODES["organization"]] * 20, np.int8)
    index = ScreenIndex("1", slices, np.arange(30, dtype=np.int32), kinds, {}, ())
    assert index.near_spellings("kowalsk") == ["kowalsky", "kowalski"]  # most frequent first
    assert index.near_spellings("kowalsk", ["person"]) == ["kowalski"]
    assert index.near_spellings("kowalsk", ["organization", "person"]) == [
        "kowalsky",
        "kowalski",
    ]
