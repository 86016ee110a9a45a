"""The Teams bot: one turn of a Bot Framework conversation, in the core's neutral words.

Messages (personal chat, or an @mention in a channel) become `Message`s; card buttons
become `Action`s — `Action.Execute` invokes in Teams (the invoke answer replaces the
card), `Action.Submit` messages from clients without Universal Actions (the local demo's
Web Chat). Installation and conversation updates record where to reach the person later.
Who is acting always comes from the activity's sender as the channel authenticated it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from botbuilder.core import Bot, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import ServiceClientCredentialsFactory
from msrest.exceptions import ClientException

from bot.messages import Action, Message, Person, Reply
from bot.platform_storage import EventLog
from bot.questions.desk import ANSWER_BAD, ANSWER_FEEDBACK
from bot.questions.digest import TEACH
from bot.questions.suggestions import ASK
from bot.runtime import Runtime
from bot.teams import activities
from bot.teams.activities import is_refusal, render_activity, render_reply_card
from bot.teams.auth import MICROSOFT_METADATA_URL, KeyTiming
from bot.teams.cards import REFRESH, ButtonKind, is_plain
from bot.teams.parse import (
    CARD_ACTION_INVOKE,
    PLATFORM,
    CardAction,
    account_of,
    conversation_of,
    is_personal,
    message_text,
    parse_card_data,
    parse_execute,
)
from bot.teams.service_urls import ServiceUrlPolicy

log = logging.getLogger(__name__)

#: The question desk's buttons whose answer comes as a new message, leaving their card as it is: the
#: forms they open (👎's "what were you looking for?", teaching a wording) and a suggested question's
#: answer. (The core marks a request form offered under an answer itself: `Reply.keeps_card`.)
KEEPS_CARD = frozenset({ANSWER_BAD, TEACH, ASK})


class MemberLookupFailed(Exception):
    """Teams' member lookup errored or timed out: who is talking is unknown for this turn."""


@dataclass
class TeamsOptions:
    """How this deployment talks to Bot Framework clients."""

    #: Channels whose clients only know `Action.Submit` (the local demo's Web Chat).
    submit_channels: frozenset[str] = frozenset({"webchat"})
    #: Service URLs of such clients, for proactive messages (the demo registers its own).
    submit_service_urls: set[str] = field(default_factory=set)
    #: Accept activities without a token. Only `staffroom demo` and a loopback server started
    #: with `--teams-unauthenticated` set this; with MicrosoftAppId it has no effect.
    unauthenticated: bool = False
    #: Which service URLs the bot may call (Microsoft's, plus loopback ones named in configuration).
    service_urls: ServiceUrlPolicy = field(default_factory=ServiceUrlPolicy)
    #: Where Microsoft's signing keys are published (a loopback stand-in in tests).
    metadata_url: str = MICROSOFT_METADATA_URL
    key_timing: KeyTiming = field(default_factory=KeyTiming)
    #: How long to wait for Teams' member lookup (who is talking) before answering without it.
    member_lookup_timeout: float = 5.0
    #: Outgoing credentials (botbuilder's from the settings when None; tests give a fixed token).
    credentials_factory: ServiceClientCredentialsFactory | None = None

    def kind_for_channel(self, channel_id: str | None) -> ButtonKind:
        return ButtonKind.SUBMIT if channel_id in self.submit_channels else ButtonKind.EXECUTE

    def kind_for_service(self, service_url: str | None) -> ButtonKind:
        return ButtonKind.SUBMIT if service_url in self.submit_service_urls else ButtonKind.EXECUTE


