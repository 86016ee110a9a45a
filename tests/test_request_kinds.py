"""Request kinds through the core: leave of absence and course requests offered, filled in, decided,
kept private where they must be; unknown forms refused by name; the chain each kind defaults to."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import (
    DEPUTY,
    HEAD,
    MONDAY_MORNING,
    OTHER_TEACHER,
    PHASE_LEADER,
    TEACHER,
    action,
    count_rows,
    fetch_request,
)
from kind_school import LEAVE_WITH_POLICY, write_school

from bot.assistant import START_REQUEST, Assistant
from bot.clock import FakeClock
from bot.errors import ConfigError
from bot.messages import ButtonsBlock, ConversationRef, FieldsBlock, FormBlock, Message, Reply
from bot.requests.cards import APPROVE, ENDORSE, SUBMIT
from bot.requests.conversation import RequestConversation
from bot.requests.drafts import Refusal, parse_draft
from bot.requests.workflow import RequestWorkflow
from bot.root import Root
from bot.school import School, load_school
from bot.settings import Settings
from bot.store.database import Database
from bot.store.outbox import read_notice
from bot.store.tables import OutboxRow
from intents.router import Router

FRIDAY = date(2026, 11, 27)  # the Friday after MONDAY_MORNING
LEAVE_FORM = {"start": FRIDAY.isoformat(), "part_of_day": "afternoon", "leave_type": "medical_appointment",
              "reason": "Consultant follow-up at the eye hospital", "cover_needed": "yes",
              "cover_note": "Year 5 maths is planned"}
COURSE_FORM = {"title": "Leading phonics", "provider": "The local authority", "start": "2026-12-03",
               "cost": "£250", "cover_needed": "yes", "why": "I lead phonics from January"}


def buttons(reply: Reply) -> list[tuple[str, dict[str, str]]]:
    return [(b.action_id, json.loads(b.value) if b.action_id == START_REQUEST else {"value": b.value})
            for block in reply.blocks if isinstance(block, ButtonsBlock) for b in block.buttons]


def facts(reply: Reply) -> dict[str, str]:
    return {f.label: f.value for block in reply.blocks if isinstance(block, FieldsBlock) for f in block.fields}


def request_id_of(reply: Reply) -> int:
    assert "sent" in reply.text, reply.text
    return int(reply.text.split("#")[1].split(" ")[0])


async def notices_by_recipient(database: Database) -> dict[str, list[Reply]]:
    from sqlalchemy import select

    async with database.reading() as session:
        rows = list(await session.scalars(select(OutboxRow).order_by(OutboxRow.id)))
    found: dict[str, list[Reply]] = {}
    for row in rows:
        notice = read_notice(row)
        found.setdefault(notice.recipient_email, []).append(notice.reply)
    return found


def assistant_for(school: School, database: Database, clock: FakeClock) -> Assistant:
    router = Router.from_folder(school.folder)
    requests = RequestConversation(RequestWorkflow(school, database, router.library))
    return Assistant(router, clock, school.calendar.zone, requests=requests)


# --- offered when asked ---------------------------------------------------------------------


async def test_asking_for_an_afternoon_off_offers_leave_with_the_day_filled_in(
    school: School, database: Database, clock: FakeClock
) -> None:
    assistant = assistant_for(school, database, clock)
    [reply] = await assistant.handle(Message(person=action(TEACHER, "x").person,
                                             text="can I have Friday afternoon off for a hospital appointment?"))
    # The demo's policies say nothing about leave: the answer says so rather than quote something else.
    assert "The school's policies don't cover leave of absence" in reply.text
    assert "your line manager and the headteacher decide it" in reply.text
    [(action_id, prefill)] = buttons(reply)
    assert action_id == START_REQUEST
    assert prefill == {"type": "leave", "start": FRIDAY.isoformat(), "part_of_day": "afternoon",
                       "leave_type": "medical_appointment"}
    [form_reply] = await assistant.handle(action(TEACHER, START_REQUEST, json.dumps(prefill)))
    [form] = [b for b in form_reply.blocks if isinstance(b, FormBlock)]
    shown = {i.name: i.initial for i in form.inputs}
    assert shown["start"] == FRIDAY.isoformat() and shown["part_of_day"] == "afternoon"
    assert shown["leave_type"] == "medical_appointment"
    kinds = {i.name: (i.kind, i.multiline) for i in form.inputs}
    assert kinds["cover_needed"][0] == "choice"
    assert [c.label for c in form.inputs[[i.name for i in form.inputs].index("cover_needed")].choices] == ["Yes", "No"]
    assert kinds["reason"] == ("text", True)


def test_special_leave_is_leave_not_special_educational_needs(school: School) -> None:
    """"Special leave" is the sector's name for leave of absence: the demo's policies don't cover it, so
    the answer says so and offers the form, instead of quoting the SENDCO's duties."""
    answer = Root(Settings(), policies=school.folder, clock=FakeClock(MONDAY_MORNING)).assistant().answer(
        "can I apply for special leave?")
    assert "SENDCO" not in answer.reply.text and not answer.citations
    assert "don't cover leave of absence" in answer.reply.text
    assert [p["type"] for a, p in buttons(answer.reply) if a == START_REQUEST] == ["leave"]


