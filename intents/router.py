"""The intent router: a staff message -> what they want, how sure we are, and the passages.

Workflow intents (ask to work from home, check or cancel one's requests, help)
are recognised from cue phrases in `intents/data/intents.yaml`; everything else
is a policy question, answered when the best passage covers enough of what the
message is about (see `passage_index`). Pure: no I/O after construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cached_property
from pathlib import Path

from intents.acronyms import spelled_out, title_initials
from intents.cues import BUNDLED_CUES, SCHOOL_CUES_NAME, Cues
from intents.dates import parse_when
from intents.definitions import asked_term, definition_test, folded
from intents.lexicon import SCHOOL_LEXICON_NAME, Lexicon, load_lexicon
from intents.passage_index import SCOPE, PassageIndex, Scored
from intents.phrases import PhraseSet
from intents.policy_library import Passage, PolicyLibrary, load_library
from intents.reasons import parse_reason
from intents.routing import DeclineReason, Intent, Match, RequestSlots, Routing
from intents.text import Analyzer, Unit, english, normalise
from intents.topics import TOPICS_FILE_NAME, read_topics
from intents.trace import Stage, Trace

#: Below this confidence a policy question is declined rather than answered.
ANSWER_THRESHOLD = 0.5
#: A safeguarding question is answered on less: the answer always adds the DSL passage.
#: Below this it is declined, and the decline still quotes who to go to.
SAFEGUARDING_THRESHOLD = 0.3
#: A question asked alone is answered only from the policy of one of the whole message's nearest sections.
RETRY_NEAREST = 3
#: When the best-ranked passage falls short, the most confident of this many may answer instead.
PROMOTE_FROM = 5
#: A passage sharing less weight than this with a message shares only everyday words ("work", "staff").
MIN_MATCHED_WEIGHT = 1.5
#: …in a library of few passages, where every weight is small, this share of the rarest feature's weight.
MIN_MATCHED_SHARE = 0.3
WFH = "~work_from_home"
SAFEGUARDING_IDEAS = frozenset({"~safeguarding", "~dsl", "~child_protection_policy", "~lado"})
#: The ideas a passage about pupils or their parents speaks of.
PUPIL_IDEAS = ("~pupils", "~parents", "~families")
STAFF = "~staff"
#: The idea of a policy being reviewed (intents/data/english.yaml).
REVIEWED = "~reviewed"
#: The idea of other policies linked to one (intents/data/english.yaml)…
LINKED = "~linked"
#: …said within this many words of a passage's start to list them ("This policy should be read alongside…").
LINKED_WITHIN = 8
#: A question for a detail may be answered by any of the first few passages scoring this share of the best.
DETAIL_CANDIDATES = 5
#: A question for a term's meaning may be answered by the passage defining it among this many matching the term.
DEFINITION_CANDIDATES = 30
ALSO_NEAR_RATIO = 0.8
#: "Can I (please) work from home" asks for a day; "can I get a laptop for working at home" does not.
MAX_WORDS_BETWEEN_ASK_AND_HOME = 1
#: "Can I get a laptop to use at home": a device or equipment between the ask and home is what is asked for.
THINGS_ASKED_FOR = frozenset({"~laptop", "~equipment"})
#: A list (or a section) at most this long is quoted whole when one bullet (or passage) answers.
SHORT_LIST_CHARS = 450
SHORT_SECTION_CHARS = 700
#: How the policies name a policy or procedure ("our IT Acceptable use Policy", "our policy on flexible
#: working", "the normal absence procedure"), and how a message names one ("the homework policy").
_POLICY_NAME = re.compile(r"((?:\w+ ){1,3})(?:polic(?:y|ies)|procedures?)\b")
_POLICY_ON = re.compile(r"\bpolicy on ((?:\w+ ?){1,2})")
_NAMED_POLICY = re.compile(r"((?:\w+ ){1,2})polic(?:y|ies)\b")
#: Asking what a named policy says, or where to find it: "what does the behaviour policy say…".
_POLICY_CONTENT = re.compile(
    r"\b(?:what (?:does|do)|whats|what is|what are|wheres|copy of|link to"
    r"|where (?:is|are|can i (?:find|read|get|see)|do i (?:find|get)))"
    r" (?:the |our |a )?((?:\w+ ){1,3})polic(?:y|ies)\b"
)
#: Words that end the words before a policy's name ("applies the", "follow our").
_DETERMINERS = frozenset({"the", "our", "this", "that", "these", "a", "an", "its", "their", "any", "all", "schools",
                          "another"})
#: Words that ask which policy, and so name none: "from my desk - which policies apply".
_WHICH = frozenset({"which", "what", "whose", "whats", "other", "another", "relevant", "same"})
#: One's own sign-in for a named system: "what's my CPOMS login", "what is my Arbor password".
_OWN_LOGIN = re.compile(
    r"\b(?:whats|what is|what are|wheres|where is|where are)( my)?(?: \w+){0,2}"
    r" (?:login|log in|logon|username|password)s?\b"
)
#: Asking whether a policy takes in the one asking: "does the wfh policy apply to me", "am I covered by it".
APPLIES = SCOPE
_ABOUT_ME = re.compile(r"\b(?:to|for|cover|covers|include|includes|covered|included) (?:me|us|people like me)\b"
                       r"|\b(?:am i|are we|im|i am) (?:covered|included)\b")
#: Saying who one is: "I'm a cleaner", "as the site manager".
_SELF_DESCRIBED = re.compile(r"\b(?:im|i am|as|being) (?:a|an|the) ((?:\w+ ?){1,2})")
#: What someone else would use a thing for: "can my kids use my laptop for their homework" asks about
#: sharing the laptop; the homework is theirs, a side word of the message.
_THEIR_PURPOSE = re.compile(r"\b(?:for|to do|to check|to play|to watch|with) (?:their|his|her|thier) ((?:\w+ ?){1,2})")
#: Examples a message gives: "(guitar/violin)", "e.g. to the mosque or cathedral", "such as a panto".
_EXAMPLES = re.compile(r"\(([^()]{1,60})\)|\b(?:e\.g\.?|eg|such as)\s+([^.?!,;()]{1,60})", re.IGNORECASE)
#: Where a sentence ends: "…at home for a day? End of term and…".
_SENTENCE_END = re.compile(r"(?<=[?.!])\s+")
#: A time of day in a passage: "9am", "3.30 pm", "15:30".
_CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b", re.IGNORECASE)
#: An amount in a passage: "£45.00", "50%", "£10 a head".
_AMOUNT = re.compile(r"£\s?\d|\b\d+(?:\.\d+)?\s?(?:%|per ?cent|pence|p\b|pounds)")
#: A date in a passage: "31 August", "by 1st March", "in December" ("may" is a month only after a day).
_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"
_DATE = re.compile(rf"\b(?:{_MONTHS})\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?may\b", re.IGNORECASE)
#: A date written short: "31 Aug", "Sept 1st", "31/08", "1/9/2021", "01.09.2021" (not a section number "1.2.3").
_SHORT_MONTHS = "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
_SHORT_DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_SHORT_MONTHS})\b\.?"
    rf"|\b(?:{_SHORT_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}/\d{1,2}(?:/(?:\d{2}|\d{4}))?\b|\b\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d{2}\b",
    re.IGNORECASE,
)
#: Who a "by" names when it is not a deadline: "done by me", "finished by the class teacher".
_BY_WHOM = frozenset({"me", "you", "him", "her", "them", "us", "the", "a", "an", "my", "our", "their", "his",
                      "someone", "somebody", "anyone", "who", "whom", "staff", "teachers", "parents"})
#: Passages scoring within this share of the best are tied: the one holding the detail asked for goes first.
TIED_RATIO = 0.9
#: A person named in a passage: with a title ("Mrs Khan", "Dr. Patel"), or by full name as who a role is
#: ("Our designated person is: Ellen Mussell, Playleader", "…are Kirsty Collins and …").
_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z]+"
    r"|(?:\b(?:is|are)\b:?|:)\s+[A-Z][a-z]+(?:[ -][A-Z][a-z'’]+)+(?=\s*(?:[,;(]|and\b|$))"
)
#: A question for a name is answered when one of this many of the best passages names someone.
NAMED_FROM = 3
#: A document's own word, named in a message ("when is this policy reviewed?", "the lost child procedure") or in
#: a passage naming another ("Provider Access Policy", "the Capability Procedure").
_DOCUMENT_WORD = re.compile(r"\b(?:polic(?:y|ies)|procedures?|documents?|guidance|statement)\b", re.IGNORECASE)
#: A review word: with a date, a year or how often, a passage saying when its policy is reviewed.
_REVIEW_WORD = re.compile(r"\breview(?:ed)?\b", re.IGNORECASE)
#: Of those, one saying when it is next reviewed.
_NEXT_REVIEW = re.compile(
    r"\bnext review|\breview date|\bdate of review|\bdue for review|\bwill be reviewed", re.IGNORECASE
)
#: A question for the policies that go with one: "which other policies…", "is there another policy that…".
_ASKS_OTHER_POLICIES = re.compile(
    r"\b(?:other|another|related|linked|associated|relevant)\s+(?:polic(?:y|ies)|procedures?|documents?|guidance)\b"
)
#: A question who approves, signs off or wrote a policy: "who signs off the uniform policy", "when was the
#: closure policy approved and by who", "who actually wrote our online safety policy?".
_ASKS_WHO_APPROVES_IT = re.compile(
    r"\bwho(?:se)?\b.*\b(?:approves?|signs? off|ratif\w+|adopts?|wrote|writes|agrees?)\b(?: \w+){0,5} polic"
    r"|\bpolic\w*\b(?: \w+){0,2} (?:approved|signed off|ratified|adopted|written|agreed)\b.*\bwho(?:m)?\b"
)
#: How a passage says who approved or wrote its policy.
_APPROVED_OR_WRITTEN = re.compile(
    r"\b(?:approved|ratified|adopted|signed off|agreed|developed|written|drawn up) by\b", re.IGNORECASE
)
#: A year, as a review date may be given ("review due 2026").
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
#: A telephone number or an email address in a passage.
_CONTACT_DETAIL = re.compile(r"\b0\d{3,4}[\s-]?\d{3}[\s-]?\d{3,4}\b|\S+@\S+\.\w+")


class Router:
    """Routes one school's messages; build once, call `route` many times."""

    def __init__(self, library: PolicyLibrary, analyzer: Analyzer, index: PassageIndex, cues: Cues) -> None:
        self.library = library
        self.analyzer = analyzer
        self.index = index
        self.cues = cues
        self._role_features = frozenset(f for role in cues.roles for u in analyzer.units(role) for f in u.features)
        self._software_ideas = frozenset("~" + "_".join(normalise(name).split()) for name in cues.software)
        self._name_filler_features = frozenset(
            f for filler in cues.name_fillers for u in analyzer.units(filler) for f in u.features
        )
        lists: dict[tuple[object, ...], list[Passage]] = {}
        for passage in library.passages:
            if passage.lead:
                lists.setdefault((passage.citation, passage.lead), []).append(passage)
        self._lists = {p: tuple(items) for items in lists.values() for p in items}
        sections: dict[object, list[Passage]] = {}
        for passage in library.passages:
            sections.setdefault(passage.citation, []).append(passage)
        self._sections = {p: tuple(items) for items in sections.values() for p in items}
        self._policy_name_features = self._policy_names(library, analyzer)
        # A title is named by its words and ideas, or by its initials ("the EDI policy").
        self._title_features = [
            (document.title, frozenset(f for u in analyzer.units(document.title) for f in u.features)
             | _initials_features(document.title, analyzer))
            for document in library.documents
        ]
        self._policy_name_features |= {f for _, features in self._title_features for f in features}
        # The ideas the policies' titles name ("working from home", "remote learning", "anti-bullying").
        self._all_title_ideas = frozenset(
            f for _, features in self._title_features for f in features if f.startswith("~")
        )
        dsl_passages = [
            (i, {f for u in analyzer.units(passage.body) for f in u.features})
            for i, passage in enumerate(library.passages)
            if any(SAFEGUARDING_IDEAS & u.features and "~dsl" in u.features for u in analyzer.units(passage.body))
        ]
        # A school's safeguarding policy names its designated person: its passages come first, and the
        # passage that says to contact the DSL before one that only names the role.
        safeguarding_policies = {
            title for title, features in self._title_features if not SAFEGUARDING_IDEAS.isdisjoint(features)
        }
        self._dsl_passages = tuple(
            i for i, features in sorted(
                dsl_passages,
                key=lambda d: (library.passages[d[0]].citation.document not in safeguarding_policies,
                               "~contact" not in d[1]),
            )
        )

    @staticmethod
    def _policy_names(library: PolicyLibrary, analyzer: Analyzer) -> frozenset[str]:
        """The words and ideas of every policy the library is or mentions, by title or in its text."""
        names = [document.title for document in library.documents]
        for passage in library.passages:
            text = normalise(passage.text)
            names += [_after_determiner(m.group(1)) for m in _POLICY_NAME.finditer(text)]
            names += [m.group(1) for m in _POLICY_ON.finditer(text)]
            # A section about other policies lists them by name ("Links with other policies").
            if "polic" in passage.citation.heading.lower():
                names.append(passage.body)
        return frozenset(f for name in names for u in analyzer.units(name) for f in u.features | u.partial)

    def _names_another_policy(self, plain: str) -> bool:
        """ "What's the homework policy…": a policy the library neither holds nor mentions."""
        for match in _NAMED_POLICY.finditer(plain):
            named = self.analyzer.units(_named_in(match.group(1)), spellcheck=True)
            if named and not any((u.features | u.partial) & self._policy_name_features for u in named):
                return True
        return False

    def _held_policy(self, name: str) -> str | None:
        """The title of the policy a name ("wfh", "home learning") stands for, if the library holds it."""
        named = [u for u in self.analyzer.units(name, spellcheck=True) if u.features]
        if not named:
            return None
        for title, features in self._title_features:
            if all(u.features & features for u in named):
                return title
        return None

    def _named_documents(self, plain: str) -> set[str]:
        """The policies held by the library that a message names ("does the wfh policy…")."""
        titles = {self._held_policy(_named_in(m.group(1))) for m in _NAMED_POLICY.finditer(plain)}
        return {t for t in titles if t is not None}

    def _asks_what_another_policy_says(self, plain: str) -> bool:
        """ "What does the behaviour policy say about…", "where's the flexible working policy":
        the library may mention that policy, but does not hold its text."""
        for match in _POLICY_CONTENT.finditer(plain):
            named = [u for u in self.analyzer.units(match.group(1), spellcheck=True) if u.features]
            if named and self._held_policy(match.group(1)) is None:
                return True
        return False

    @classmethod
    def from_folder(cls, folder: Path) -> Router:
        """Load a school's policies, lexicon, section keywords and cues from its folder."""
        library = load_library(folder)
        lexicon = load_lexicon([folder / SCHOOL_LEXICON_NAME])
        corpus_words = {w for p in library.passages for w in normalise(p.text).split()}
        corpus_words |= {w for s in library.sections() for w in normalise(s.heading).split()}
        keywords, problems = read_topics(folder / TOPICS_FILE_NAME, library)
        if problems:
            from intents.policy_library import PolicyFileError

            raise PolicyFileError(problems)
        # The school's own words for its sections are its vocabulary too: a topic word it lists ("sabbatical",
        # taught with `staffroom questions teach`) is then known, not a topic the policies never mention.
        corpus_words |= {w for phrases in keywords.values() for phrase in phrases for w in normalise(phrase).split()}
        _add_spelled_out_short_forms(lexicon, library, corpus_words)
        analyzer = Analyzer(lexicon, corpus_words)
        wfh_group = next((g for g in lexicon.groups if "~" + "_".join(normalise(g[0]).split()) == WFH), [])
        cues = Cues.load([BUNDLED_CUES, folder / SCHOOL_CUES_NAME], wfh_group)
        index = PassageIndex(library, analyzer, keywords, cues.is_preamble)
        return cls(library, analyzer, index, cues)

    # -- routing -----------------------------------------------------------

    def explain(self, text: str, today: date) -> tuple[Routing, Trace]:
        """Route a message and say what each stage of the pipeline did (`staffroom ask --explain`)."""
        trace = Trace()
        routing = self.route(text, today, trace)
        decision = f"intent {routing.intent.value}, confidence {routing.confidence:.3f}"
        if routing.safeguarding:
            decision += ", safeguarding"
        trace.add(Stage.DECIDE, decision)
        if routing.reason is not None:
            trace.add(Stage.DECIDE, f"declined: {routing.reason.value} ({routing.reason.explanation})")
        return routing, trace

    def route(self, text: str, today: date, trace: Trace | None = None) -> Routing:
        """Work out what a message wants; `today` is the school's local date.

        The stages are those of `intents.trace`; with a `trace`, each records what it did.
        """
        typed = normalise(text)
        if not typed:
            return Routing(Intent.FALLBACK, 0.0, reason=DeclineReason.EMPTY)
        plain = self.analyzer.expand(typed)
        units = self.analyzer.units(text, spellcheck=True)
        ideas = {f for unit in units for f in unit.features}
        when = parse_when(text, today)
        if when.is_empty and plain != typed:
            # "wfh 2moro": the day may be named in shorthand.
            when = parse_when(plain, today)
        if trace is not None:
            trace.add(Stage.NORMALISE, f"read as: {self.analyzer.spell(plain)!r}")
            trace.add(Stage.UNDERSTAND, "units: " + "; ".join(_describe(u) for u in units))
            if not when.is_empty:
                trace.add(Stage.UNDERSTAND, f"days named: {when.text or when.start}")
        about_requests = WFH in ideas or "request" in plain.split() or not when.is_empty

        # "Can I withdraw my grievance?" is about something the policies deal with, not a request made here.
        other_thing = bool(self.cues.not_requests.search(plain)) and WFH not in ideas
        if (
            self.cues.cancel.search(plain)
            and (about_requests or " my " in f" {plain} ")
            and not other_thing
            and _cancels_own(plain, self.cues.cancel)
        ):
            return Routing(Intent.CANCEL_REQUEST, 0.9, slots=RequestSlots(when=when))
        if not other_thing and (
            self._asks_about_own_requests(plain) or self._asks_about_own_requests(self.analyzer.spell(plain))
        ):
            return Routing(Intent.MY_REQUESTS, 0.9)
        if when.is_empty and self.cues.capability.search(plain):
            return Routing(Intent.HELP, 0.9)
        if (
            (WFH in ideas or self._asks_for_time_at_home(plain))
            and self._asks_for_days(plain, when.is_empty)
            and not self.cues.school_holidays.search(plain)
        ):
            reason, category = parse_reason(text)
            slots = RequestSlots(when=when, reason=reason, reason_category=category)
            return Routing(Intent.REQUEST_WFH, 0.9, matches=self._about_working_from_home(units), slots=slots)
        if self._is_help(plain, units):
            return Routing(Intent.HELP, 0.9)
        if (WFH in ideas or self.cues.at_home.search(plain)) and self.cues.school_holidays.search(plain):
            # "Can I work from home over half term?": the policies speak of working days, not school holidays.
            return self._decline(
                list(self._matches(units)), bool(SAFEGUARDING_IDEAS & ideas), DeclineReason.SCHOOL_HOLIDAYS
            )
        # Cue phrases of a policy question ("wifi password", "how many") are read with typos corrected.
        asked = self._without_examples(text, units)
        if trace is not None and len(asked) < len(units):
            trace.add(Stage.UNDERSTAND, "examples no policy names, left out: "
                      + ", ".join(u.surface for u in units if u not in asked))
        routing = self._route_policy(self.analyzer.spell(plain), asked, ideas, trace)
        if routing.intent is Intent.FALLBACK and not routing.safeguarding:
            return self._route_the_question(text, units, routing, trace) or routing
        return routing

    def _route_the_question(
        self, text: str, units: list[Unit], whole: Routing, trace: Trace | None = None
    ) -> Routing | None:
        """ "Is report checking ok to do at home? End of term and I can't focus": when the whole
        message covers too little, the question asked may answer on its own, unless the rest names
        a topic the policies don't cover ("…? It's for a wedding"), and only from a policy the whole message
        came near."""
        asked = _question_asked(text)
        if asked is None or self.index.unknown_topics(units):
            return None
        asked_units = self.analyzer.units(asked, spellcheck=True)
        asked_ideas = {f for unit in asked_units for f in unit.features}
        plain = self.analyzer.spell(self.analyzer.expand(normalise(asked)))
        if trace is not None:
            trace.add(Stage.UNDERSTAND, f"the whole message declined; the question asked alone: {asked!r}")
        routing = self._route_policy(plain, asked_units, asked_ideas, trace)
        if routing.intent is not Intent.POLICY:
            return None
        # "My Y5 keeps forgetting homework. At what point do I get the parents involved?" is not answered by
        # a passage on consulting parents.
        # Several passages of one section may come first: the nearest sections are counted, not passages.
        sections = list(dict.fromkeys(m.passage.citation for m in whole.matches))[:RETRY_NEAREST]
        near = {citation.document for citation in sections}
        if near and routing.matches[0].passage.citation.document not in near:
            if trace is not None:
                trace.add(Stage.DECIDE, "the question alone is answered by another policy than the message's")
            return None
        return routing

    def _asks_about_own_requests(self, plain: str) -> bool:
        """ "Has my request been approved?", "show me the days I've booked".

        Not "how do I report sick on my home day?": that asks what the policy says.
        """
        if self.cues.not_my_requests.search(plain) or self.cues.not_my_requests.search(self.cues.unfilled(plain)):
            return False
        if self.cues.my_requests.search(plain):
            return True
        return bool(self.cues.own_request.search(plain)) and bool(self.cues.request_state.search(plain))

    def _asks_for_days(self, plain: str, no_days: bool) -> bool:
        """Asking for days at home, not about the rules: "can I WFH Friday?", "I'd like to work from home"."""
        unasked = self.cues.unfilled(self.cues.polite_asks.sub(" ", plain))
        if self.cues.rule_question.search(unasked):
            return not no_days and not self.cues.policy_words.search(unasked)
        if not no_days:
            return True
        return any(self._asks_near(plain[ask.end():]) for ask in self.cues.ask.finditer(plain))

    def _asks_for_time_at_home(self, plain: str) -> bool:
        """Without "work from home" said, being at home is asked for only close after an ask ("can I be at
        home on Friday?"), not when something happens at home ("stuff going on at home, can I mention it to
        the coach on Thursday?")."""
        return bool(self.cues.at_home.search(plain)) and any(
            self._asks_near(plain[ask.end():]) for ask in self.cues.ask.finditer(plain)
        )

    def _asks_near(self, rest: str) -> bool:
        """The thing asked for follows the ask closely: "can I please work from home", not
        "can I borrow a tablet to work from home" (that asks for the tablet)."""
        home = self.cues.at_home.search(rest)
        if home is None:
            return False
        between = [w for w in rest[: home.start()].split() if w not in self.analyzer.stopwords]
        if between and any(u.features & THINGS_ASKED_FOR for u in self.analyzer.units(" ".join(between))):
            return False
        return len(between) <= MAX_WORDS_BETWEEN_ASK_AND_HOME

    def _is_help(self, plain: str, units: list[Unit]) -> bool:
        # "How do I use the photocopier?" asks about the photocopier, not the assistant ("menu" does).
        if any(set(u.surface.split()) - self.cues.help_words for u in self.index.unknown_topics(units)):
            return False
        # "What time does school start?" asks for a time, not for what the assistant can do.
        if self.cues.clock_cues.search(plain) or self.cues.time_cues.search(plain):
            return False
        if self.cues.help_phrases.search(plain) and len(units) <= 2:
            return True
        words = plain.split()
        return all(w in self.cues.help_words or w in self.analyzer.stopwords for w in words) and any(
            w in self.cues.help_words for w in words
        )

    def _matches(self, units: list[Unit], limit: int = 6) -> tuple[Match, ...]:
        return tuple(self._match(s) for s in self.index.search(units, limit))

    def _about_working_from_home(self, units: list[Unit]) -> tuple[Match, ...]:
        """The passages a request to work from home can quote: only those about working from home, so a
        school without such a policy gets none (never "work" matched in its equality policy)."""
        return tuple(self._match(s) for s in self.index.search(units, 6) if self.index.covers_idea(s.index, WFH))

    def _match(self, scored: Scored) -> Match:
        return Match(self.library.passages[scored.index], confidence(scored))

    def _asks_what_policies_never_say(self, plain: str, units: list[Unit], found: list[Scored]) -> bool:
        """ "Who is our DSL?", "what's the wifi password?", "how do I set up a Teams meeting?": policies
        mostly name roles, not the people in them, hold no passwords or codes, and say what software to use,
        not how to work it. A school whose policy does name the person, or how to reach them ("Our DPO is
        … contactable via …"), is answered from it."""
        if self.cues.credential_cues.search(plain) or _own_login(plain):
            return True
        if self.cues.how_to_operate.search(plain) and any(u.features & self._software_ideas for u in units):
            return True
        return (
            bool(self.cues.name_cues.search(plain))
            and not self.cues.duty_cues.search(plain)
            and all(
                u.features & self._role_features or u.features & self._name_filler_features or self._is_name(u)
                for u in units
            )
            and not any(self._names_someone(self.library.passages[s.index]) for s in found[:NAMED_FROM]
                        if confidence(s) >= ANSWER_THRESHOLD)
        )

    @staticmethod
    def _names_someone(passage: Passage) -> bool:
        """Whether a passage names a person ("Mrs Khan") or gives an address or number to reach them by."""
        return bool(_PERSON.search(passage.text) or _CONTACT_DETAIL.search(passage.text))

    def _worry_about_a_child(self, plain: str) -> bool:
        """ "A pupil told me something on the phone that worried me": a child and a worry or a
        disclosure, in any words, make a safeguarding question, as do a child and an adult harming them
        ("I think a colleague might have hurt a child")."""
        children = [m.group(0) for m in self.cues.about_a_child.finditer(plain)]
        if not children:
            return False
        if self.cues.worry.search(plain):
            return True
        # The child is someone other than the adult: "a dad pushed me at the gate" is about the member of staff.
        adults = {m.group(0) for m in self.cues.adult.finditer(plain)}
        return bool(adults) and bool(set(children) - adults) and bool(self.cues.harm.search(plain))

    def _is_name(self, unit: Unit) -> bool:
        """In a question for a name, a word neither the policies nor the lexicon know is a person's ("Mrs Khan")."""
        return not unit.known and not self.analyzer.is_topic(unit.surface)

    def _about_pupils_elsewhere(self, plain: str, best: int) -> bool:
        """ "Can pupils borrow laptops?": what pupils or parents do or get is not answered by a
        passage that speaks only of staff (the staff laptop loan). One that speaks of no one ("Sweatshirts with
        the school logo are available") may answer what parents buy."""
        return (
            bool(self.cues.pupil_subject.search(plain))
            and not any(self.index.covers_idea(best, idea) for idea in PUPIL_IDEAS)
            and self.index.covers_idea(best, STAFF)
        )

    def _detail_tests(self, plain: str, ideas: set[str]) -> list[Callable[[Passage], bool]]:
        """What a passage must hold to answer a question for a date or time, a number or a contact detail.

        The policies give few of these ("when is the next INSET day?", "what's the number for
        the EAP?"): a passage about the topic that lacks the detail does not answer.
        """
        tests: list[Callable[[Passage], bool]] = []

        def says_how_soon(p: Passage) -> bool:  # "as soon as possible", "immediately": when a policy gives no figure
            return bool(self.cues.promptness.search(normalise(p.text)))

        if self.cues.clock_cues.search(plain):
            # "What time…" is answered by a time of day, or by one relative to an event ("5 minutes before the end").
            tests.append(
                lambda p: bool(_CLOCK_TIME.search(p.text)) or bool(self.cues.measures.search(normalise(p.text)))
                or says_how_soon(p)
            )
        # When a policy is reviewed is said as how often ("reviewed annually", "every two years").
        reviewed = REVIEWED in ideas
        if any(_asks_when(plain, m) for m in self.cues.time_cues.finditer(plain)):
            # A deadline is a day or date, or a period to act within ("within 5 working days"); a section
            # headed with its timing ("Mid-Point Review (3 Months)") says when for each of its passages.
            tests.append(
                lambda p: bool(self.cues.time_words.search(normalise(p.text)))
                or _holds_date(p.text)
                or bool(self.cues.deadlines.search(normalise(p.text)))
                or (reviewed and self._says_how_often(p))
                or bool(self.cues.periods.search(normalise(p.citation.heading)))
                or says_how_soon(p)
            )
        if self.cues.length_cues.search(plain):
            # "How long…" asks for a measure: "Covid-19" or a telephone number holds a number, not a length.
            tests.append(
                lambda p: bool(self.cues.periods.search(normalise(p.text)))
                or bool(self.cues.periods.search(normalise(p.citation.heading)))
                or bool(self.cues.named_spans.search(normalise(p.text)))
                or says_how_soon(p)
            )
        elif self.cues.quantity_cues.search(plain):
            tests.append(
                lambda p: any(c.isdigit() for c in p.text) or bool(self.cues.number_words.search(normalise(p.text)))
            )
        if any(
            not self.cues.handling_details.search(plain[: m.start()]) for m in self.cues.contact_cues.finditer(plain)
        ):
            tests.append(lambda p: bool(_CONTACT_DETAIL.search(p.text)))
        return tests

    def _preferences(self, plain: str) -> list[Callable[[Passage], bool]]:
        """What a passage holding the asked-for detail has, when the question asks for a person, an amount or
        a place:
        among tied passages, one that has it answers first (none having it declines nothing)."""
        preferences: list[Callable[[Passage], bool]] = []
        if self.cues.person_cues.search(plain):
            preferences.append(lambda p: bool(self.cues.role_words.search(normalise(p.text))))
        if self.cues.amount_cues.search(plain):
            preferences.append(lambda p: bool(_AMOUNT.search(p.text)))
        if self.cues.place_cues.search(plain):
            preferences.append(lambda p: bool(self.cues.place_words.search(normalise(p.text))))
        return preferences

    def _with_preferred_first(self, plain: str, matches: list[Match], scores: dict[Passage, float]) -> list[Match]:
        """Among passages tied with the best (in confidence and in score), the first holding every
        detail preferred comes first."""
        preferences = self._preferences(plain)
        if not preferences or not matches or all(test(matches[0].passage) for test in preferences):
            return matches
        top = scores.get(matches[0].passage, 0.0)
        tied = [
            m for m in matches[:DETAIL_CANDIDATES]
            if m.score >= TIED_RATIO * matches[0].score and scores.get(m.passage, 0.0) >= TIED_RATIO * top
        ]
        holding = next((m for m in tied if all(test(m.passage) for test in preferences)), None)
        if holding is None:
            return matches
        return [holding, *(m for m in matches if m is not holding)]

    def _with_own_passage_first(self, plain: str, ideas: set[str], matches: list[Match]) -> list[Match] | None:
        """What a policy says of itself, however little else of the question its passage shares: "when is the
        careers policy due for review?" is answered by the passage saying when it is reviewed (a review word with
        a date or how often), "which other policies go with this one?" by the one naming them, "who signs off the
        uniform policy?" by the one saying who approved it. One of the best passages saying it comes first; else
        the best match's policy's own. None when the question asks none of these, or the policy does not say."""
        if not matches or not _DOCUMENT_WORD.search(plain):
            return None
        says: Callable[[Passage], bool]
        first: Callable[[Passage], bool]
        asks_when = self.cues.frequency_cues.search(plain) or any(
            _asks_when(plain, m) for m in self.cues.time_cues.finditer(plain)
        )
        if REVIEWED in ideas and asks_when:
            says = self._says_when_reviewed
            # "Reviewed annually" for "how often"; else the next review before the last one.
            first = self._says_how_often if self.cues.frequency_cues.search(plain) else _says_next_review
        elif LINKED in ideas and _ASKS_OTHER_POLICIES.search(plain):
            says = self._names_linked_policies
            first = self._heads_linked_policies  # a section of them before a mention in passing
        elif _ASKS_WHO_APPROVES_IT.search(plain):
            says = first = _says_approved_by
        else:
            return None
        near = [m.passage for m in matches[:DETAIL_CANDIDATES] if m.score >= ALSO_NEAR_RATIO * matches[0].score]
        near_saying = [p for p in near if says(p)]
        if near_saying:
            passage = next((p for p in near_saying if first(p)), near_saying[0])
        else:
            document = matches[0].passage.citation.document
            saying = [p for p in self.library.passages if p.citation.document == document and says(p)]
            if not saying:
                return None
            passage = next((p for p in saying if first(p)), saying[0])
        return [Match(passage, matches[0].score), *(m for m in matches if m.passage is not passage)]

    def _says_how_often(self, passage: Passage) -> bool:
        """How often, in words: "annually", "every two years"."""
        return bool(self.cues.frequency_words.search(normalise(passage.text)))

    def _says_when_reviewed(self, passage: Passage) -> bool:
        """A review word with a date, a year or how often: "Date of Review; January 2022", "reviewed annually"."""
        return bool(_REVIEW_WORD.search(passage.text)) and (
            _holds_date(passage.text) or bool(_YEAR.search(passage.text)) or self._says_how_often(passage)
        )

    def _names_linked_policies(self, passage: Passage) -> bool:
        """A passage of a section on other policies ("Links with other policies", "To be read in conjunction
        with"), or one saying its policy is linked to another by name ("Associated documents; Provider Access
        Policy")."""
        opening = " ".join(passage.body.split()[:LINKED_WITHIN])
        return self._heads_linked_policies(passage) or (
            LINKED in {f for u in self.analyzer.units(opening) for f in u.features}
            and bool(_DOCUMENT_WORD.search(passage.body))
        )

    def _heads_linked_policies(self, passage: Passage) -> bool:
        """A passage under a heading about other policies."""
        heading = f"{passage.citation.heading} {passage.citation.section}"
        return LINKED in {f for u in self.analyzer.units(heading) for f in u.features}

    def _with_detail_first(self, plain: str, ideas: set[str], matches: list[Match]) -> list[Match] | None:
        """The matches with the best one holding the detail asked for first, or None when none holds it."""
        tests = self._detail_tests(plain, ideas)
        if not tests:
            return matches
        near = [m for m in matches[:DETAIL_CANDIDATES] if m.score >= ALSO_NEAR_RATIO * matches[0].score]
        holding = next((m for m in near if all(test(m.passage) for test in tests)), None)
        if holding is None:
            return None
        return [holding, *(m for m in matches if m is not holding)]

    def _with_definition_first(self, plain: str, matches: list[Match]) -> list[Match]:
        """For "what are compressed hours?", the passage defining the term comes first: one of the matches, else
        the best matching the term alone, else any (a glossary line may share no other word with the question,
        and a term of everyday words, "personal use", matches nothing)."""
        term = asked_term(plain)
        if term is None or not matches:
            return matches
        defines = definition_test(term)
        holding = next((m for m in matches[:DETAIL_CANDIDATES] if defines(folded(m.passage.body))), None)
        if holding is None:
            texts = self._folded_bodies
            units = self.analyzer.units(term)
            nearest = [s.index for s in self.index.search(units, DEFINITION_CANDIDATES)] if units else []
            defining = next((i for i in [*nearest, *range(len(texts))] if defines(texts[i])), None)
            if defining is not None:
                holding = Match(self.library.passages[defining], matches[0].score)
        if holding is None:
            return matches
        return [holding, *(m for m in matches if m.passage is not holding.passage)]

    @cached_property
    def _folded_bodies(self) -> list[str]:
        """Each passage's text as definitions are looked for in it, worked out at the first question for one."""
        return [folded(p.body) for p in self.library.passages]

    def _with_frequency_first(self, plain: str, matches: list[Match]) -> list[Match]:
        """For "how often…", the first of the near passages saying how often ("reviewed annually") comes first;
        when none says, the order stands (a policy may answer "as needed")."""
        if not matches or not self.cues.frequency_cues.search(plain):
            return matches
        near = [m for m in matches[:DETAIL_CANDIDATES] if m.score >= ALSO_NEAR_RATIO * matches[0].score]
        holding = next((m for m in near if self._says_how_often(m.passage)), None)
        if holding is None:
            return matches
        return [holding, *(m for m in matches if m is not holding)]

    def _route_policy(self, plain: str, units: list[Unit], ideas: set[str], trace: Trace | None = None) -> Routing:
        units = self._without_their_purpose(plain, units)
        if APPLIES in ideas and _ABOUT_ME.search(plain) and ("polic" in plain or ideas & self._all_title_ideas):
            units, ideas = self._whom_it_applies_to(plain, units, ideas)
        named = self._named_documents(plain) if "polic" in plain else set()
        if len(named) == 1:
            # "Does the wfh policy say…": that policy answers, not another one.
            passages = self.library.passages
            found = [s for s in self.index.search(units, 12) if passages[s.index].citation.document in named][:6]
        else:
            found = self.index.search(units, 6)
        worry = self._worry_about_a_child(plain)
        safeguarding = bool(SAFEGUARDING_IDEAS & ideas) or worry
        floor = SAFEGUARDING_THRESHOLD if safeguarding else ANSWER_THRESHOLD
        if found and confidence(found[0]) < floor:
            # The best-ranked passage may carry more of the same words while another covers more
            # of the question: a near one that clears the bar answers instead.
            # Not one from a policy that never speaks of what the message names as a policy's subject.
            on_topic = [s for s in found[:PROMOTE_FROM] if not self.index.off_topic(s.index, units)]
            near = max(on_topic or found[:PROMOTE_FROM], key=confidence)
            found = [near, *(s for s in found if s is not near)]
        matches = [self._match(s) for s in found]
        least = min(MIN_MATCHED_WEIGHT, MIN_MATCHED_SHARE * self.index.max_weight)
        best = matches[0].score if matches and found[0].matched >= least else 0.0
        unknown = self.index.unknown_topics(units)
        own_first = self._with_own_passage_first(plain, ideas, matches)
        if own_first is not None and own_first[0].passage.citation.document in named:
            # "When is the volunteers policy due for review?" names the policy and asks when it is reviewed: the
            # passage saying so answers, however little else of the question it shares.
            best = max(best, floor)
        if trace is not None:
            if unknown:
                unheld = dict.fromkeys(u.surface for u in unknown)
                trace.add(Stage.UNDERSTAND, "not in any passage: " + ", ".join(unheld))
            topics = dict.fromkeys(u.surface for u in units if self.index.names_a_policy_topic(u))
            if topics:
                trace.add(Stage.UNDERSTAND, "names what a policy is about (weighed as the rarest word): "
                          + ", ".join(topics))
            if safeguarding:
                trace.add(Stage.UNDERSTAND, "about safeguarding: the answer always points to the DSL")
            for s in found[:5]:
                passage = self.library.passages[s.index]
                trace.add(
                    Stage.RETRIEVE,
                    f"{confidence(s):.3f}  score {s.score:.2f} covers {s.coverage:.0%}  {passage.citation}: "
                    f"{_snippet(passage.body)}",
                )
            if matches and not best:
                trace.add(Stage.RETRIEVE, f"the best passage shares only everyday words with the question "
                          f"(weight {found[0].matched:.2f} of the {least:.2f} an answer needs)")
        reason = self._reason_to_decline(plain, units, ideas, found, best, floor, unknown, safeguarding)
        if reason is not None:
            return self._decline(matches, safeguarding, reason)
        detailed = own_first or self._with_detail_first(plain, ideas, matches)
        if detailed is None:
            return self._decline(matches, safeguarding, DeclineReason.DETAIL_NOT_HELD)
        if own_first is None:
            scores = {self.library.passages[s.index]: s.score for s in found}
            detailed = self._with_preferred_first(plain, self._with_frequency_first(plain, detailed), scores)
            detailed = self._with_definition_first(plain, detailed)
        # What a policy says of itself (its review, its links, who approves it) answers first, as found.
        matches = self._with_short_list(detailed)
        if trace is not None:
            term = asked_term(plain)
            if own_first is not None:
                trace.add(Stage.RANK, "asks what the policy says of itself (its review, the policies that go with "
                          "it, who approves it): the passage saying so comes first")
            elif term is not None:
                trace.add(Stage.RANK, f"asks what \"{term}\" means: a passage defining it comes first")
            for m in matches[:5]:
                trace.add(Stage.RANK, f"{m.score:.3f}  {m.passage.citation}: {_snippet(m.passage.body)}")
        if safeguarding:
            # Never answer a safeguarding question without pointing to the DSL: second at the
            # latest, scored as the best, so the answer always quotes it. A worry about a child
            # asks who to tell: the DSL comes first.
            dsl = self._dsl_passage_for(matches)
            rest = [m for m in matches if m.passage not in dsl]
            extra = [Match(p, best) for p in dsl]
            first = 0 if worry or matches[0].passage in dsl else 1
            matches = rest[:first] + extra + rest[first:]
            best = max(best, ANSWER_THRESHOLD)
        return Routing(Intent.POLICY, round(best, 3), tuple(matches), safeguarding=safeguarding)

    def _reason_to_decline(
        self,
        plain: str,
        units: list[Unit],
        ideas: set[str],
        found: list[Scored],
        best: float,
        floor: float,
        unknown: list[Unit],
        safeguarding: bool,
    ) -> DeclineReason | None:
        """Why the best passage does not answer, or None when it does."""
        if self._asks_what_policies_never_say(plain, units, found):
            return DeclineReason.NEVER_IN_POLICIES
        if self._names_another_policy(plain) or ("polic" in plain and self._asks_what_another_policy_says(plain)):
            return DeclineReason.OTHER_POLICY
        if unknown and not safeguarding:
            return DeclineReason.NOT_COVERED
        if best < floor:
            return DeclineReason.LOW_CONFIDENCE
        if found and not safeguarding and self._about_pupils_elsewhere(plain, found[0].index):
            return DeclineReason.ABOUT_SOMEONE_ELSE
        return None

    def _whom_it_applies_to(self, plain: str, units: list[Unit], ideas: set[str]) -> tuple[list[Unit], set[str]]:
        """ "I'm a cleaner (in the office), does the wfh policy apply to me?": who is asking is described,
        not a topic; the question is whom the policy takes in, answered by a passage that says so.
        A topic named otherwise ("on maternity leave", "for parking") still counts against answering."""
        described = {w for m in _SELF_DESCRIBED.finditer(plain) for w in m.group(1).split()}
        scope = [
            u for u in units
            if u.features & ({APPLIES} | self._all_title_ideas)
            or (self.index.unknown_topics([u]) and not set(u.surface.split()) <= described)
        ]
        found = self.index.search(scope, 1)
        if not found or not self.index.covers_idea(found[0].index, APPLIES):
            return units, ideas
        return scope, {f for u in scope for f in u.features}

    def _without_examples(self, text: str, units: list[Unit]) -> list[Unit]:
        """Examples given in brackets or after "e.g." ("instrument lessons (guitar/violin)") that no policy
        names are left out: the question is about what they are examples of. A topic word no policy covers
        ("(parking)") still counts against answering, and a message is never left empty."""
        examples = {w for m in _EXAMPLES.finditer(text) for w in normalise(m.group(1) or m.group(2)).split()}
        if not examples:
            return units
        side = [
            u for u in units
            if set(u.surface.split()) <= examples and self.index.unmatched(u) and not self.index.unknown_topics([u])
        ]
        kept = [u for u in units if u not in side]
        return kept or units

    def _without_their_purpose(self, plain: str, units: list[Unit]) -> list[Unit]:
        """Topics no policy covers that someone else would use a thing for are side words."""
        purposes = {w for m in _THEIR_PURPOSE.finditer(plain) for w in m.group(1).split()}
        if not purposes:
            return units
        return [
            replace(u, place=True) if set(u.surface.split()) <= purposes and self.index.unknown_topics([u]) else u
            for u in units
        ]

    def _with_short_list(self, matches: list[Match]) -> list[Match]:
        """A passage of a short section, or a bullet of a short list, is read with the rest of it.

        "Staff may work home if they are: …" is answered by the whole list, and a section of
        three short paragraphs by all three, when they fit in a reply.
        """
        top = matches[0]
        section = self._sections[top.passage]
        if sum(len(p.text) for p in section) <= SHORT_SECTION_CHARS:
            together = section
        else:
            together = self._lists.get(top.passage, ())
            if sum(len(p.body) for p in together) > SHORT_LIST_CHARS:
                together = ()
        listed = [Match(p, top.score) for p in together if p != top.passage]
        return [top, *listed, *_put_other_sections_first([m for m in matches[1:] if m.passage not in together])]

    def _dsl_passage_for(self, matches: list[Match]) -> list[Passage]:
        """The passage pointing to the DSL: from the policy of the best match when it has one (a school's
        safeguarding policy names its own designated person), else the first in the library."""
        passages = [self.library.passages[i] for i in self._dsl_passages]
        if matches:
            document = matches[0].passage.citation.document
            own = [p for p in passages if p.citation.document == document]
            if own:
                return own[:1]
        return passages[:1]

    def _decline(self, matches: list[Match], safeguarding: bool, reason: DeclineReason) -> Routing:
        """A fallback; about safeguarding, the DSL passage comes first so the reply can point to the DSL."""
        confidence = min(matches[0].score, ANSWER_THRESHOLD / 2) if matches else 0.0
        if safeguarding:
            dsl = [Match(p, confidence) for p in self._dsl_passage_for(matches)]
            matches = dsl + [m for m in matches if m.passage not in {d.passage for d in dsl}]
        return Routing(Intent.FALLBACK, round(confidence, 3), tuple(matches), safeguarding=safeguarding, reason=reason)


