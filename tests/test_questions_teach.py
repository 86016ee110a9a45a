"""Teaching wordings: a declined question, taught to a section, is answered from it; --undo restores the decline.
From the command line, and from the digest's Teach button in the running server (the policy lead only)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import AsyncIterator
from datetime import time, timedelta
from pathlib import Path

import pytest
from conftest import DEPUTY, TEACHER
from fakes.fake_slack_api import FakeSlackApi
from fakes.slack_harness import SlackHarness, build_runtime, open_harness, slack_settings
from fakes.slack_payloads import block_action, dm_event, home_opened, select, text_input, view_submission

from bot.cli import main
from bot.clock import FakeClock
from bot.delivery.dispatcher import Dispatcher
from bot.messages import Action, Message, Person
from bot.questions.desk import ONLY_THE_LEAD, TEACH_SAVE
from bot.questions.digest import TEACH
from bot.questions.schedule import QuestionJobs
from bot.questions.teaching import TeachError, check_phrase, find_section
from bot.school import School, demo_school_folder, load_school
from bot.store.database import Database
from intents.routing import Intent
from tests.fakes_teams.fake_connector import FakeConnector
from tests.fakes_teams.harness import TeamsHarness, find_action, start_harness
from tests.fakes_teams.harness import build_runtime as build_teams_runtime
from tests.fakes_teams.schemas import assert_valid_card

QUESTION = "can I take a sabbatical?"
SECTION = "Working from Home Policy · 3"
CITATION = "Working from Home Policy · 3 Circumstances when staff may work from home"
TEACHER_ID, DEPUTY_ID = "U0TEACH", "U0DEP"
PROFILES = {TEACHER_ID: {"email": TEACHER, "real_name": "Sam Carter"},
            DEPUTY_ID: {"email": DEPUTY, "real_name": "David Reyes"}}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the demo school whose topics.yaml the test may change."""
    copy = tmp_path / "school"
    shutil.copytree(demo_school_folder(), copy)
    return copy


