"""Every printable form, declared once: its ASCII name (for ``uniondesk-cli print NAME``), Chinese
title, the record kind it prints, whether it is a public copy (ID numbers always masked), how to find
its records, and how to build one ``FormDoc``. The manifest (``app.areas``) names each area's form
modules; a module exposes ``FORMS``, a tuple of ``FormDef``.

Two shapes of form exist:
- record forms print one form per record (F7 会员登记表, F1 档案表); several ids print as a batch,
  and a record form with ``select`` also prints the batch a filter chooses (``--status``, ``--union``);
- list forms print one form for a filtered list (会员花名册, 公示名单, F5 签收表).

Besides the hand-laid forms of the manifest, every register gets a record card (``<key>_card``,
``app.printing.record_card``) and a list (``<key>_list``, ``app.printing.record_list``) made from its
declaration — unless its area already lays one out by hand: a hand-laid record form of the record
kind stands for its card (F7 for members, F1 for archives, F4 for 金秋助学) and a hand-laid list
form for its list (花名册, 建档公示名单, F5 签收表), so the 打印 ▾ menu never offers two forms that
do the same.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from app.errors import InvalidInput
from app.services.filters import FilterOption as FormOption  # noqa: F401 - forms declare options
from app.services.filters import either

# A switch of the generated lists: a copy to hand out or post, ID, phone and bank numbers masked
# whatever the role (as the hand-laid public forms always are).
PUBLIC_COPY = FormOption("public", "--public", "名单打印为公开副本:身份证号、手机号码、银行卡号只显示部分",
                         "flag", label="公开副本(身份证号等只显示部分)")
YES = (True, "1", "是", "true", "yes", "y")


def asks_public(options: dict) -> bool:
    """Whether the options turn the public-copy switch on (True from the command line, "是" …)."""
    wanted = options.get(PUBLIC_COPY.dest)
    return (wanted.strip().lower() if isinstance(wanted, str) else wanted) in YES


class OptionsNeeded(InvalidInput):
    """A list form cannot be printed with the options given. The message names the options by
    their captions (``FormOption.label``), as a dialog shows them; ``options`` are their dests, so
    the command line can add its flags. ``choices`` are ready answers, (text, options to add), the
    user may pick from instead (one 公示 period among several), ``default`` the one to offer first,
    ``question`` how a dialog asks for one."""

    def __init__(self, message: str, options: Sequence[str] = (),
                 choices: Sequence[tuple[str, dict]] = (), default: int = 0, question: str = ""):
        super().__init__(message)
        self.options = tuple(options)
        self.choices = list(choices)
        self.default = default
        self.question = question or message


@dataclass
class PrintContext:
    """What a form builder may use: the read session, who prints, the code book, masking."""

    session: Any
    actor: Any
    codes: Any
    unit_name: str  # this installation's own union (title rows, issuer of notices)
    reveal: bool  # full ID, phone and bank numbers (the role allows it and the form is not public)
    printed_on: date
    cache: dict = field(default_factory=dict)
    form: Any = None  # the FormDef being built
    numbers: Any = None  # app.services.form_numbers.NumberBook of this print job

    def office_number(self, subject: str, kind: str | None = None) -> str:
        """The form's 编号 (341122-困档-2026-0012): the one ``subject`` (a record id, a list's
        content digest) already has in this form kind, else the next of the series."""
        from app.services.form_numbers import NumberBook

        if self.numbers is None:
            self.numbers = NumberBook(self.session, self.printed_on.year)
        form = self.form
        return self.numbers.number(kind or (form.number_kind if form else "表格"), subject,
                                   form.name if form else "")

    def shown(self, f, value) -> str:
        """The printed text of a stored value: its label, 2020年3月5日 for dates, masked when the
        copy is public or the role may not reveal."""
        from app.fields.masking import mask_field
        from app.fields.spec import Kind, display_value
        from app.validation import format_cn_date

        if value is None or value == "":
            return ""
        if not self.reveal and f.mask:
            value = mask_field(f, value)
        if f.kind == Kind.DATE and not isinstance(value, str):
            return format_cn_date(value)
        return display_value(f, value, self.codes)


@dataclass
class PrintRequest:
    ids: Sequence[str] = ()  # record forms: ids or numbers as typed
    options: dict = field(default_factory=dict)  # list forms: filters and settings


@dataclass(frozen=True)
class FormDef:
    name: str  # ASCII, for the CLI
    title: str  # Chinese
    record_kind: str  # spec key of the records it prints ("member")
    build: Callable  # record form: (ctx, record) -> FormDoc; list form: (ctx, options) -> FormDoc
    load: Callable | None = None  # record form: (session, ids) -> records in order
    lookup: Callable | None = None  # record form: (session, text) -> ids matching (id, 编号, 身份证号)
    public: bool = False  # a public copy: ID numbers masked whatever the role
    options: tuple = ()  # FormOption (app.services.filters.FilterOption) of a list form
    file_stem: Callable | None = None  # (records or options) -> suggested file name, no suffix
    select: Callable | None = None  # record form: (session, options) -> ids of a filtered batch
    needs_any: tuple[str, ...] = ()  # list form: one of these options must be given
    needs_what: str = ""  # what they choose ("要打印的发放"), for the message when none is
    # (session) -> options of a list form that print something from a demo database (the contract
    # tests print every form; a form that needs an option or a state names one here)
    sample_options: Callable | None = None
    number_kind: str = "表格"  # the form kind in its 编号 (341122-困档-2026-0012): 2–4 characters

    def option(self, dest: str) -> FormOption:
        return next(o for o in self.options if o.dest == dest)

    def labels(self, dests: Sequence[str]) -> list[str]:
        """The captions of some of this form's options, in their declared order."""
        return [o.label for o in self.options if o.dest in dests]

    def check_options(self, options: dict) -> None:
        """Refuse, in the words of the dialog, a list form's options that choose nothing it can
        print; the dialog asks this before it closes, the print service before it builds."""
        if self.needs_any and not any(str(options.get(d) or "").strip() for d in self.needs_any):
            raise OptionsNeeded(f"请指定{self.needs_what}:{either(self.labels(self.needs_any))}至少填一项",
                                self.needs_any)

    @property
    def is_list(self) -> bool:
        return self.load is None

    def public_copy(self, options: dict) -> bool:
        """Whether this print is a public copy: the form always is one, or its public-copy switch
        is on. Numbers are then masked whatever the role."""
        return self.public or (PUBLIC_COPY in self.options and asks_public(options))


