"""The `staffroom` command: ask, chat, and check a school's policies."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.assistant import Assistant
from bot.clock import Clock, SystemClock
from bot.errors import ConfigError
from bot.school.loading import SCHOOL_FILE, default_school_folder, load_school
from intents.lexicon import SCHOOL_LEXICON_NAME, LexiconError, load_lexicon
from intents.policy_library import PolicyFileError, check_policy_folder, load_library
from intents.router import Router
from intents.topics import TOPICS_FILE_NAME, read_topics

DEFAULT_TIMEZONE = "Europe/London"


class SetupError(Exception):
    """The school folder can't be used; the message says which file and line, for a person."""


def policies_folder(argument: str | None) -> Path:
    """`--policies DIR`, else `STAFFROOM_POLICIES`, else the bundled demo school."""
    return Path(argument) if argument else default_school_folder()


def build_assistant(folder: Path, clock: Clock | None = None) -> Assistant:
    """The assistant for one school folder: its policies, and its school.yaml when there is one."""
    try:
        router = Router.from_folder(folder)
    except (PolicyFileError, LexiconError) as error:
        raise SetupError(f"The policies in {folder} can't be used:\n{error}") from None
    timezone = ZoneInfo(DEFAULT_TIMEZONE)
    rules = ()
    if (folder / SCHOOL_FILE).is_file():
        from bot.requests.policy import find_passages

        try:
            school = load_school(folder)
        except ConfigError as error:
            raise SetupError(f"The school configuration can't be used:\n{error}") from None
        timezone = ZoneInfo(school.config.time_zone)
        wfh = school.config.request_types.get("wfh")
        if wfh is not None:
            rules = tuple(p for ref in wfh.policy for p in find_passages(router.library, ref))
    return Assistant(router, clock or SystemClock(), timezone, rules)


# -- commands -------------------------------------------------------------------


def command_ask(args: argparse.Namespace) -> int:
    assistant = build_assistant(policies_folder(args.policies))
    if args.jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            answer = assistant.answer(line.rstrip("\n"))
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question) if args.question else sys.stdin.read()
    from bot.terminal import render_reply

    print(render_reply(assistant.answer(question).reply, []))
    return 0


def command_chat(args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    assistant = build_assistant(policies_folder(args.policies))
    return run_chat(assistant, sys.stdin, sys.stdout, person_email=args.as_email)


def command_policies_check(args: argparse.Namespace) -> int:
    folder = policies_folder(args.folder)
    documents, problems = check_policy_folder(folder)
    if not problems:
        library = load_library(folder)
        _, problems = read_topics(folder / TOPICS_FILE_NAME, library)
        try:
            load_lexicon([folder / SCHOOL_LEXICON_NAME])
        except LexiconError as error:
            problems = [*problems, error.problem]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    passages = sum(len(s.passages) for d in documents for s in d.sections)
    print(f"{folder}: {len(documents)} policies, {passages} passages, no problems")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="staffroom", description="The Staffroom assistant for school staff.")
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer one question (or JSON lines with --jsonl)")
    ask.add_argument("question", nargs="*", help="the question; read from stdin when left out")
    ask.add_argument("--jsonl", action="store_true", help="read a question a line, write JSON a line")
    ask.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    ask.set_defaults(handler=command_ask)

    chat = commands.add_parser("chat", help="talk to the assistant in the terminal")
    chat.add_argument("--as", dest="as_email", metavar="EMAIL", help="who you are (from the staff directory)")
    chat.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    chat.set_defaults(handler=command_chat)

    policies = commands.add_parser("policies", help="work with a school's policy files")
    policy_commands = policies.add_subparsers(dest="policies_command", required=True)
    check = policy_commands.add_parser("check", help="validate every policy file, naming file and line")
    check.add_argument("folder", nargs="?", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    check.set_defaults(handler=command_policies_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SetupError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
