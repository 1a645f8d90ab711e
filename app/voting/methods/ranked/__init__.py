"""Ranked-ballot counts: IRV for one seat, Scottish STV and Meek STV for several.

Build :class:`RankedBallots` once (validation, withdrawn candidates, merging of
identical papers), then count it with :func:`count_irv`,
:func:`count_stv_scottish` or :func:`count_meek`. Each returns a result whose
``as_dict()`` is canonical JSON-ready, with round-by-round tables and a SHA-256.
"""

from app.voting.methods.ranked.ballots import RankedBallotError, RankedBallots
from app.voting.methods.ranked.irv import IrvResult, count_irv
from app.voting.methods.ranked.meek import MeekResult, count_meek
from app.voting.methods.ranked.result import RankedResult, Stage
from app.voting.methods.ranked.stv_scottish import StvResult, count_stv_scottish

__all__ = [
    "IrvResult",
    "MeekResult",
    "RankedBallotError",
    "RankedBallots",
    "RankedResult",
    "Stage",
    "StvResult",
    "count_irv",
    "count_meek",
    "count_stv_scottish",
]