@lru_cache(maxsize=1)
def all_forms() -> tuple[FormDef, ...]:
    from app.areas import entries

    forms: list[FormDef] = []
    for module in entries("forms"):
        forms.extend(importlib.import_module(module).FORMS)
    forms += generated_forms(forms)
    names = [f.name for f in forms]
    if len(names) != len(set(names)):
        raise RuntimeError("two printed forms share a name")
    return tuple(forms)


def generated_forms(hand_laid: Sequence[FormDef]) -> list[FormDef]:
    """A card and a list for every register whose area lays none out by hand (module docstring)."""
    from app.kit.register import all_registers
    from app.printing.record_card import card_form
    from app.printing.record_list import list_form

    out = []
    for reg in all_registers():
        shapes = {f.is_list for f in hand_laid if f.record_kind == reg.key}
        if False not in shapes:
            out.append(card_form(reg))
        if True not in shapes:
            out.append(list_form(reg))
    return out


def form(name: str) -> FormDef:
    for f in all_forms():
        if f.name == name:
            return f
    known = "、".join(f.name for f in all_forms())
    raise InvalidInput(f"没有名为“{name}”的表格。可打印的表格:{known}")


def forms_for(record_kind: str) -> list[FormDef]:
    """The forms offered in the 打印 ▾ menu of a record kind."""
    return [f for f in all_forms() if f.record_kind == record_kind]


def all_options() -> list[FormOption]:
    """Every option of every form, once per dest (the CLI offers their union)."""
    from app.services.filters import merged

    return merged(f.options for f in all_forms())