@pytest.mark.parametrize(
    ("question", "part_of_day", "leave_type"),
    [
        ("can I leave early on Friday for a hospital appointment?", "afternoon", "medical_appointment"),
        ("can I have a day off for my grievance hearing?", "whole_day", None),
    ],
)
def test_leaving_early_for_an_appointment_or_a_day_off_offers_leave(
    school: School, question: str, part_of_day: str, leave_type: str | None
) -> None:
    """Leaving early for an appointment is leave for the afternoon; a day off named outright needs no date
    (the form asks for it). Leaving early with no such reason is not taken for leave (below)."""
    answer = Root(Settings(), policies=school.folder, clock=FakeClock(MONDAY_MORNING)).assistant().answer(question)
    [offer] = [p for a, p in buttons(answer.reply) if a == START_REQUEST]
    assert offer["type"] == "leave"
    assert offer["part_of_day"] == part_of_day
    assert offer.get("leave_type") == leave_type


def test_with_a_leave_policy_the_answer_quotes_it(tmp_path: Path) -> None:
    folder = write_school(tmp_path / "school", LEAVE_WITH_POLICY, leave_policy=True, replace_leave=True)
    school = load_school(folder, clock=FakeClock(MONDAY_MORNING))
    router = Router.from_folder(folder)
    from bot.requests.offers import request_offers

    assistant = Assistant(router, FakeClock(MONDAY_MORNING), school.calendar.zone,
                          offers=request_offers(school, router.library))
    answer = assistant.answer("can I have Friday afternoon off for a hospital appointment?")
    assert answer.answered
    assert [str(c) for c in answer.citations] == ["Leave of Absence Policy · 4 Medical appointments"]
    assert "granted with pay by the headteacher" in answer.reply.text
    assert "don't cover" not in answer.reply.text
    # Any other answer quoting that section offers the form too.
    other = assistant.answer("are hospital appointments in school hours paid?")
    if any(c.section == "4" and c.document == "Leave of Absence Policy" for c in other.citations):
        assert [json.loads(b.value)["type"] for blk in other.reply.blocks if isinstance(blk, ButtonsBlock)
                for b in blk.buttons if b.action_id == START_REQUEST] == ["leave"]


@pytest.mark.parametrize("question", [
    "can I go on a phonics training course next week?",
    "I would like to attend a CPD course on behaviour",
])
def test_asking_to_go_on_a_course_offers_the_course_form(school: School, question: str) -> None:
    answer = Root(Settings(), policies=school.folder, clock=FakeClock(MONDAY_MORNING)).assistant().answer(question)
    assert [p["type"] for a, p in buttons(answer.reply) if a == START_REQUEST] == ["course"]
    assert "your line manager and the CPD lead decide it" in answer.reply.text


@pytest.mark.parametrize("question", [
    "can I work from home on Friday?",            # the router's own request
    "how many days compassionate leave do we get if a grandparent dies",  # a question, not an ask
    "can I leave early on Friday?",
    "who do I contact about IT?",
])
def test_other_messages_are_not_taken_for_leave_or_courses(school: School, question: str) -> None:
    answer = Root(Settings(), policies=school.folder, clock=FakeClock(MONDAY_MORNING)).assistant().answer(question)
    assert not {p.get("type") for a, p in buttons(answer.reply) if a == START_REQUEST} & {"leave", "course"}


