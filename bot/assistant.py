"""The conversation core: a neutral event in, neutral replies out.

`Assistant.answer` turns one message into an `Answer` (pure: no database);
`Assistant.handle` runs the whole conversation, including requests and
approvals when a request workflow is attached. Nothing here knows Slack or
Teams; adapters and the terminal render what it returns.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.answers import MAX_ANSWER_CHARS, compose_decline, compose_policy_answer, group_quotes
from bot.clock import Clock
from bot.messages import Action, Block, Button, ButtonsBlock, Message, Person, QuoteBlock, Reply, TextBlock
from bot.questions.suggestions import suggest_questions
from intents.policy_library import Citation, Passage
from intents.router import Router
from intents.routing import Intent, RequestSlots, Routing

if TYPE_CHECKING:  # the request workflow and question log (and their database) load only when attached
    from bot.questions.desk import QuestionDesk
    from bot.requests.conversation import RequestConversation

#: Longer messages are refused politely: nobody types a policy question this long.
MAX_MESSAGE_CHARS = 4000

#: The button under an answer that opens a request form; its value names the request type and
#: what the message said (the days, the part of the day) to fill the form in with.
START_REQUEST = "request.start"


@dataclass(frozen=True)
class RequestOffer:
    """A request form the answers offer: under any answer quoting one of `sections` (document,
    section), and as the answer itself to a message that asks for it (`intent`, or `asked`)."""

    type_name: str
    #: The button's label.
    label: str
    #: The request type's name for people ("Leave of absence").
    noun: str
    sections: frozenset[tuple[str, str]]
    #: The passages quoted when someone asks for it directly (none: the policies don't cover it).
    rules: tuple[Passage, ...]
    #: "ask for leave": the answer says "To ask for leave on Friday, send a request: …".
    ask_phrase: str
    #: "your line manager and the headteacher decide it".
    route: str
    #: The router's intent that asks for it (working from home).
    intent: Intent | None = None
    #: Recognises a message asking for it: the form's pre-fill and the days as named, or None.
    asked: Callable[[str, date], tuple[dict[str, Any], str] | None] | None = None

    def applies_to(self, citations: Sequence[Citation]) -> bool:
        return any((c.document, c.section) in self.sections for c in citations)

    def button(self, prefill: dict[str, Any] | None = None) -> Button:
        """The button that opens the form; it carries only the type and what to pre-fill it with."""
        value = json.dumps({**(prefill or {}), "type": self.type_name}, sort_keys=True)
        return Button(label=self.label, action_id=START_REQUEST, value=value, style="primary")

    def next_step(self, when_text: str = "") -> str:
        asked = f" {when_text}" if when_text else ""
        return f"To {self.ask_phrase}{asked}, send a request: {self.route}, and I'll tell you the outcome."


#: At most this many of the school's policies are named in the help text.
MAX_POLICIES_NAMED = 8
#: Example questions the help text offers, drawn from the school's own headings.
HELP_EXAMPLES = 2


def help_text(
    offers: Sequence[RequestOffer], policies: Sequence[str] = (), examples: Sequence[str] = ()
) -> str:
    """What the assistant can do here: questions about this school's policies (named, with examples drawn
    from their headings, never fixed text another school's policies may not answer), and the requests this
    school's `school.yaml` offers."""
    named_policies = ""
    if policies:
        shown = list(policies[:MAX_POLICIES_NAMED])
        more = len(policies) - len(shown)
        listing = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        named_policies = f" ({listing})"
    text = f"I answer questions from the school's policies{named_policies}, quoting the policy and where it says it."
    if examples:
        text += " Try: " + " or ".join(f"\"{example}\"" for example in examples) + "."
    else:
        text += " Ask in your own words."
    if not offers:
        return text
    phrases = [offer.ask_phrase for offer in offers]
    named = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]
    return (f"{text} You can also {named}: just say what you need, and I'll bring the form. "
            "Check or cancel your requests with \"what's happening with my request?\".")


