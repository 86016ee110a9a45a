"""Suggested questions when a person opens the app: from the school's own policy headings, each a button that asks it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import HEAD, TEACHER
from fakes.fake_slack_api import FakeSlackApi
from fakes.slack_harness import SlackHarness, build_runtime, open_harness, slack_settings
from fakes.slack_payloads import block_action, home_opened

from bot.clock import FakeClock
from bot.questions.suggestions import ASK, suggest_questions
from bot.school import School
from bot.store.database import Database
from intents.router import Router
from intents.routing import Intent
from tests.fakes_teams.harness import TeamsHarness, all_actions, running_teams

TEACHER_ID = "U0TEACH"
OTHER_SCHOOL = """---
title: Staff Handbook
school: Elm Street Academy
---

## 1. Aims

This handbook sets out what staff need to know.

## 2. Car parking

Staff park in the rear car park; the front car park is for visitors and parents.

## 3. Reporting an absence

Staff who are unwell must phone the absence line before 7.30am on the first day of absence.

## 4. Dress code

Staff dress smartly; trainers may be worn for PE lessons.

## 5. Expenses claims

Expenses are claimed on the monthly form with receipts attached.
"""


def test_suggestions_come_from_the_schools_own_headings_and_each_is_answered_from_its_section(
    tmp_path: Path, school: School, clock: FakeClock
) -> None:
    (tmp_path / "handbook.md").write_text(OTHER_SCHOOL, encoding="utf-8")
    router = Router.from_folder(tmp_path)
    today = school.calendar.local_date(clock.now())
    suggested = suggest_questions(router, today)
    assert 3 <= len(suggested) <= 4
    headings = {"car parking", "reporting an absence", "dress code", "expenses claims"}
    for question in suggested:
        assert any(heading in question for heading in headings), question  # never "Aims", never demo text
        routing = router.route(question, today)
        assert routing.intent is Intent.POLICY
        assert routing.matches[0].passage.citation.heading.lower() in question
    assert suggest_questions(router, today) == suggested  # the same all day
    days = {tuple(suggest_questions(router, today + timedelta(days=n))) for n in range(4)}
    assert len(days) > 1  # and they change from day to day


def test_help_names_the_schools_own_policies_and_asks_questions_from_their_headings(
    tmp_path: Path, clock: FakeClock
) -> None:
    """ "help" at a school that brought its own policies: never the demo's example questions, which its
    policies may not answer."""
    from zoneinfo import ZoneInfo

    from bot.assistant import Assistant

    (tmp_path / "handbook.md").write_text(OTHER_SCHOOL, encoding="utf-8")
    assistant = Assistant(Router.from_folder(tmp_path), clock, ZoneInfo("Europe/London"))
    text = assistant.answer("help").reply.text
    assert "(Staff Handbook)" in text
    assert "contact about IT" not in text and "parent emails" not in text
    examples = [part.split('"')[1] for part in text.split("Try: ")[1].split(" or ")]
    assert len(examples) == 2
    for example in examples:
        assert assistant.answer(example).answered


def test_a_heading_that_is_a_question_is_suggested_as_it_stands(tmp_path: Path, clock: FakeClock) -> None:
    (tmp_path / "bullying.md").write_text(
        "---\ntitle: Anti-Bullying Policy\n---\n\n## 1. Why do some children bully?\n\n"
        "Children who bully often want to feel powerful.\n", encoding="utf-8")
    router = Router.from_folder(tmp_path)
    assert suggest_questions(router, clock.now().date()) == ["Why do some children bully?"]


def test_the_demo_school_gets_suggestions_from_both_policies(school: School, clock: FakeClock) -> None:
    router = Router.from_folder(school.folder)
    today = school.calendar.local_date(clock.now())
    suggested = suggest_questions(router, today)
    assert len(suggested) == 4
    documents = {router.route(q, today).matches[0].passage.citation.document for q in suggested}
    assert documents == {d.title for d in router.library.documents}


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    profiles = {TEACHER_ID: {"email": TEACHER, "real_name": "Sam Carter"}}
    async with FakeSlackApi(profiles=profiles) as fake:
        harness = await open_harness(fake, build_runtime(school, database, clock, slack_settings(fake)))
        try:
            yield harness
        finally:
            await harness.client.close()


def buttons(blocks: list[dict[str, Any]], action_id: str) -> list[dict[str, Any]]:
    return [e for b in blocks for e in b.get("elements", []) if e.get("action_id") == action_id]


async def test_slack_app_home_offers_suggestions_and_one_press_asks_it(slack: SlackHarness) -> None:
    fake = slack.fake
    await slack.post(home_opened(TEACHER_ID))
    view = fake.called("views.publish")[-1].body["view"]
    suggested = buttons(view["blocks"], ASK)
    assert 3 <= len(suggested) <= 4
    question = suggested[0]["value"]
    assert question == suggested[0]["text"]["text"]

    fake.clear()
    await slack.post(block_action(TEACHER_ID, suggested[0], home=True))
    [answer] = fake.called("chat.postMessage")
    assert answer.body["channel"] == "D0TEACH"  # answered in the person's DM
    assert " · " in answer.body["text"] and "couldn't find" not in answer.body["text"]
    assert fake.called("views.publish")  # Home is shown again


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with running_teams(school, database, clock) as harness:
        yield harness


async def test_teams_install_says_hello_with_suggestions_and_one_press_asks_it(teams: TeamsHarness) -> None:
    status, _ = await teams.post(teams.installed(HEAD))
    assert status == 200
    [hello] = teams.connector.sent
    assert hello.card is not None
    assert "Hello, I'm Staffroom" in json.dumps(hello.card)
    suggested = [a for a in all_actions(hello.card) if a.get("verb") == ASK]
    assert 3 <= len(suggested) <= 4

    status, body = await teams.press(HEAD, suggested[0], hello.activity_id)
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"  # the hello card stays
    [answer] = teams.connector.sent[1:]
    assert answer.card is not None and any(item.get("style") == "emphasis" for item in answer.card["body"])