# --- the journey through the core -----------------------------------------------------------


async def test_leave_endorsed_then_approved_as_paid_with_the_reason_only_for_the_chain(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    now = clock.now()
    [sent] = await conversation.handle_action(action(TEACHER, SUBMIT, "leave", **LEAVE_FORM), now)
    request_id = request_id_of(sent)
    assert "It goes to Priya Shah then Helen Okafor." in sent.text
    assert facts(sent)["When"] == "Fri 27 Nov 2026, afternoon"
    assert facts(sent)["Type of leave"] == "Medical appointment"
    [endorsed] = await conversation.handle_action(action(PHASE_LEADER, ENDORSE, request_id), now)
    assert "You endorsed" in endorsed.text

    # The headteacher's Approve asks paid or unpaid first, and changes nothing until answered.
    head_cards = (await notices_by_recipient(database))[HEAD]
    assert [a for a, _ in buttons(head_cards[-1])][:1] == [APPROVE]
    before = await count_rows(database)
    [asked] = await conversation.handle_action(action(HEAD, APPROVE, request_id), now)
    [form] = [b for b in asked.blocks if isinstance(b, FormBlock)]
    assert form.submit_action_id == APPROVE and [c.value for c in form.inputs[0].choices] == ["paid", "unpaid"]
    assert asked.ephemeral and await count_rows(database) == before
    [refused] = await conversation.handle_action(action(OTHER_TEACHER, APPROVE, request_id), now)
    assert not any(isinstance(b, FormBlock) for b in refused.blocks)  # only the approver is asked
    [refused] = await conversation.handle_action(action(HEAD, APPROVE, request_id, paid="maybe"), now)
    assert "paid or unpaid" in refused.text and await count_rows(database) == before
    [approved] = await conversation.handle_action(action(HEAD, APPROVE, request_id, paid="unpaid"), now)
    assert "You approved" in approved.text and facts(approved)["Pay"] == "Unpaid"
    stored = await fetch_request(database, request_id)
    assert stored.state == "approved" and stored.details["paid"] == "unpaid"
    [again] = await conversation.handle_action(action(HEAD, APPROVE, request_id, paid="paid"), now)
    assert "already approved" in again.text
    assert (await fetch_request(database, request_id)).details["paid"] == "unpaid"

    # Every card each person received: the reason only for the requester and the approval chain.
    reason = LEAVE_FORM["reason"]
    received = await notices_by_recipient(database)
    assert set(received) >= {TEACHER, PHASE_LEADER, HEAD, DEPUTY}
    for email, replies in received.items():
        shown = " ".join(r.model_dump_json() for r in replies)
        if email in (TEACHER, PHASE_LEADER, HEAD):
            continue
        assert reason not in shown, email  # the deputy, told to arrange cover, never sees it
    assert any(reason in r.model_dump_json() for r in received[PHASE_LEADER])
    assert any(reason in r.model_dump_json() for r in received[HEAD])
    deputy = " ".join(r.model_dump_json() for r in received[DEPUTY])
    assert "Year 5 maths is planned" in deputy and "Medical appointment" in deputy


async def test_the_leave_reason_is_left_out_in_a_channel(
    school: School, database: Database, clock: FakeClock, conversation: RequestConversation
) -> None:
    await conversation.handle_action(action(TEACHER, SUBMIT, "leave", **LEAVE_FORM), clock.now())
    assistant = assistant_for(school, database, clock)
    channel = ConversationRef(platform="slack", user_id=TEACHER, conversation_id="C1", shared=True)
    [listed] = await assistant.handle(Message(person=action(TEACHER, "x").person, text="show my requests",
                                              conversation=channel))
    assert "Medical appointment" in listed.model_dump_json()
    assert LEAVE_FORM["reason"] not in listed.model_dump_json()


async def test_a_course_goes_to_the_cpd_lead_and_can_be_declined(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    now = clock.now()
    [sent] = await conversation.handle_action(action(TEACHER, SUBMIT, "course", **COURSE_FORM), now)
    request_id = request_id_of(sent)
    assert "It goes to Priya Shah then David Reyes." in sent.text
    assert facts(sent)["Cost"] == "£250.00" and facts(sent)["Course"] == "Leading phonics"
    await conversation.handle_action(action(PHASE_LEADER, ENDORSE, request_id), now)
    # The CPD lead approves with the ordinary button: nothing to choose for a course.
    [card] = (await notices_by_recipient(database))[DEPUTY]
    assert [a for a, _ in buttons(card)][:1] == [APPROVE]
    [declined] = await conversation.handle_action(
        action(DEPUTY, "request.decline_reason", request_id, reason="Budget is spent this term"), now)
    assert "You declined" in declined.text
    assert (await fetch_request(database, request_id)).state == "declined"


@pytest.mark.parametrize("inputs, says", [
    ({**COURSE_FORM, "cost": "lots"}, "cost in pounds"),
    ({**COURSE_FORM, "title": ""}, "Course title"),
    ({**COURSE_FORM, "start": "2026-11-02"}, "already passed"),
    ({**COURSE_FORM, "cover_needed": "perhaps"}, "cover"),
])
async def test_a_bad_course_form_is_refused_and_nothing_is_stored(
    conversation: RequestConversation, database: Database, clock: FakeClock, inputs: dict[str, str], says: str
) -> None:
    [reply] = await conversation.handle_action(action(TEACHER, SUBMIT, "course", **inputs), clock.now())
    assert says.lower() in reply.text.lower()
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}


@pytest.mark.parametrize("inputs, says", [
    ({**LEAVE_FORM, "end": "2026-11-30"}, "whole day"),           # an afternoon is one day
    ({**LEAVE_FORM, "leave_type": "holiday"}, "type of leave"),
    ({**LEAVE_FORM, "end": "2026-11-26"}, "before the first"),
])
async def test_a_bad_leave_form_is_refused(
    conversation: RequestConversation, database: Database, clock: FakeClock, inputs: dict[str, str], says: str
) -> None:
    [reply] = await conversation.handle_action(action(OTHER_TEACHER, SUBMIT, "leave", **inputs), clock.now())
    assert says in reply.text
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}


