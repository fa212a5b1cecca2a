"""Which template packs `drafter extract` can read a speech into: one recogniser per pack."""

from __future__ import annotations

from . import review_commentary, review_commentary_3part
from .recognition import Recogniser

# A new pack becomes extractable by writing its recogniser module and adding it here.
RECOGNISERS: dict[str, Recogniser] = {
    review_commentary.PACK_ID: review_commentary.recognise,
    review_commentary_3part.PACK_ID: review_commentary_3part.recognise,
}
