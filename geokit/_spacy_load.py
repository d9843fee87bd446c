"""Load spaCy pipelines whose matrix products go through NumPy's BLAS.

thinc's default CPU ops multiply with the ``blis`` package, whose wheels fall
back to BLIS's slow reference kernel on CPUs they do not recognise (AMD Zen 4
here: 35 GFLOP/s against OpenBLAS's 100 on one thread). ``NumpyOps(use_blis=
False)`` is thinc's own switch to ``numpy.matmul``; the models and their
outputs are unchanged, and their tok2vec layers run about 1.8x faster.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_pipeline"]


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