@dataclass(frozen=True)
class Answer:
    """The assistant's reply to one message, with what it understood."""

    question: str
    intent: Intent
    answered: bool
    confidence: float
    reply: Reply
    citations: tuple[Citation, ...] = ()
    slots: dict[str, Any] = field(default_factory=dict)
    routing: Routing | None = None

    def to_json(self) -> dict[str, Any]:
        """The shape `staffroom ask --jsonl` prints, one object a line."""
        return {
            "question": self.question,
            "intent": self.intent.value,
            "answered": self.answered,
            "confidence": round(self.confidence, 3),
            "text": self.reply.text,
            "citations": [
                {"document": c.document, "section": c.section, "heading": c.heading} for c in self.citations
            ],
            "slots": self.slots,
        }


def clean_message(text: str) -> str:
    """Drop control characters and surrounding space; keep letters, emoji and new lines."""
    if text.isprintable():  # the usual message: nothing to drop
        return text.strip()
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "".join(kept).strip()


def slots_to_json(slots: RequestSlots | None) -> dict[str, Any]:
    if slots is None:
        return {}
    when = slots.when
    result: dict[str, Any] = {"part_of_day": when.part_of_day.value}
    if when.start is not None:
        result["start"] = when.start.isoformat()
    if when.end is not None:
        result["end"] = when.end.isoformat()
    if when.weekday is not None:
        result["weekday"] = when.weekday
    if when.until_term_end:
        result["until_term_end"] = True
    if when.text:
        result["when_text"] = when.text
    if slots.reason:
        result["reason"] = slots.reason
    if slots.reason_category is not None:
        result["reason_category"] = slots.reason_category.value
    return result


def _beside_the_answer(form: Reply) -> Reply:
    """A form offered under an answer comes as a new message: the answer stays as it was (a refusal is
    just for the person who pressed, and says so itself)."""
    return form if form.ephemeral else form.model_copy(update={"keeps_card": True})


