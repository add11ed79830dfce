"""Running the text pipeline over pages: spaCy in batches (and worker processes), then the
domain rules and record assembly. Used by the store loop, ``osint extract --file`` and
``osint eval extract`` alike, so all three see the same thing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from osint.extract.assemble import assemble
from osint.extract.mentions import Mention, mentions, model_entities
from osint.extract.nlp import PipelineSpec, build_pipeline, pipeline_version
from osint.extract.text import PageInput
from osint.records import Record


@dataclass(slots=True)
class PageResult:
    """What one page gave."""

    page: PageInput
    mentions: list[Mention]
    records: list[Record]
    # What the statistical model said, before the domain rules: (start, end, label).
    model_entities: list[tuple[int, int, str]]


class TextExtractor:
    """The configured pipeline, loaded once; `run` streams pages through it."""

    def __init__(self, spec: PipelineSpec, n_process: int = 1, batch_size: int = 64) -> None:
        self.spec = spec
        self.nlp: Language = build_pipeline(spec)
        self.version = pipeline_version(spec)
        self.origin = f"nlp:{self.version}"
        self.n_process = n_process
        self.batch_size = batch_size

    def run(self, pages: Iterable[PageInput], many: bool | None = None) -> Iterator[PageResult]:
        """Results in the order of `pages`, streamed: `pages` may be a generator reading the
        store as spaCy asks for more. Worker processes (`n_process`) are started once, and only
        when `many` (by default: a list of at least four batches)."""
        if many is None:
            many = isinstance(pages, list) and len(pages) >= 4 * self.batch_size
        waiting: deque[PageInput] = deque()

        def docs() -> Iterator[Doc]:
            for page in pages:
                doc = self.nlp.make_doc(page.text)
                if page.country:
                    doc.user_data["country"] = page.country
                waiting.append(page)
                yield doc

        n_process = self.n_process if many else 1
        for doc in self.nlp.pipe(docs(), batch_size=self.batch_size, n_process=n_process):
            page = waiting.popleft()
            ents = model_entities(doc)
            found = mentions(doc, page.html, page.fields, ents)
            model = [(start, end, label) for start, end, label, _text in ents]
            yield PageResult(page, found, assemble(page, found, self.origin), model)

    def one(self, page: PageInput) -> PageResult:
        return next(self.run([page]))
