"""Money on printed forms: figures and 大写 that must agree, or the form is not printed.

A total is printed twice, as ¥1,234.50 and as 人民币壹仟贰佰叁拾肆元伍角. Both are produced from the
same integer fen and then each is read back (``words_to_fen`` for the 大写, the figures parsed
exactly); if either disagrees with the total, or the total disagrees with the sum of the rows or
with an amount the caller declares (a batch's approved total), printing is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.errors import AppError
from app.validation import AmountError, amount_in_words, format_yuan, parse_amount, words_to_fen, yuan_to_fen


class PrintRefused(AppError):
    """The form would print something wrong (an amount that does not add up); nothing is printed."""


@dataclass(frozen=True)
class Total:
    fen: int
    figures: str  # "¥1,234.50"
    words: str  # "人民币壹仟贰佰叁拾肆元伍角"


def checked_total(fen: int, *, what: str = "合计金额") -> Total:
    """Figures and 大写 of ``fen``, each read back and compared with it."""
    figures = "¥" + format_yuan(fen)
    words = "人民币" + amount_in_words(fen)
    try:
        from_words = words_to_fen(words)
        from_figures = yuan_to_fen(parse_amount(figures, allow_negative=True))
    except AmountError as exc:
        raise PrintRefused(f"{what}的大写无法核对({exc}),未打印") from None
    if from_words != fen or from_figures != fen:
        raise PrintRefused(f"{what}大写与小写不一致:{figures} 与 {words},已拒绝打印。"
                           "请检查金额后重试")
    return Total(fen, figures, words)


def sum_checked(amounts: Iterable[int | None], *, declared: int | None = None,
                what: str = "合计金额") -> Total:
    """The checked total of row amounts (None counts as nothing), equal to ``declared`` if given."""
    total = 0
    for a in amounts:
        if a is None:
            continue
        if isinstance(a, bool) or not isinstance(a, int):
            raise PrintRefused(f"{what}中有不是整数分的金额({a!r}),未打印")
        total += a
    if declared is not None and declared != total:
        raise PrintRefused(f"{what}与明细之和不一致:应为 ¥{format_yuan(declared)},明细合计 "
                           f"¥{format_yuan(total)},已拒绝打印")
    return checked_total(total, what=what)
