"""A made-up request kind, for tests only: a parking permit for the staff car park.

Nothing outside this module and a school.yaml naming it (`form: kinds_for_tests.parking_permit`)
knows it exists; the terminal, Slack and Teams render its form from the fields it declares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.requests.drafts import Draft, Refusal
from bot.requests.kinds.base import Asked, Fact, FieldSpec, KindContext, RequestKind
from bot.requests.kinds.fields import read_choice, read_date, read_text, yes_no_label

PLATE = re.compile(r"^[A-Z0-9 ]{2,10}$")
ZONES = (("front", "Front car park"), ("rear", "Rear car park"))
REGISTRATION = FieldSpec("registration", "Car registration", "text", max_length=10)
FROM = FieldSpec("from_day", "Permit from", "date")
BLUE_BADGE = FieldSpec("blue_badge", "Do you hold a blue badge?", "yes_no")
WHY = FieldSpec("why", "Why do you need a permit?", "long_text")
ZONE = FieldSpec("zone", "Which car park?", "choice", choices=ZONES)


class ParkingPermit(RequestKind):
    name = "parking_permit"
    ask_phrase = "ask for a parking permit"

    def default_chain(self, config: Any) -> tuple[str, ...]:
        return ("headteacher",)

    def asked(self, context: KindContext, text: str, today: date) -> Asked | None:
        return Asked() if "parking permit" in text.lower() else None

    def fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (REGISTRATION, FROM, BLUE_BADGE, WHY)

    def initial_values(self, context: KindContext, prefill: Mapping[str, Any], today: date) -> dict[str, str]:
        return {"from_day": today.isoformat(), "blue_badge": "no"}

    def parse(self, context: KindContext, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
        plate = (inputs.get("registration") or "").strip().upper()
        if not PLATE.match(plate):
            return Refusal("Please give the car's registration, for example AB12 CDE.")
        start = read_date(inputs, "from_day", "first day", today)
        badge = read_choice(inputs, BLUE_BADGE)
        why = read_text(inputs, "why", "Why", needed=True)
        for checked in (start, badge, why):
            if isinstance(checked, Refusal):
                return checked
        assert isinstance(start, date)
        return Draft(context.type_name, start, start, None, {"registration": plate, "blue_badge": badge}, str(why))

    def approval_fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (ZONE,)

    def parse_approval(self, context: KindContext, inputs: Mapping[str, str]) -> dict[str, str] | Refusal:
        zone = read_choice(inputs, ZONE)
        return zone if isinstance(zone, Refusal) else {"zone": zone}

    def facts(self, context: KindContext, details: Mapping[str, Any], start: date, end: date,
              weekday: int | None, note: str) -> list[Fact]:
        facts = [
            Fact("Car", str(details.get("registration", ""))),
            Fact("From", f"{start:%a %-d %b %Y}"),
            Fact("Blue badge", yes_no_label(details.get("blue_badge"))),
            Fact("Why", note, private=True),
        ]
        if details.get("zone"):
            facts.append(Fact("Car park", dict(ZONES).get(str(details["zone"]), str(details["zone"]))))
        return facts


KIND = ParkingPermit()
