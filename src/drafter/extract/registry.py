"""Which template packs `drafter extract` can read a speech into.

A pack is extractable when its folder holds extract.yaml (its shape as data, read by
by_shape.py). Two packs whose prose varies more than a shape can say keep a hand-written
recogniser; it is used instead of the shape.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from ..packs.finder import TemplatePack, list_packs
from . import review_commentary, review_commentary_3part
from .by_shape import recognise_by_shape
from .recognition import Recogniser, Recognition
from .shapes import SHAPE_FILE, SHARED, load_shape, shape_file

HAND_WRITTEN: dict[str, Callable[..., Recognition]] = {
    review_commentary.PACK_ID: review_commentary.recognise,
    review_commentary_3part.PACK_ID: review_commentary_3part.recognise,
}


def recogniser_for(pack: TemplatePack) -> Recogniser | None:
    """The pack's recogniser: hand-written, else read from its extract.yaml; None if neither."""
    path = shape_file(pack.directory)
    if path is not None:
        shared = pack.search_path[-1] / SHARED / SHAPE_FILE
        return partial(recognise_by_shape, pack=pack, shape=load_shape(path, shared))
    if pack.id in HAND_WRITTEN:
        return partial(HAND_WRITTEN[pack.id], schema=pack.schema)
    return None


def extractable(near: Path | None = None) -> list[TemplatePack]:
    """Every pack (a local copy overriding the built-in) that extract can read speeches into."""
    seen: set[str] = set()
    packs: list[TemplatePack] = []
    for pack in list_packs(near)[0]:
        if pack.id not in seen and recogniser_for(pack) is not None:
            seen.add(pack.id)
            packs.append(pack)
    return packs