# --- configuration ----------------------------------------------------------------------------


def test_an_unknown_request_type_is_refused_never_read_as_another_kind(school: School) -> None:
    refused = parse_draft(school, "sabbatical", {"item": "laptop", "why": "x"}, FRIDAY)
    assert isinstance(refused, Refusal) and "sabbatical" in refused.message


def test_an_unknown_form_in_school_yaml_is_a_problem_with_its_line(tmp_path: Path) -> None:
    folder = write_school(tmp_path / "s", "  sabbatical:\n    label: Sabbatical\n    form: sabbatical\n")
    with pytest.raises(ConfigError) as raised:
        load_school(folder)
    [problem] = raised.value.problems
    assert problem.field == "request_types.sabbatical.form" and "unknown form 'sabbatical'" in problem.message
    lines = (folder / "school.yaml").read_text(encoding="utf-8").splitlines()
    assert problem.line == lines.index("    form: sabbatical") + 1


def test_leave_types_come_from_school_yaml_and_are_checked(tmp_path: Path) -> None:
    custom = ("  leave2:\n    label: Leave\n    form: leave_of_absence\n"
              "    options: {leave_types: [Medical appointment, Jury service, Other]}\n")
    school = load_school(write_school(tmp_path / "a", custom), clock=FakeClock(MONDAY_MORNING))
    draft = parse_draft(school, "leave2", {**LEAVE_FORM, "leave_type": "jury_service"}, date(2026, 11, 23))
    assert not isinstance(draft, Refusal) and draft.details["leave_type"] == "jury_service"
    assert isinstance(parse_draft(school, "leave2", {**LEAVE_FORM, "leave_type": "bereavement"},
                                  date(2026, 11, 23)), Refusal)
    bad = "  leave2:\n    label: Leave\n    form: leave_of_absence\n    options: {leave_types: [], colour: red}\n"
    with pytest.raises(ConfigError) as raised:
        load_school(write_school(tmp_path / "b", bad))
    fields = sorted(p.field for p in raised.value.problems)
    assert fields == ["request_types.leave2.options.colour", "request_types.leave2.options.leave_types"]


