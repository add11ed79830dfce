"""The query party, name helpers, and the screening adjustments to the model's score.

The score itself comes from the resolution model (:mod:`osint.screen.scoring`). What the
model does not know about screening is added here as *adjustments*: small functions whose
docstring is the explanation an officer reads (one without a docstring is refused when it
is registered). Each returns (bits, query value, profile value), or None when it has
nothing to say; bits are added to the model's match weights. Their sizes are taken from the
model's own levels where there is one to borrow, so that they grow and shrink with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rigour.text.distance import jaro_winkler

from osint.store.screening_views import phonetic as _phonetic

if TYPE_CHECKING:
    from osint.screen.model import Comparison


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    return _phonetic(token)


@dataclass(slots=True)
class Party:
    """One name to screen: a traveler, or a shipper, consignee or notify party of a cargo line."""

    role: str
    name: str
    name_norm: str
    kinds: tuple[str, ...]
    dob: str | None = None
    countries: tuple[str, ...] = ()
    address_norm: str | None = None
    keys: tuple[str, ...] = ()
    fp: str = ""  # the fingerprint, once computed (osint.screen.queries.fingerprint)
    # The name's words found in so many profiles of the store that they say little on their
    # own ("trading", "logistics", "maria"): set by the matcher from the screening index.
    common: frozenset[str] = frozenset()


# Words that say nothing about who a party is; dropped from both names before comparing.
FILLER = frozenset({"and", "of", "the", "for", "pte", "de", "del", "la", "al", "el", "bin", "ibn"})
TOKEN_FLOOR = 0.87  # a word closer than this to a word of the other name "corresponds"
# Words of the same sound but spelled this differently, and not even beginning alike, are
# different words ("crown" and "green" are both KRN in metaphone).
SOUND_SPELLING = 0.7


def _word_sim(x: str, y: str) -> float:
    """How well two name words correspond: spelling, an initial for a word it begins, or
    the same sound (metaphone: "piotr" and "peter") counting as just enough when the words
    begin alike or are spelled at least SOUND_SPELLING alike."""
    if len(x) == 1 or len(y) == 1:  # an initial stands for any word it begins
        return 0.9 if x[0] == y[0] else 0.0
    sim = jaro_winkler(x, y)
    if (
        sim < TOKEN_FLOOR
        and (x[0] == y[0] or sim >= SOUND_SPELLING)
        and phonetic(x)
        and phonetic(x) == phonetic(y)
    ):
        return TOKEN_FLOOR
    return sim


@lru_cache(maxsize=200_000)
def comparable(name: str) -> tuple[str, ...]:
    """Words of a normalized name without filler words (kept when nothing else is left).
    Cached: a party's name and its candidates' names are asked for again and again."""
    words = tuple(name.split())
    kept = tuple(w for w in words if w not in FILLER)
    return kept or words


@lru_cache(maxsize=100_000)
def correspondence(
    q: tuple[str, ...], p: tuple[str, ...]
) -> tuple[tuple[str, int, float], ...] | None:
    """For each query word (longest first) its own profile word: (word, position in the
    profile name, similarity); None when a query word has no counterpart. Cached: the same
    names recur across a manifest."""
    free = list(range(len(p)))
    out: list[tuple[str, int, float]] = []
    for x in sorted(q, key=len, reverse=True):
        best, at = 0.0, -1
        for i in free:
            sim = _word_sim(x, p[i])
            if sim > best:
                best, at = sim, i
        if best < TOKEN_FLOOR:
            return None
        out.append((x, at, best))
        free.remove(at)
    return tuple(out)


@lru_cache(maxsize=100_000)
def aligned(query: str, profile_name: str) -> str | None:
    """The query's words in the order of the profile name's corresponding words ("WEHBE,
    Bilal Mohsen" -> "bilal mohsen wehbe"); None when some word has no counterpart."""
    q, p = query.split(), profile_name.split()
    if len(q) < 2 or len(p) < 2:
        return None
    pairs = correspondence(tuple(q), tuple(p))
    if pairs is None:
        return None
    return " ".join(w for w, _, _ in sorted(pairs, key=lambda x: x[1]))


def name_similarity(query: str, names: list[str]) -> float:
    """A cheap spelling similarity (0..1) of a normalized query name to any profile name,
    as written or with words sorted (used to skip hopeless candidates before scoring)."""
    q_tokens = comparable(query)
    if not q_tokens:
        return 0.0
    q_join, q_sorted = " ".join(q_tokens), " ".join(sorted(q_tokens))
    best = 0.0
    for name in names:
        tokens = comparable(name)
        if tokens:
            best = max(
                best,
                jaro_winkler(q_join, " ".join(tokens)),
                jaro_winkler(q_sorted, " ".join(sorted(tokens))),
            )
    return best


# -- adjustments ----------------------------------------------------------------------------

# (bits to add, query value, profile value), or None: nothing to say.
AdjustOut = tuple[float, str | None, str | None] | None
# (party, profile, the model's name comparison, the name's bits so far) -> AdjustOut
Adjustment = Callable[[Party, dict[str, Any], "Comparison", float], AdjustOut]
ADJUSTMENTS: dict[str, Adjustment] = {}


def adjustment(name: str) -> Callable[[Adjustment], Adjustment]:
    """Register a screening adjustment; its docstring's first line is its explanation."""

    def register(func: Adjustment) -> Adjustment:
        if not (func.__doc__ or "").strip():
            raise TypeError(
                f"screening adjustment {name!r} has no docstring: it cannot explain itself"
            )
        ADJUSTMENTS[name] = func
        return func

    return register


def describe(name: str) -> str:
    """The one-line explanation of an adjustment."""
    doc = ADJUSTMENTS[name].__doc__ or ""
    return doc.strip().splitlines()[0]


@adjustment("name_words")
def name_words(party: Party, profile: dict[str, Any], name: Comparison, bits: float) -> AdjustOut:
    """Name words: each word matches a word of a listed name, spelled or sounding alike.

    Transliterations, initials, filler words, another word order, a middle name left out.
    The model compares whole names letter by letter. Screening also compares words (filler
    words such as "al" or "and" left out). Counted as the model's exact-name level: the same
    words; or two words or more all found as written in a listed name with at most one word
    more; or three words or more each spelled or sounding like their own word of a listed
    name with at most one word more. Counted as its strictest close-spelling level: two
    words or more each spelled or sounding like their own word of a listed name. A listed
    name with words the query lacks counts only when one of the query's words is not a
    common one (found in many profiles): "Northern Logistics" is not "Bofa Northern
    Logistics".
    """
    exact = name.find("exact", "name_norm")
    close = name.find("jaro_winkler", "name_norm")
    if bits >= max(exact.weight if exact else bits, close.weight if close else bits):
        return None  # the model's own level is already as strong
    query = comparable(party.name_norm)
    distinctive = not set(query) <= party.common
    best, best_name = bits, None
    for listed in profile.get("names_norm") or []:
        words = comparable(listed)
        target = None
        one_more = len(words) - len(query) <= 1
        if set(query) == set(words):
            target = exact
        elif not distinctive and len(set(words)) > len(set(query)):
            continue  # only common words: a longer listed name is another entity's
        elif len(query) >= 2 and one_more and set(query) <= set(words):
            target = exact
        elif len(query) >= 2:
            strong = len(query) >= 3 and one_more  # may count as the exact level
            if not strong and (close is None or close.weight <= best):
                continue  # the close level would not add anything: spare the word matching
            if correspondence(query, words) is None:
                continue
            target = exact if strong else close
        if target is not None and target.weight > best:
            best, best_name = target.weight, listed
    if best_name is None:
        return None
    return best - bits, party.name_norm, best_name


@adjustment("one_word_name")
def one_word_name(
    party: Party, profile: dict[str, Any], name: Comparison, bits: float
) -> AdjustOut:
    """One word alone ("Smith") is not a person's name: it counts at most as a close spelling."""
    if party.kinds != ("person",) or len(comparable(party.name_norm)) != 1:
        return None
    cap = name.find("jaro_winkler", "name_norm")
    if cap is None or bits <= cap.weight:
        return None
    return cap.weight - bits, party.name_norm, None
