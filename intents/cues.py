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

from intents.phrases import PhraseSet
from intents.text import normalise
from intents.yaml_loader import FAST_LOADER

BUNDLED_CUES = Path(__file__).resolve().parent / "data" / "intents.yaml"
SCHOOL_CUES_NAME = "intents.yaml"


def phrase_pattern(phrases: Iterable[str]) -> PhraseSet:
    """A matcher of any of the phrases as whole words of normalised text, longest first."""
    return PhraseSet(normalise(p) for p in phrases)


#: "Aims of this policy" is the section "Aims".
_POLICY_SUFFIX = re.compile(r"\b(?:of|for) (?:the|this|our) policy$")


def _measure_pattern(numbers: Iterable[str], units: Iterable[str], kinds: Iterable[str] = ()) -> re.Pattern[str]:
    """A number of something measured, in normalised text: "8 characters", "two weeks", "a year", and with
    the kind of unit between ("5 working days", "20 school days")."""
    amounts = "|".join(re.escape(normalise(n)) for n in [*numbers, "a", "an"] if normalise(n))
    measured = "|".join(re.escape(normalise(u)) for u in units if normalise(u))
    if not measured:
        return re.compile(r"(?!x)x")
    between = "|".join(re.escape(normalise(k)) for k in kinds if normalise(k))
    kind = rf"(?:(?:{between}) )?" if between else ""
    return re.compile(rf"\b(?:\d+|{amounts}) {kind}(?:{measured})\b")


def _deadline_pattern(period: re.Pattern[str], before: Iterable[str], after: Iterable[str]) -> re.Pattern[str]:
    """A period with the words that make it a deadline: "within 5 working days", "two weeks before"."""
    leading = "|".join(re.escape(normalise(w)) for w in before if normalise(w))
    trailing = "|".join(re.escape(normalise(w)) for w in after if normalise(w))
    body = period.pattern.removeprefix(r"\b")
    return re.compile(rf"\b(?:(?:{leading}) {body}|{body} (?:{trailing})\b)")


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
    help_phrases: PhraseSet
    capability: PhraseSet
    cancel: PhraseSet
    my_requests: PhraseSet
    not_my_requests: PhraseSet
    own_request: PhraseSet
    request_state: PhraseSet
    polite_asks: PhraseSet
    ask: PhraseSet
    at_home: PhraseSet
    rule_question: PhraseSet
    school_holidays: PhraseSet
    policy_words: PhraseSet
    name_cues: PhraseSet
    #: "…and what do they do?": a question for a person's name that also asks what the role does.
    duty_cues: PhraseSet
    credential_cues: PhraseSet
    roles: tuple[str, ...]
    name_fillers: tuple[str, ...]
    clock_cues: PhraseSet
    #: How soon, when a policy gives no figure ("as soon as possible", "immediately"): an answer to when,
    #: how early and how long.
    promptness: PhraseSet
    time_cues: PhraseSet
    time_words: PhraseSet
    contact_cues: PhraseSet
    handling_details: re.Pattern[str]
    quantity_cues: PhraseSet
    number_words: PhraseSet
    length_cues: PhraseSet
    measures: re.Pattern[str]
    #: A measure, or a period counted in a kind of unit ("within 5 working days"): what a deadline or a
    #: "how long" is answered by (not a time of day: "10 school days" is no opening time).
    periods: re.Pattern[str]
    #: A span named without a number ("for the current academic year", "until the child is 25"): a "how long".
    named_spans: PhraseSet
    #: A period that sets a deadline: "within 5 working days", "10 days after the meeting", "no later than
    #: two weeks before" — not a length of time ("for one day").
    deadlines: re.Pattern[str]
    pupil_subject: PhraseSet
    how_to_operate: PhraseSet
    software: tuple[str, ...]
    about_a_child: PhraseSet
    worry: PhraseSet
    #: An adult, and what harms a child: with a child, a message telling of both is a safeguarding matter.
    adult: PhraseSet
    harm: PhraseSet
    person_cues: PhraseSet
    role_words: PhraseSet
    amount_cues: PhraseSet
    place_cues: PhraseSet
    place_words: PhraseSet
    frequency_cues: PhraseSet
    #: Things withdrawn or followed up that are not requests made here ("my grievance", "my complaint").
    not_requests: PhraseSet
    frequency_words: PhraseSet
    fillers: frozenset[str] = frozenset()
    #: Headings of a policy's opening sections, normalised: its aims, purpose or statement of intent.
    preamble_headings: frozenset[str] = frozenset()

    def is_preamble(self, heading: str) -> bool:
        """Whether a section heading names a policy's aims, purpose or statement ("Purpose and Aims")."""
        plain = _POLICY_SUFFIX.sub("", normalise(heading)).strip()
        return plain in self.preamble_headings

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
            duty_cues=phrase_pattern(get("detail", "duty_cues")),
            credential_cues=phrase_pattern(get("detail", "credential_cues")),
            roles=tuple(get("detail", "roles")),
            name_fillers=tuple(get("detail", "name_fillers")),
            clock_cues=phrase_pattern(get("detail", "clock_cues")),
            promptness=phrase_pattern(get("detail", "promptness")),
            time_cues=phrase_pattern(get("detail", "time_cues")),
            time_words=phrase_pattern(get("detail", "time_words")),
            contact_cues=phrase_pattern(get("detail", "contact_cues")),
            handling_details=_handling_pattern(get("detail", "handling_details")),
            quantity_cues=phrase_pattern(get("detail", "quantity_cues")),
            number_words=phrase_pattern(get("detail", "number_words")),
            length_cues=phrase_pattern(get("detail", "length_cues")),
            measures=_measure_pattern(get("detail", "number_words"), get("detail", "measure_units")),
            periods=_measure_pattern(
                get("detail", "number_words"), get("detail", "measure_units"), get("detail", "measure_kinds")
            ),
            named_spans=phrase_pattern(get("detail", "named_spans")),
            deadlines=_deadline_pattern(
                _measure_pattern(
                    get("detail", "number_words"), get("detail", "measure_units"), get("detail", "measure_kinds")
                ),
                get("detail", "deadline_before"),
                get("detail", "deadline_after"),
            ),
            pupil_subject=phrase_pattern(get("detail", "pupil_subject")),
            how_to_operate=phrase_pattern(get("detail", "how_to_operate")),
            software=tuple(get("detail", "software")),
            about_a_child=phrase_pattern(get("safeguarding", "about_a_child")),
            worry=phrase_pattern(get("safeguarding", "worry")),
            adult=phrase_pattern(get("safeguarding", "adult")),
            harm=phrase_pattern(get("safeguarding", "harm")),
            person_cues=phrase_pattern(get("detail", "person_cues")),
            role_words=phrase_pattern(get("detail", "role_words")),
            amount_cues=phrase_pattern(get("detail", "amount_cues")),
            place_cues=phrase_pattern(get("detail", "place_cues")),
            place_words=phrase_pattern(get("detail", "place_words")),
            frequency_cues=phrase_pattern(get("detail", "frequency_cues")),
            not_requests=phrase_pattern(get("not_requests", "things")),
            frequency_words=phrase_pattern(get("detail", "frequency_words")),
            fillers=frozenset(w for p in get("fillers", "words") for w in normalise(p).split()),
            preamble_headings=frozenset(normalise(h) for h in get("sections", "preamble_headings")),
        )