def test_a_course_goes_to_the_headteacher_when_no_cpd_lead_is_named(tmp_path: Path) -> None:
    from bot.requests.chains import resolve_chain

    folder = write_school(tmp_path / "s")
    text = (folder / "school.yaml").read_text(encoding="utf-8")
    (folder / "school.yaml").write_text("\n".join(line for line in text.splitlines()
                                                  if not line.startswith("  cpd_lead:")) + "\n", encoding="utf-8")
    school = load_school(folder, clock=FakeClock(MONDAY_MORNING))
    teacher = school.directory.get(TEACHER)
    assert teacher is not None
    assert resolve_chain(school, school.config.request_types["course"], teacher) == [PHASE_LEADER, HEAD]


async def test_erasing_a_requester_keeps_the_choices_of_their_leave_and_drops_what_they_wrote(
    school: School, conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    from bot.privacy.erase import erase

    [sent] = await conversation.handle_action(action(TEACHER, SUBMIT, "leave", **LEAVE_FORM), clock.now())
    request_id = request_id_of(sent)
    await conversation.handle_action(action(TEACHER, "request.cancel", request_id), clock.now())
    clock.advance(timedelta(days=400))  # past every retention hold on a settled request
    plan, pseudonym = await erase(database, school, TEACHER, clock.now(), name="Sam Carter")
    assert pseudonym is not None, plan
    stored = await fetch_request(database, request_id)
    assert stored.note == ""
    assert stored.details == {"part_of_day": "afternoon", "leave_type": "medical_appointment", "cover_needed": "yes"}


async def test_a_course_request_sent_at_night_is_held_reminded_and_expires_like_any_other(
    conversation: RequestConversation, workflow: RequestWorkflow, database: Database, clock: FakeClock
) -> None:
    from conftest import fetch_audit, fetch_outbox

    from bot.requests.housekeeping import expire_overdue, send_reminders

    evening = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # Monday, after working hours in London
    [sent] = await conversation.handle_action(action(TEACHER, SUBMIT, "course", **COURSE_FORM), evening)
    request_id = request_id_of(sent)
    [card] = [row for row in await fetch_outbox(database) if row.recipient_email == PHASE_LEADER]
    assert card.deliver_after == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # held for the working morning
    assert await send_reminders(workflow, datetime(2026, 11, 24, 15, 59, tzinfo=UTC)) == 0
    assert await send_reminders(workflow, datetime(2026, 11, 25, 8, 0, tzinfo=UTC)) == 1
    course_day = date.fromisoformat(COURSE_FORM["start"])
    assert await expire_overdue(workflow, datetime.combine(course_day, datetime.min.time(), UTC)) == 0
    after_day = datetime.combine(course_day + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=9)
    assert await expire_overdue(workflow, after_day) == 1
    assert (await fetch_request(database, request_id)).state == "expired"
    assert [a.event for a in await fetch_audit(database, request_id)] == ["submit", "remind", "expire"]
    told = {row.recipient_email for row in await fetch_outbox(database) if row.reason == "request.expired"}
    assert TEACHER in told


def test_a_leave_type_naming_no_section_still_quotes_what_the_policies_say(tmp_path: Path) -> None:
    """The school forgot `policy:` on its leave type, but its policies answer: never "they don't cover it"."""
    unlinked = "  leave:\n    label: Leave of absence\n    form: leave_of_absence\n"
    folder = write_school(tmp_path / "school", unlinked, leave_policy=True, replace_leave=True)
    school = load_school(folder, clock=FakeClock(MONDAY_MORNING))
    router = Router.from_folder(folder)
    from bot.requests.offers import request_offers

    assistant = Assistant(router, FakeClock(MONDAY_MORNING), school.calendar.zone,
                          offers=request_offers(school, router.library))
    answer = assistant.answer("can I have Friday afternoon off for a hospital appointment?")
    assert answer.answered and "don't cover" not in answer.reply.text
    assert [str(c) for c in answer.citations][:1] == ["Leave of Absence Policy · 4 Medical appointments"]
    assert "your line manager and the headteacher decide it" in answer.reply.text
    assert [p["type"] for a, p in buttons(answer.reply) if a == START_REQUEST] == ["leave"]