class TeamsBot(Bot):  # type: ignore[misc]
    """Routes each activity to the assistant and renders what it says.

    `events` records the activities already handled, so one Teams delivers twice is answered once.
    """

    def __init__(self, runtime: Runtime, events: EventLog, options: TeamsOptions | None = None) -> None:
        self.runtime = runtime
        self.events = events
        self.options = options or TeamsOptions()

    async def on_turn(self, context: TurnContext) -> None:
        kind = context.activity.type
        if kind == ActivityTypes.message:
            await self.on_message(context)
        elif kind == ActivityTypes.invoke:
            await self.on_invoke(context)
        elif kind == ActivityTypes.installation_update:
            await self.on_installation(context)
        elif kind == ActivityTypes.conversation_update:
            await self.on_conversation_update(context)
        # Typing, reactions and the rest need no answer.

    # -- who is talking -----------------------------------------------------------------

    async def identify(self, context: TurnContext) -> Person:
        """The verified person behind the sender, recording where to reach them in private.

        When Teams' member lookup fails or is slow, the person is still met (so their question is
        answered) but marked `unidentified`: actions that need to know who they are say so.
        """
        activity = context.activity
        account = account_of(activity)
        email = await self.runtime.known_email(PLATFORM, account.workspace, account.user_id)
        lookup_failed = False
        if email is None and self.options.service_urls.allows(activity.service_url):
            try:
                email = await self.lookup_email(context, account.channel_user_id, self.options.member_lookup_timeout)
            except MemberLookupFailed:
                lookup_failed = True
        person = await self.runtime.meet(
            platform=PLATFORM,
            workspace=account.workspace,
            user_id=account.user_id,
            email=email,
            display_name=account.display_name,
            conversation=conversation_of(activity) if is_personal(activity) else None,
        )
        if lookup_failed and person.email is None:
            return person.model_copy(update={"unidentified": True})
        return person

    @staticmethod
    async def lookup_email(context: TurnContext, channel_user_id: str, timeout: float) -> str | None:
        """The sender's email as the channel reports it (Teams' member lookup), if it will say.

        Raises `MemberLookupFailed` when the lookup errors or takes longer than `timeout` seconds;
        None when Teams answers without an email.
        """
        if not isinstance(context.activity.channel_data, dict):
            return None  # botbuilder's lookup needs the channel data Teams always sends
        try:
            async with asyncio.timeout(timeout):
                member = await TeamsInfo.get_member(context, channel_user_id)
        except Exception as error:
            # Any failure of this best-effort lookup (HTTP errors, timeouts, botbuilder's helper on channel
            # data of an unexpected shape) must not stop the turn: the question is still answered.
            log.warning("teams: member lookup failed (%s); identifying by id only", type(error).__name__)
            raise MemberLookupFailed from error
        email = member.email or member.user_principal_name if member is not None else None
        return str(email) if email else None

    # -- activities -----------------------------------------------------------------------

    async def on_message(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.id and not await self.events.claim(PLATFORM, [f"{activity.conversation.id}|{activity.id}"]):
            log.info("teams: activity delivered again; already handled")
            return
        submitted = parse_card_data(activity.value) if activity.value is not None else None
        if activity.value is not None and submitted is None:
            await context.send_activity(_plain("I couldn't read that card. Please ask again and use the new card."))
            return
        person = await self.identify(context)
        if submitted is not None:
            await self.on_submit(context, person, submitted)
            return
        text = message_text(activity)
        replies = await self.runtime.assistant.handle(
            Message(person=person, text=text, conversation=conversation_of(activity))
        )
        await self.send(context, replies)

    async def on_submit(self, context: TurnContext, person: Person, pressed: CardAction) -> None:
        """`Action.Submit`: like Universal Actions, the pressed card is replaced by the answer."""
        replies = await self.act(context, person, pressed)
        first, rest = replies[0], replies[1:]
        card_id = context.activity.reply_to_id
        if card_id and not keeps_card(pressed, first) and not is_refusal(first):
            update = render_activity(first, ButtonKind.SUBMIT)
            update.id = card_id
            await context.update_activity(update)
        else:
            rest = [first, *rest]
        await self.send(context, rest)

    async def on_invoke(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.name != CARD_ACTION_INVOKE:
            await context.send_activity(activities.bad_invoke(f"Staffroom doesn't handle '{activity.name}'."))
            return
        pressed = parse_execute(activity.value)
        if pressed is None:
            await context.send_activity(activities.error_response("I couldn't read that card action."))
            return
        person = await self.identify(context)
        viewers = (str(activity.from_property.id),)
        if pressed.action_id == REFRESH:
            current = await self.runtime.assistant.current_card(person, pressed.value)
            if current is None:
                await context.send_activity(activities.error_response("Requests aren't switched on here."))
                return
            card = render_reply_card(current, ButtonKind.EXECUTE, viewers)
            await context.send_activity(activities.card_response(card))
            return
        replies = await self.act(context, person, pressed)
        first, rest = replies[0], replies[1:]
        if pressed.action_id in ANSWER_FEEDBACK:
            # 👍/👎 keep the answer's card; a 👎's "what were you looking for?" comes as a new card.
            await context.send_activity(activities.message_response(first.text))
            rest = rest if is_plain(first) else [first, *rest]
        elif is_refusal(first):
            await context.send_activity(activities.error_response(first.text))
        elif pressed.action_id == ASK:
            # A suggested question: the suggestions stay; the answer comes as its own card.
            await context.send_activity(activities.message_response(pressed.value[:200]))
            rest = [first, *rest]
        elif keeps_card(pressed, first):
            await context.send_activity(activities.message_response(first.text))
            rest = [first, *rest]
        else:
            # A card that follows a request ("Request #N sent", a decision card) refreshes for this person.
            card = render_reply_card(first, ButtonKind.EXECUTE, viewers)
            await context.send_activity(activities.card_response(card))
            outcome = first.outcome
            if outcome is not None and outcome.pressed is not None and activity.reply_to_id:
                await self.show_outcome_to_everyone(context, person, str(outcome.request_id))
        await self.send(context, rest)

    async def show_outcome_to_everyone(self, context: TurnContext, person: Person, request_id: str) -> None:
        """Replace the approver's card itself with the request as it stands, so anyone else who sees it sees that."""
        current = await self.runtime.assistant.current_card(person, request_id)
        if current is None:
            return
        update = render_activity(current, ButtonKind.EXECUTE)
        update.id = context.activity.reply_to_id
        try:
            await context.update_activity(update)
        except (ClientException, OSError, TimeoutError) as error:
            # The person already has the new card from the invoke answer; others refresh it.
            log.warning("teams: couldn't update the approver's card (%s)", type(error).__name__)

    async def act(self, context: TurnContext, person: Person, pressed: CardAction) -> list[Reply]:
        action = Action(
            person=person,
            action_id=pressed.action_id,
            value=pressed.value,
            inputs=pressed.inputs,
            conversation=conversation_of(context.activity),
        )
        replies = await self.runtime.assistant.handle(action)
        return replies or [Reply(text="Done.")]

    async def on_installation(self, context: TurnContext) -> None:
        """Installed (personal or team): remember the installer; say hello in a personal chat, with suggestions."""
        action = context.activity.action or ""
        if not action.startswith("add"):
            log.info("teams: app %s by a user", action or "updated")
            return
        await self.identify(context)
        if is_personal(context.activity):
            assistant = self.runtime.assistant
            welcome = "Hello, I'm Staffroom. " + assistant.help_text
            if assistant.questions is None:
                await context.send_activity(_plain(welcome))
                return
            # Hello, with questions from the school's own policies to try (each a button that asks it).
            await self.send(context, [assistant.questions.welcome(assistant, welcome)])

    async def on_conversation_update(self, context: TurnContext) -> None:
        """Members added to a personal chat: where to reach this person from now on."""
        if is_personal(context.activity) and context.activity.members_added:
            await self.identify(context)

    async def send(self, context: TurnContext, replies: list[Reply]) -> None:
        """Send replies in this conversation; decision cards refresh only for this person."""
        kind = self.options.kind_for_channel(context.activity.channel_id)
        viewers = (str(context.activity.from_property.id),)
        for reply in replies:
            await context.send_activity(render_activity(reply, kind, viewers))


def keeps_card(pressed: CardAction, reply: Reply) -> bool:
    """Whether the answer to a button comes as a new message, leaving the card it sat on as it was."""
    return reply.keeps_card or pressed.action_id in KEEPS_CARD


def _plain(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="plain")