def ask(folder: Path, question: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    import sys
    stdin = sys.stdin
    sys.stdin = io.StringIO(question + "\n")
    try:
        assert main(["ask", "--jsonl", "--policies", str(folder)]) == 0
    finally:
        sys.stdin = stdin
    answer: dict[str, object] = json.loads(capsys.readouterr().out)
    return answer


def test_a_declined_question_taught_is_answered_and_undo_restores_the_decline(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (folder / "topics.yaml").read_text(encoding="utf-8")
    assert ask(folder, QUESTION, capsys)["answered"] is False

    assert main(["questions", "teach", QUESTION, "--section", SECTION, "--policies", str(folder)]) == 0
    said = capsys.readouterr().out
    assert f"Asking “{QUESTION}” now gets {CITATION}." in said
    answer = ask(folder, QUESTION, capsys)
    assert answer["answered"] is True and answer["intent"] == "policy"
    assert answer["citations"][0] == {"document": "Working from Home Policy", "section": "3",  # type: ignore[index]
                                      "heading": "Circumstances when staff may work from home"}
    taught = (folder / "topics.yaml").read_text(encoding="utf-8")
    assert taught.startswith("# How staff refer to what each section covers")  # the comments stay
    assert [line for line in taught.splitlines() if line not in original.splitlines()] == [
        '        looking after my child, caring for someone, "can I take a sabbatical?"]']

    assert main(["questions", "teach", QUESTION, "--section", SECTION, "--undo", "--policies", str(folder)]) == 0
    assert ask(folder, QUESTION, capsys)["answered"] is False
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == original


@pytest.mark.parametrize(("section", "problem"), [
    ("Working from Home Policy · 42", "has no section '42'"),
    ("Staff Handbook · 3", "No policy is titled 'Staff Handbook'"),
    ("Working from Home Policy 3", "POLICY TITLE · NUMBER"),
])
def test_a_section_that_does_not_exist_is_refused_and_nothing_changes(
    folder: Path, capsys: pytest.CaptureFixture[str], section: str, problem: str
) -> None:
    original = (folder / "topics.yaml").read_text(encoding="utf-8")
    assert main(["questions", "teach", QUESTION, "--section", section, "--policies", str(folder)]) == 2
    assert problem in capsys.readouterr().err
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == original


def test_undo_takes_a_wording_out_of_a_section_a_reimported_policy_lost(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The updated policy has no 8.3: the folder stops loading until the wording taught to it goes, and
    `--undo` (the way to take it out) worked only on a folder that loaded."""
    (folder / "topics.yaml").write_text("", encoding="utf-8")
    assert main(["questions", "teach", "standing desk", "--section", "Working from Home Policy · 8.3",
                 "--policies", str(folder)]) == 0
    policy = folder / "working-from-home.md"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text[:text.index("### 8.3")] + text[text.index("## 9."):], encoding="utf-8")
    capsys.readouterr()
    assert main(["ask", "--policies", str(folder), "can I work from home?"]) == 2
    assert "has no section '8.3'" in capsys.readouterr().err

    assert main(["questions", "teach", "standing desk", "--section", "Working from Home Policy · 8.3", "--undo",
                 "--policies", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "Removed: “standing desk” → Working from Home Policy · 8.3" in said
    assert "Working from Home Policy · 8.3 is no longer in the policies" in said
    assert "standing desk" not in (folder / "topics.yaml").read_text(encoding="utf-8")
    assert main(["ask", "--policies", str(folder), "can I work from home?"]) == 0


def test_a_wording_with_a_phone_number_or_nothing_in_it_is_refused() -> None:
    for phrase in ("ring 07700 900123", "  ", "?!"):
        with pytest.raises(TeachError):
            check_phrase(phrase)


def test_a_section_is_found_by_number_heading_or_whole_citation(folder: Path) -> None:
    from intents.policy_library import load_library

    library = load_library(folder)
    for text in (SECTION, CITATION, "working from home policy · circumstances when staff may work from home"):
        assert find_section(library, text).label == SECTION
    assert find_section(library, "Remote Learning Policy for staff · Who to Contact").key == "Who to Contact"


def test_teaching_a_section_topics_yaml_lacks_adds_one_line_and_undo_takes_it_away(folder: Path) -> None:
    from bot.questions.teaching import teach_phrase
    from intents.policy_library import load_library

    path = folder / "topics.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith('  "8.3"')]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    library = load_library(folder)
    teach_phrase(folder, library, "standing desk", find_section(library, "Working from Home Policy · 8.3"))
    added = [line for line in path.read_text(encoding="utf-8").splitlines() if line not in before.splitlines()]
    assert added == ['  "8.3": [standing desk]']
    teach_phrase(folder, library, "standing desk", find_section(library, "Working from Home Policy · 8.3"), undo=True)
    assert path.read_text(encoding="utf-8") == before


# --- the running server --------------------------------------------------------------------


@pytest.fixture
async def slack(folder: Path, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    school = load_school(folder)
    async with FakeSlackApi(profiles=dict(PROFILES)) as fake:
        harness = await open_harness(fake, build_runtime(school, database, clock, slack_settings(fake)))
        try:
            yield harness
        finally:
            await harness.client.close()


def find_button(blocks: list[dict[str, object]], action_id: str) -> dict[str, object]:
    for block in blocks:
        for element in block.get("elements", []):  # type: ignore[attr-defined]
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button")


async def test_the_policy_lead_teaches_from_the_digest_and_the_next_question_is_answered(
    slack: SlackHarness, clock: FakeClock
) -> None:
    fake, runtime = slack.fake, slack.runtime
    school: School = runtime.school
    await slack.post(home_opened(DEPUTY_ID))
    await slack.post(dm_event(TEACHER_ID, QUESTION))
    assert "couldn't find this" in fake.called("chat.postMessage")[-1].body["text"]

    today = school.calendar.local_date(clock.now())
    friday = today + timedelta(days=4 - today.weekday())
    clock.set(school.calendar.at(friday, time(15, 0)))
    assert await QuestionJobs([school], runtime.database, clock, lambda: runtime.assistant.router.analyzer).tick() == 1
    fake.clear()
    await slack.deliver_outbox()
    [digest] = [call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0DEP"]
    assert f"1× “{QUESTION}”" in digest.body["text"]
    teach = find_button(digest.body["blocks"], TEACH)

    # Someone else pressing a Teach button is refused, whatever the button says.
    await slack.post(block_action(TEACHER_ID, teach))
    assert ONLY_THE_LEAD in fake.called("chat.postMessage")[-1].body["text"]
    assert not fake.called("views.open")

    await slack.post(block_action(DEPUTY_ID, teach, message={"ts": "1.1", "blocks": digest.body["blocks"]}))
    view = fake.called("views.open")[-1].body["view"]
    assert view["callback_id"] == TEACH_SAVE
    sections = next(b for b in view["blocks"] if b.get("block_id") == "section")["element"]
    assert SECTION in [option["value"] for option in sections["options"]]
    values = {"phrase": {"phrase": text_input(QUESTION)}, "section": {"section": select(SECTION)}}
    await slack.post(view_submission(DEPUTY_ID, view, values))
    shown = json.dumps(fake.called("views.update")[-1].body["view"], ensure_ascii=False)
    assert f"Asking “{QUESTION}” now gets {CITATION}" in shown

    # The server answers it now, without a restart.
    await slack.post(dm_event(TEACHER_ID, QUESTION))
    answer = fake.called("chat.postMessage")[-1]
    assert "Staff may work home if they are" in answer.body["text"], answer.body["text"]


async def test_a_teach_from_the_command_line_reaches_the_running_assistant(
    slack: SlackHarness, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assistant = slack.runtime.assistant
    assert assistant.questions is not None
    assistant.questions.check_every = 0.0
    person = Person(platform="terminal", user_id=TEACHER, email=TEACHER)
    [reply] = await assistant.handle(Message(person=person, text=QUESTION))
    assert "couldn't find this" in reply.text
    assert main(["questions", "teach", QUESTION, "--section", SECTION, "--policies", str(folder)]) == 0
    [reply] = await assistant.handle(Message(person=person, text=QUESTION))
    assert reply.text.startswith(CITATION)
    assert main(["questions", "teach", QUESTION, "--section", SECTION, "--undo", "--policies", str(folder)]) == 0
    [reply] = await assistant.handle(Message(person=person, text=QUESTION))
    assert "couldn't find this" in reply.text
    assert assistant.router.route(QUESTION, assistant.today()).intent is Intent.FALLBACK


async def test_a_forged_teach_submission_from_someone_else_changes_nothing(slack: SlackHarness, folder: Path) -> None:
    original = (folder / "topics.yaml").read_text(encoding="utf-8")
    person = Person(platform="terminal", user_id=TEACHER, email=TEACHER)
    action = Action(person=person, action_id=TEACH_SAVE, value="1", inputs={"phrase": QUESTION, "section": SECTION})
    [reply] = await slack.runtime.assistant.handle(action)
    assert reply.text == ONLY_THE_LEAD and reply.ephemeral
    assert (folder / "topics.yaml").read_text(encoding="utf-8") == original


@pytest.fixture
async def teams(folder: Path, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with FakeConnector() as connector:
        harness = await start_harness(build_teams_runtime(load_school(folder), database, clock), connector)
        yield harness
        for sent in connector.sent:
            if sent.card is not None:
                assert_valid_card(sent.card)
        await harness.client.close()


async def test_teams_the_policy_lead_teaches_from_the_digest_card(teams: TeamsHarness, clock: FakeClock) -> None:
    runtime = teams.runtime
    school = runtime.school
    status, _ = await teams.post(teams.installed(DEPUTY))
    assert status == 200
    [declined] = await teams.say(TEACHER, QUESTION)
    assert "couldn't find this" in json.dumps(declined.card)

    today = school.calendar.local_date(clock.now())
    friday = today + timedelta(days=4 - today.weekday())
    clock.set(school.calendar.at(friday, time(15, 0)))
    assert await QuestionJobs([school], runtime.database, clock).tick() == 1
    await Dispatcher(runtime.database, runtime.couriers, {school.id: school}, clock).drain()
    [digest] = [s for s in teams.connector.sent_to(teams.user(DEPUTY).personal_conversation) if s.kind == "send"]
    assert digest.card is not None
    teach = find_action(digest.card, TEACH)

    status, body = await teams.press(TEACHER, teach, digest.activity_id)
    assert ONLY_THE_LEAD in json.dumps(body, ensure_ascii=False)
    sent = len(teams.connector.sent)
    status, body = await teams.press(DEPUTY, teach, digest.activity_id)
    assert body["type"] == "application/vnd.microsoft.activity.message"  # the digest card stays
    [form] = teams.connector.sent[sent:]
    assert form.card is not None
    status, body = await teams.press(DEPUTY, find_action(form.card, TEACH_SAVE), form.activity_id,
                                     phrase=QUESTION, section=SECTION)
    assert f"Asking “{QUESTION}” now gets {CITATION}" in json.dumps(body, ensure_ascii=False)
    [answer] = await teams.say(TEACHER, QUESTION)
    assert "Staff may work home if they are" in json.dumps(answer.card)


def test_a_list_written_as_a_block_is_taught_through_the_round_trip_keeping_comments(tmp_path: Path) -> None:
    from bot.questions.teaching import teach_phrase
    from intents.policy_library import load_library
    from intents.topics import read_topics

    shutil.copy(demo_school_folder() / "working-from-home.md", tmp_path)
    (tmp_path / "topics.yaml").write_text(
        "# Our words for the WFH policy\n"
        "Working from Home Policy:\n"
        "  # IT: the helpdesk's words\n"
        '  "8.2":\n'
        "    - helpdesk   # what staff call it\n"
        "    - wifi down\n", encoding="utf-8")
    library = load_library(tmp_path)
    section = find_section(library, "Working from Home Policy · 8.2")
    assert teach_phrase(tmp_path, library, "printer broken", section).changed
    text = (tmp_path / "topics.yaml").read_text(encoding="utf-8")
    for comment in ("# Our words for the WFH policy", "# IT: the helpdesk's words", "# what staff call it"):
        assert comment in text
    keywords, problems = read_topics(tmp_path / "topics.yaml", library)
    assert problems == [] and keywords[("Working from Home Policy", "8.2")] == ["helpdesk", "wifi down", "printer broken"]
    assert teach_phrase(tmp_path, library, "printer broken", section, undo=True).changed
    keywords, _ = read_topics(tmp_path / "topics.yaml", library)
    assert keywords[("Working from Home Policy", "8.2")] == ["helpdesk", "wifi down"]
