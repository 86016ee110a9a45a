"""Cue phrases: how staff ask for the assistant's workflows, and for details the policies may lack.

Read from the bundled `intents/data/intents.yaml`, extended by an `intents.yaml`
beside a school's policies; phrases are matched as whole words of normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from intents.text import normalise
from intents.yaml_loader import FAST_LOADER

BUNDLED_CUES = Path(__file__).resolve().parent / "data" / "intents.yaml"
SCHOOL_CUES_NAME = "intents.yaml"


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching any of the phrases as whole words of normalised text, longest first."""
    alternatives = sorted({normalise(p) for p in phrases if normalise(p)}, key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alternatives) + r")\b")


def _measure_pattern(numbers: Iterable[str], units: Iterable[str]) -> re.Pattern[str]:
    """A number of something measured, in normalised text: "8 characters", "two weeks", "a year"."""
    amounts = "|".join(re.escape(normalise(n)) for n in [*numbers, "a", "an"] if normalise(n))
    measured = "|".join(re.escape(normalise(u)) for u in units if normalise(u))
    if not measured:
        return re.compile(r"(?!x)x")
    return re.compile(rf"\b(?:\d+|{amounts}) (?:{measured})\b")


def _handling_pattern(verbs: Iterable[str]) -> re.Pattern[str]:
    """A verb of working with details, then whose they are, ending the text: "to check parents"."""
    alternatives = "|".join(re.escape(normalise(v)) for v in verbs if normalise(v))
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(rf"\b(?:{alternatives})(?: \w+){{0,2}} ?$")


@dataclass(frozen=True)
class Cues:
    """Compiled cue phrases: the workflow intents, and the details a policy question asks for."""

    help_words: frozenset[str]
    help_phrases: re.Pattern[str]
    capability: re.Pattern[str]
    cancel: re.Pattern[str]
    my_requests: re.Pattern[str]
    not_my_requests: re.Pattern[str]
    own_request: re.Pattern[str]
    request_state: re.Pattern[str]
    polite_asks: re.Pattern[str]
    ask: re.Pattern[str]
    at_home: re.Pattern[str]
    rule_question: re.Pattern[str]
    school_holidays: re.Pattern[str]
    policy_words: re.Pattern[str]
    name_cues: re.Pattern[str]
    credential_cues: re.Pattern[str]
    roles: tuple[str, ...]
    name_fillers: tuple[str, ...]
    clock_cues: re.Pattern[str]
    time_cues: re.Pattern[str]
    time_words: re.Pattern[str]
    contact_cues: re.Pattern[str]
    handling_details: re.Pattern[str]
    quantity_cues: re.Pattern[str]
    number_words: re.Pattern[str]
    length_cues: re.Pattern[str]
    measures: re.Pattern[str]
    pupil_subject: re.Pattern[str]
    how_to_operate: re.Pattern[str]
    software: tuple[str, ...]
    about_a_child: re.Pattern[str]
    worry: re.Pattern[str]
    person_cues: re.Pattern[str]
    role_words: re.Pattern[str]
    amount_cues: re.Pattern[str]
    place_cues: re.Pattern[str]
    place_words: re.Pattern[str]
    fillers: frozenset[str] = frozenset()

    def unfilled(self, plain: str) -> str:
        """Normalised text without the filler words that leave a cue's meaning unchanged ("do i still have to")."""
        return " ".join(w for w in plain.split() if w not in self.fillers)

    @classmethod
    def load(cls, paths: Iterable[Path], wfh_phrases: Iterable[str]) -> Cues:
        """Merge the cue files that exist (bundled first, then the school's) and compile them."""
        merged: dict[str, dict[str, list[str]]] = {}
        for path in paths:
            if not path.is_file():
                continue
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
            for intent, fields in data.items():
                for name, values in (fields or {}).items():
                    merged.setdefault(intent, {}).setdefault(name, []).extend(values or [])

        def get(intent: str, name: str) -> list[str]:
            return [str(v) for v in merged.get(intent, {}).get(name, [])]

        return cls(
            help_words=frozenset(w for p in get("help", "words") for w in normalise(p).split()),
            help_phrases=phrase_pattern(get("help", "phrases")),
            capability=phrase_pattern(get("help", "capability")),
            cancel=phrase_pattern(get("cancel_request", "cues")),
            my_requests=phrase_pattern(get("my_requests", "cues")),
            not_my_requests=phrase_pattern(get("my_requests", "not_if")),
            own_request=phrase_pattern(get("my_requests", "own_request")),
            request_state=phrase_pattern(get("my_requests", "state")),
            polite_asks=phrase_pattern(get("request_wfh", "polite_asks")),
            ask=phrase_pattern(get("request_wfh", "ask")),
            at_home=phrase_pattern([*wfh_phrases, *get("request_wfh", "days_at_home")]),
            rule_question=phrase_pattern(get("request_wfh", "rule_question")),
            school_holidays=phrase_pattern(get("request_wfh", "school_holidays")),
            policy_words=phrase_pattern(get("request_wfh", "policy_words")),
            name_cues=phrase_pattern(get("detail", "name_cues")),
            credential_cues=phrase_pattern(get("detail", "credential_cues")),
            roles=tuple(get("detail", "roles")),
            name_fillers=tuple(get("detail", "name_fillers")),
            clock_cues=phrase_pattern(get("detail", "clock_cues")),
            time_cues=phrase_pattern(get("detail", "time_cues")),
            time_words=phrase_pattern(get("detail", "time_words")),
            contact_cues=phrase_pattern(get("detail", "contact_cues")),
            handling_details=_handling_pattern(get("detail", "handling_details")),
            quantity_cues=phrase_pattern(get("detail", "quantity_cues")),
            number_words=phrase_pattern(get("detail", "number_words")),
            length_cues=phrase_pattern(get("detail", "length_cues")),
            measures=_measure_pattern(get("detail", "number_words"), get("detail", "measure_units")),
            pupil_subject=phrase_pattern(get("detail", "pupil_subject")),
            how_to_operate=phrase_pattern(get("detail", "how_to_operate")),
            software=tuple(get("detail", "software")),
            about_a_child=phrase_pattern(get("safeguarding", "about_a_child")),
            worry=phrase_pattern(get("safeguarding", "worry")),
            person_cues=phrase_pattern(get("detail", "person_cues")),
            role_words=phrase_pattern(get("detail", "role_words")),
            amount_cues=phrase_pattern(get("detail", "amount_cues")),
            place_cues=phrase_pattern(get("detail", "place_cues")),
            place_words=phrase_pattern(get("detail", "place_words")),
            fillers=frozenset(w for p in get("fillers", "words") for w in normalise(p).split()),
        )