def _describe(unit: Unit) -> str:
    """A unit as --explain shows it: its words, and the ideas it stands for."""
    ideas = sorted(f for f in unit.features if f.startswith("~"))
    return unit.surface + (f" ({', '.join(ideas)})" if ideas else "")


def _snippet(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _put_other_sections_first(matches: list[Match]) -> list[Match]:
    """The best match of each section in rank order, then the rest in rank order: a close
    second section is quoted before more of the first."""
    seen: set[object] = set()
    leaders: list[Match] = []
    for match in matches:
        if match.passage.citation not in seen:
            seen.add(match.passage.citation)
            leaders.append(match)
    return leaders + [m for m in matches if m not in leaders]


def _after_determiner(words: str) -> str:
    """The name in the words before "policy": "the Headteacher applies the policy" names no policy
    "applies", "our IT Acceptable use Policy" names "IT Acceptable use"."""
    kept = words.split()
    for i in range(len(kept) - 1, -1, -1):
        if kept[i] in _DETERMINERS:
            return " ".join(kept[i + 1 :])
    return words


def _question_asked(text: str) -> str | None:
    """The sentences of a message that end in a question mark, when others say more around them."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    asked = [s for s in sentences if s.rstrip().endswith("?")]
    if not asked or len(asked) == len(sentences):
        return None
    return " ".join(asked)


def _named_in(words: str) -> str:
    """The words before "policy" that name one: none in "which policies", "table" not in "table which policies"."""
    kept = words.split()
    for i in range(len(kept) - 1, -1, -1):
        if kept[i] in _WHICH:
            return " ".join(kept[i + 1 :])
    return words


def _says_approved_by(passage: Passage) -> bool:
    """A passage saying who approves or wrote its policy: "Approved by; Education Committee", "it will be
    approved by the Local Academy Council", "developed by a working group made up of"."""
    return bool(_APPROVED_OR_WRITTEN.search(passage.text))


def _says_next_review(passage: Passage) -> bool:
    return bool(_NEXT_REVIEW.search(passage.text))


def _holds_date(text: str) -> bool:
    """Whether a passage gives a date, written out ("31 August") or short ("31 Aug", "31/08/2021")."""
    return bool(_DATE.search(text)) or bool(_SHORT_DATE.search(text))


#: Words of a message that make it the speaker's own: "cancel my day", "I no longer need Friday", "please scrap it".
def _initials_features(title: str, analyzer: Analyzer) -> frozenset[str]:
    initials = title_initials(title)
    return frozenset(f for u in analyzer.units(initials) for f in u.features) if initials else frozenset()


def _add_spelled_out_short_forms(lexicon: Lexicon, library: PolicyLibrary, corpus_words: set[str]) -> None:
    """The initials of names the policies spell out ("ESAs": "Education Support Assistants") read as those names,
    unless the short form is already a word of the policies, of English or of the lexicon."""
    taken = set(corpus_words) | {w for s in lexicon.stopwords for w in normalise(s).split()}
    taken |= {w for group in lexicon.groups for entry in group for w in normalise(entry).split()}
    taken |= {w for s in (*lexicon.topic_words, *lexicon.shorthand) for w in normalise(s).split()}
    texts = [p.text for p in library.passages] + [s.heading for s in library.sections()]
    dictionary = english()
    for typed, meant in spelled_out(texts, taken).items():
        if not dictionary.known([typed]):
            lexicon.shorthand.setdefault(typed, meant)


_FIRST_PERSON = re.compile(r"\b(?:i|im|ive|id|ill|my|me|mine|please|pls|plz)\b")


def _cancels_own(plain: str, cancel: PhraseSet) -> bool:
    """Whether the speaker cancels something of theirs ("cancel Friday", "can I withdraw my request"), not
    tells of someone else cancelling ("a hirer cancelled their Saturday booking, do they get a refund?")."""
    first = cancel.search(plain)
    return (first is not None and first.start() == 0) or bool(_FIRST_PERSON.search(plain))


def _asks_when(plain: str, cue: re.Match[str]) -> bool:
    """A time cue asks for a time, unless its "by" names who does a thing: "done by me", not "done by Friday"."""
    if not cue.group(0).endswith(" by"):
        return True
    following = plain[cue.end() :].split()
    return not following or following[0] not in _BY_WHOM


def _own_login(plain: str) -> bool:
    """ "What's my CPOMS login?": asking for one's own sign-in, which no policy holds.
    Not "what's the password rule": that names no one's own."""
    match = _OWN_LOGIN.search(plain)
    return match is not None and match.group(1) is not None


def confidence(scored: Scored) -> float:
    """0..1: mostly coverage of the message, damped when the match itself is thin."""
    strength = min(1.0, scored.score / 4.0)
    return scored.coverage * (0.6 + 0.4 * strength)