class Assistant:
    """One school's assistant: its router, its clock and (optionally) its request workflow."""

    def __init__(
        self,
        router: Router,
        clock: Clock,
        timezone: ZoneInfo,
        requests: RequestConversation | None = None,
        offers: Sequence[RequestOffer] | None = None,
        questions: QuestionDesk | None = None,
    ) -> None:
        self.router = router
        self.clock = clock
        self.timezone = timezone
        #: Requests and approvals, when the school's records are attached.
        self.requests = requests
        #: The request forms answers offer (by default, one per request type of the attached school).
        self.offers = tuple(offers if offers is not None else requests.offers() if requests is not None else ())
        #: The question log (declines and 👎, without who asked) and 👍/👎 under answers, when attached.
        self.questions = questions
        #: The help text's example questions, for the router and day they were worked out for.
        self._examples: tuple[Router, date, tuple[str, ...]] | None = None

    @property
    def help_text(self) -> str:
        """What this assistant can do, for "help" and a first hello: the school's policies by title, and two
        questions from their headings (worked out once a day)."""
        today = self.today()
        if self._examples is None or self._examples[0] is not self.router or self._examples[1] != today:
            self._examples = (self.router, today, tuple(suggest_questions(self.router, today, HELP_EXAMPLES)))
        titles = tuple(dict.fromkeys(p.citation.document for p in self.router.library.passages))
        return help_text(self.offers, titles, self._examples[2])

    def today(self) -> date:
        return self.clock.now().astimezone(self.timezone).date()

    # -- understanding one message --------------------------------------------

    def answer(self, text: str) -> Answer:
        """Answer one message from the policies; bad input gets a clear reply, never an error."""
        question = clean_message(text)
        refusal = self._refuse(question)
        if refusal is not None:
            return Answer(question[:200], Intent.FALLBACK, False, 0.0, Reply(text=refusal))
        routing = self.router.route(question, self.today())
        # "Can I have the afternoon off tomorrow?" may read as help to the router: the form it asks for wins.
        if routing.intent in (Intent.POLICY, Intent.FALLBACK, Intent.HELP) and not routing.safeguarding:
            for offer in self.offers:
                asked = offer.asked(question, self.today()) if offer.asked is not None else None
                if asked is None:
                    continue
                if not offer.rules and routing.intent is Intent.POLICY:
                    # The request type names no section, but the policies answer the message: that
                    # answer, then how to ask (never "the policies don't cover it" when they may).
                    return self._answer_with_offer(question, routing, offer, *asked)
                return self._answer_request(question, routing, offer, *asked)
        if routing.intent is Intent.POLICY:
            policy = compose_policy_answer(routing)
            reply = Reply(text=policy.text, blocks=policy.blocks + self._offer_buttons(policy.citations))
            return Answer(question, routing.intent, policy.answered, routing.confidence, reply,
                          policy.citations, routing=routing)
        if routing.intent is Intent.FALLBACK:
            decline = compose_decline(routing)
            return Answer(question, routing.intent, False, routing.confidence,
                          Reply(text=decline.text, blocks=decline.blocks), routing=routing)
        if routing.intent is Intent.HELP:
            return Answer(question, routing.intent, False, routing.confidence,
                          Reply(text=self.help_text, blocks=(TextBlock(text=self.help_text),)), routing=routing)
        if routing.intent is Intent.REQUEST_WFH:
            routed = next((offer for offer in self.offers if offer.intent is routing.intent), None)
            return self._answer_request(question, routing, routed, slots_to_json(routing.slots))
        return self._answer_about_requests(question, routing)

    def _answer_with_offer(self, question: str, routing: Routing, offer: RequestOffer,
                           prefill: dict[str, Any], when_text: str) -> Answer:
        """The policy answer to a message that also asks for a request, with the step and the button."""
        policy = compose_policy_answer(routing)
        if not policy.answered:
            return self._answer_request(question, routing, offer, prefill, when_text)
        next_step = offer.next_step(when_text)
        if len(policy.text) + len(next_step) + 2 > MAX_ANSWER_CHARS:
            next_step = ""  # the answer stays within its length; the button says what it does
        said = (TextBlock(text=next_step),) if next_step else ()
        blocks = (*policy.blocks, *said, ButtonsBlock(buttons=(offer.button(prefill),)))
        reply = Reply(text="\n\n".join(part for part in (policy.text, next_step) if part), blocks=blocks)
        return Answer(question, routing.intent, True, routing.confidence, reply, policy.citations, prefill, routing)

    def _offer_buttons(self, citations: Sequence[Citation]) -> tuple[Block, ...]:
        """A button for each request form whose policy section the answer quotes."""
        buttons = tuple(offer.button() for offer in self.offers if offer.applies_to(citations))
        return (ButtonsBlock(buttons=buttons),) if buttons else ()

    @staticmethod
    def _refuse(question: str) -> str | None:
        if not question:
            return "Send me a question about the school's policies, or type \"help\" to see what I can do."
        if len(question) > MAX_MESSAGE_CHARS:
            return (
                f"That message is too long for me ({len(question):,} characters). "
                f"Please ask in under {MAX_MESSAGE_CHARS:,} characters — one question at a time works best."
            )
        if not any(ch.isalnum() for ch in question):
            return "I couldn't read a question in that message. Type \"help\" to see what I can do."
        return None

    def _answer_request(self, question: str, routing: Routing, offer: RequestOffer | None,
                        prefill: dict[str, Any], when_text: str | None = None) -> Answer:
        """"Can I work from home on Friday?": the rule that applies, and the button that asks.

        When the school's policies hold nothing on it, the answer says so rather than quote
        something else; the request can still be sent.
        """
        if when_text is None:
            when = routing.slots.when if routing.slots else None
            when_text = when.text if when is not None else ""
        if offer is None:
            rules: tuple[Passage, ...] = tuple(m.passage for m in routing.matches[:2])
            next_step = "This school doesn't take these requests through me: please ask your line manager."
        else:
            rules = offer.rules or (tuple(m.passage for m in routing.matches[:2]) if offer.intent else ())
            next_step = offer.next_step(when_text)
        sections = group_quotes(rules)
        quotes = [QuoteBlock(text=q.text, citation=str(q.citation)) for q in sections]
        # Quote whole sections while the answer stays short; name the rest.
        quoted: list[QuoteBlock] = []
        named: list[str] = []
        for quote in quotes:
            length = sum(len(q.text) + len(q.citation) + 4 for q in [*quoted, quote])
            if length + len(next_step) + 120 <= MAX_ANSWER_CHARS:
                quoted.append(quote)
            else:
                named.append(quote.citation)
        if named:
            next_step += " See also: " + "; ".join(named) + "."
        if not quotes and offer is not None:
            noun = offer.noun[:1].lower() + offer.noun[1:]
            next_step = f"The school's policies don't cover {noun}, so I have no rule to quote. " + next_step
        blocks: list[Block] = [*quoted, TextBlock(text=next_step)]
        if offer is not None:
            # The button carries only what to pre-fill the form with; who asks comes from the platform.
            blocks.append(ButtonsBlock(buttons=(offer.button(prefill),)))
        text = "\n\n".join([*(f"{q.citation}:\n{q.text}" for q in quoted), next_step])
        citations = tuple(q.citation for q in sections)
        intent = routing.intent if offer is None or offer.intent is not None else Intent.POLICY
        return Answer(question, intent, bool(quoted), routing.confidence,
                      Reply(text=text, blocks=tuple(blocks)), citations, prefill, routing)

    # -- the whole conversation ------------------------------------------------

    async def handle(self, event: Message | Action) -> list[Reply]:
        """Replies to one event from a verified person; notices to others go to the outbox.

        In a channel or group chat, requesters' reasons and notes are taken out of the replies.
        """
        replies = await self._handle(event)
        if event.conversation is not None and event.conversation.shared:
            from bot.privacy.redact import redact_reasons

            return [redact_reasons(reply) for reply in replies]
        return replies

    async def _handle(self, event: Message | Action) -> list[Reply]:
        now = self.clock.now()
        if self.questions is not None:
            await self.questions.keep_router_current(self)
        if isinstance(event, Action):
            if self.questions is not None and self.questions.handles(event.action_id):
                return list(await self.questions.act(event, self))
            if self.requests is None:
                return [Reply(text="Requests aren't switched on here, so that button does nothing.")]
            if event.action_id == START_REQUEST:
                return [_beside_the_answer(self.requests.offer_form(event.person, event.value, now))]
            if event.action_id.startswith("checkin."):  # wellbeing check-in buttons (bot/checkins)
                from bot.checkins.actions import handle_checkin_action

                return [await handle_checkin_action(self.requests.workflow, event, now)]
            return await self.requests.handle_action(event, now)
        answer = self.answer(event.text)
        reply = answer.reply if self.questions is None else await self.questions.note(answer, self.today())
        if self.requests is None or answer.routing is None:
            return [reply]
        if answer.intent in (Intent.MY_REQUESTS, Intent.CANCEL_REQUEST):
            on = answer.routing.slots.when.start if answer.intent is Intent.CANCEL_REQUEST and answer.routing.slots \
                else None
            return [await self.requests.show_my_requests(event.person, now, on)]
        return [reply]

    async def show_requests(self, person: Person) -> Reply | None:
        """The person's requests, and those waiting for their decision; None when requests aren't switched on."""
        if self.requests is None:
            return None
        return await self.requests.show_my_requests(person, self.clock.now())

    async def current_card(self, person: Person, value: str) -> Reply | None:
        """The card `person` should see now for the request `value` names (the decision buttons only while
        they may decide it); None when requests aren't switched on here."""
        if self.requests is None:
            return None
        return await self.requests.card_for(person, value, self.clock.now())

    def _answer_about_requests(self, question: str, routing: Routing) -> Answer:
        text = (
            "I can show and cancel your requests when I'm connected to the school's request records: "
            "ask me in Slack or Teams, or run `staffroom chat --as YOUR_EMAIL`."
        )
        return Answer(question, routing.intent, False, routing.confidence, Reply(text=text),
                      slots=slots_to_json(routing.slots), routing=routing)
