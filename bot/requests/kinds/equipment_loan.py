"""Borrowing a laptop or tablet (WFH policy 8.1): approved by need, then the borrower accepts the
loan agreement before the IT technician issues it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.requests.drafts import MAX_NOTE_CHARS, Draft, Refusal
from bot.requests.kinds.base import Agreement, Fact, FieldSpec, KindContext, RequestKind
from bot.requests.kinds.fields import read_choice, read_date, read_text

ITEM_LABELS = {"laptop": "Laptop", "tablet": "Tablet", "other": "Other"}
ITEM = FieldSpec("item", "What do you need?", "choice", choices=tuple(ITEM_LABELS.items()))
NEEDED_FROM = FieldSpec("needed_from", "Needed from", "date")
WHY = FieldSpec("why", "Why do you need it?", "long_text", max_length=MAX_NOTE_CHARS)

LOAN_AGREEMENT = Agreement(
    ask="Before you receive the equipment, please accept the IT equipment loan agreement and the "
        "Acceptable Use Policy.",
    button_label="I accept the loan agreement and Acceptable Use Policy",
    thanks="Thank you. The IT technician will arrange your equipment (request #{id}).",
    tell="{requester} accepted the loan agreement: please issue request #{id}.",
    waiting_status="approved; loan agreement not yet accepted",
)


class EquipmentLoan(RequestKind):
    name = "equipment_loan"
    ask_phrase = "borrow equipment"
    agreement_terms = LOAN_AGREEMENT

    def fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (ITEM, NEEDED_FROM, WHY)

    def initial_values(self, context: KindContext, prefill: Mapping[str, Any], today: date) -> dict[str, str]:
        return {"item": "laptop", "needed_from": today.isoformat()}

    def parse(self, context: KindContext, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
        start = read_date(inputs, "needed_from", "date you need it from", today, default=today)
        if isinstance(start, Refusal):
            return start
        item = read_choice(inputs, ITEM)
        if isinstance(item, Refusal):
            return Refusal("Please choose what you need: a laptop, a tablet or something else.")
        if not (inputs.get("why") or "").strip():
            return Refusal(f"Please say why you need it ({context.config.label.lower()} is approved by need).")
        why = read_text(inputs, "why", "Explanation", needed=True)
        if isinstance(why, Refusal):
            return why
        return Draft(context.type_name, start, start, None, {"item": item}, why)

    def facts(self, context: KindContext, details: Mapping[str, Any], start: date, end: date,
              weekday: int | None, note: str) -> list[Fact]:
        item = str(details.get("item", ""))
        return [
            Fact("Item", ITEM_LABELS.get(item, item)),
            Fact("Needed from", f"{start:%a %-d %b %Y}"),
            Fact("Why", note, private=True),
        ]


KIND = EquipmentLoan()
