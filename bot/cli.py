"""The `staffroom` command: ask, chat, and check a school's policies."""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.errors import ConfigError, ConfigProblem, StorageError
from bot.root import Root, SetupError, load_policy_library, read_settings
from bot.school.loading import SCHOOL_FILE, load_school
from intents.lexicon import SCHOOL_LEXICON_NAME, LexiconError, load_lexicon
from intents.policy_library import PolicyLibrary, check_policy_folder, load_library
from intents.topics import TOPICS_FILE_NAME, read_topics

__all__ = ["SetupError", "main", "make_parser"]


def make_root(args: argparse.Namespace, policies: str | None = None, settings_are: str = "settings") -> Root:
    """The composition root for one command: settings from the environment and `.env`, then the
    command line's `--policies DIR` (or `policies`) over them."""
    return Root(read_settings(settings_are), policies=policies or getattr(args, "policies", None))


# -- commands -------------------------------------------------------------------


def question_from_line(line: str) -> str:
    """A line of `ask --jsonl` input: plain text, or a JSON object with "q" or "question"."""
    text = line.rstrip("\n")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict):
            question = data.get("q", data.get("question"))
            if isinstance(question, str):
                return question
    return text


def command_ask(args: argparse.Namespace) -> int:
    assistant = make_root(args).assistant()
    if args.jsonl:
        for line in sys.stdin:
            if not line.strip():
                continue
            answer = assistant.answer(question_from_line(line))
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question) if args.question else sys.stdin.read()
    from bot.terminal import render_reply

    if args.explain:
        _routing, trace = assistant.router.explain(question, assistant.today())
        print(trace.render())
        print("reply:")
    print(render_reply(assistant.answer(question).reply, []))
    return 0


def command_chat(args: argparse.Namespace) -> int:
    from bot.chat import interrupts_held

    with interrupts_held(sys.stdin.isatty() and sys.stdout.isatty()):
        import asyncio

        return asyncio.run(_chat(make_root(args), args.as_email))


async def _chat(root: Root, person_email: str | None) -> int:
    from bot.chat import run_chat

    assistant, database = await root.open_assistant()
    if assistant.requests is not None:
        for warning in assistant.requests.school.warnings(assistant.clock):
            print(f"Warning: {warning}", file=sys.stderr)
    try:
        return await run_chat(assistant, sys.stdin, sys.stdout, person_email, database)
    finally:
        if database is not None:
            await database.close()


def command_db_upgrade(args: argparse.Namespace) -> int:
    from bot.store.commands import upgrade_database

    return upgrade_database(make_root(args).database_url)


def command_requests_list(args: argparse.Namespace) -> int:
    from bot.requests.commands import list_requests

    root = make_root(args)
    schools = [root.school] if root.school is not None else []  # for staff names in the table
    return list_requests(status=args.status, school=args.school, url=root.database_url, schools=schools,
                         show_reasons=args.show_reasons)


def command_outbox(args: argparse.Namespace) -> int:
    from bot.delivery.commands import retry_outbox, show_outbox

    if args.action == "retry":
        if not args.ids:
            print("Name the dead letters to send again: staffroom outbox retry ID [ID…]", file=sys.stderr)
            return 2
        return retry_outbox(args.ids, url=make_root(args).database_url)
    return show_outbox(url=make_root(args).database_url)


def command_checkins(args: argparse.Namespace) -> int:
    from bot.checkins.commands import parse_day, preview_checkins, report_checkins

    root = make_root(args)
    school = root.require_school("Check-ins need the school's school.yaml (staff directory and calendar).")
    day = parse_day(args.date, school)
    if isinstance(day, str):
        print(day, file=sys.stderr)
        return 2
    if args.checkins_command == "preview":
        return preview_checkins(school, day, url=root.database_url)
    return report_checkins(school, day, url=root.database_url)


def command_questions(args: argparse.Namespace) -> int:
    from bot.questions.commands import report_questions, teach_wording

    root = make_root(args)
    if args.questions_command == "teach":
        # Taking a wording out needs only the policies: the wording may name a section they have lost.
        library = load_policy_library(root.folder) if args.undo else root.router.library
        return teach_wording(root.folder, library, args.phrase, args.section, undo=args.undo)
    school = root.require_school("The question log needs the school's school.yaml (and its database).")
    try:
        return report_questions(school, root.router, args.since, url=root.database_url)
    except StorageError as error:
        raise SetupError(f"The question log can't be opened: {error}") from None


def command_directory_import(args: argparse.Namespace) -> int:
    from bot.school.commands import import_directory

    return import_directory(Path(args.csv), make_root(args).folder, apply=args.apply,
                            keep_missing=args.keep_missing)


def listening_problem(error: OSError, host: str, port: int) -> SetupError | OSError:
    """What to say when the server can't listen on `host`:`port`; any other OSError is not ours to explain."""
    if isinstance(error, socket.gaierror):
        return SetupError(f"Can't listen on {host}:{port}: {host} is not an address of this machine.")
    if error.errno == errno.EADDRINUSE:
        return SetupError(f"Can't listen on {host}:{port}: the port is already in use. "
                          "Stop what is using it, or choose another port with --port.")
    if error.errno in (errno.EACCES, errno.EADDRNOTAVAIL):
        return SetupError(f"Can't listen on {host}:{port}: {error.strerror}. Choose another --host or --port.")
    return error


def command_data(args: argparse.Namespace) -> int:
    from bot.privacy import commands as data

    root = make_root(args)
    school = root.require_school(
        "Data protection commands need the school's school.yaml (its retention and directory).")
    if args.data_command == "inventory":
        return data.run_inventory(school, table=args.table)
    try:
        url = root.database_url
    except StorageError as error:  # said as the commands say a database they can't open
        print(f"The records can't be opened: {error}")
        return 2
    if args.data_command == "purge":
        return data.run_purge(school, dry_run=args.dry_run, url=url)
    if args.data_command == "export":
        return data.run_export(school, args.email, Path(args.out), url=url)
    return data.run_erase(school, args.email, apply=args.apply, name=args.name, url=url)


def command_serve(args: argparse.Namespace) -> int:
    from bot.platforms import ServeError

    root = make_root(args, settings_are="server settings")
    if args.teams_unauthenticated:
        from bot.teams.bot import TeamsOptions
        from bot.teams.platform import TeamsPlatform

        root.register(TeamsPlatform(TeamsOptions(unauthenticated=True)))
    try:
        root.serve(args.host, args.port)
    except ServeError as error:
        raise SetupError(str(error)) from None
    except OSError as error:
        raise listening_problem(error, args.host, args.port) from None
    return 0


def command_manifest_slack(args: argparse.Namespace) -> int:
    from bot.slack.manifest import ManifestError, render_manifest

    try:
        print(render_manifest(args.url, socket_mode=args.socket_mode), end="")
    except ManifestError as error:
        raise SetupError(str(error)) from None
    return 0


def command_manifest_teams(args: argparse.Namespace) -> int:
    from bot.teams.manifest import ManifestError, write_package

    try:
        out = write_package(args.app_id, Path(args.out))
    except ManifestError as error:
        raise SetupError(str(error)) from None
    print(f"Wrote {out}: upload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin centre.")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    from bot.demo.page import DEFAULT_WEBCHAT_URL
    from bot.demo.server import run_demo

    webchat_file = Path(args.webchat_file) if args.webchat_file else None
    if webchat_file is not None and not webchat_file.is_file():
        raise SetupError(f"{webchat_file} is not a file (it should be Web Chat's dist/webchat.js).")
    try:
        run_demo(make_root(args), args.port, args.webchat_url or DEFAULT_WEBCHAT_URL, webchat_file)
    except OSError as error:
        raise listening_problem(error, "127.0.0.1", args.port) from None
    return 0


def command_policies_check(args: argparse.Namespace) -> int:
    folder = make_root(args, policies=args.folder).folder
    documents, found = check_policy_folder(folder)
    problems: list[object] = list(found)
    library = None
    if not problems:
        library = load_library(folder)
        problems += read_topics(folder / TOPICS_FILE_NAME, library)[1]
        try:
            load_lexicon([folder / SCHOOL_LEXICON_NAME])
        except LexiconError as error:
            problems.append(error.problem)
    school_problems, warnings = check_school_file(folder, library)
    problems += school_problems
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"Warning: {warning}")
    passages = sum(len(s.passages) for d in documents for s in d.sections)
    noted = f" ({len(warnings)} warning(s) above)" if warnings else ""
    print(f"{folder}: {len(documents)} policies, {passages} passages, no problems{noted}")
    return 0


def command_policies_import(args: argparse.Namespace) -> int:
    from bot.importing.command import import_policies  # loaded only here: pdfplumber and python-docx

    return import_policies([Path(name) for name in args.files], Path(args.into))


def check_school_file(folder: Path, library: PolicyLibrary | None) -> tuple[list[ConfigProblem], list[str]]:
    """school.yaml's problems (each with file, line and field) and warnings; nothing when there is no school.yaml."""
    if not (folder / SCHOOL_FILE).is_file():
        return [], []
    try:
        school = load_school(folder)
    except ConfigError as error:
        return list(error.problems), []
    problems: list[ConfigProblem] = []
    warnings = school.warnings()
    if library is not None:
        from bot.requests.policy import check_policy_references

        problems, missing = check_policy_references(school, library)
        warnings += missing
    return problems, warnings


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="staffroom", description="The Staffroom assistant for school staff.")
    commands = parser.add_subparsers(dest="command", required=True)

    ask = commands.add_parser("ask", help="answer one question (or JSON lines with --jsonl)")
    ask.add_argument("question", nargs="*", help="the question; read from stdin when left out")
    ask.add_argument("--jsonl", action="store_true", help="read a question a line, write JSON a line")
    ask.add_argument(
        "--explain", action="store_true", help="print the router's stages, its top candidates and why it declined"
    )
    ask.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    ask.set_defaults(handler=command_ask)

    chat = commands.add_parser("chat", help="talk to the assistant in the terminal")
    chat.add_argument("--as", dest="as_email", metavar="EMAIL", help="who you are (from the staff directory)")
    chat.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    chat.set_defaults(handler=command_chat)

    serving = commands.add_parser("serve", help="run the Slack and Teams endpoints (aiohttp)")
    serving.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    serving.add_argument("--port", type=int, default=3978, help="port to listen on (default 3978)")
    serving.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    serving.add_argument("--teams-unauthenticated", action="store_true",
                         help="without MicrosoftAppId: accept Teams activities with no token (loopback --host only)")
    serving.set_defaults(handler=command_serve)

    manifest = commands.add_parser("manifest", help="app manifests to register Staffroom with Slack or Teams")
    manifest_commands = manifest.add_subparsers(dest="manifest_command", required=True)
    # Each platform adds its subcommand here: `manifest slack --url`, `manifest teams --app-id --out`.
    slack_manifest = manifest_commands.add_parser("slack", help="print the Slack app manifest for this server")
    slack_manifest.add_argument("--url", metavar="https://HOST", help="the server's public address")
    slack_manifest.add_argument("--socket-mode", action="store_true", help="Socket Mode: no public address needed")
    slack_manifest.set_defaults(handler=command_manifest_slack)
    teams_manifest = manifest_commands.add_parser("teams", help="build the Teams app package (.zip) to upload")
    teams_manifest.add_argument("--app-id", required=True, metavar="ID", help="the bot's Microsoft App ID (a GUID)")
    teams_manifest.add_argument("--out", default="staffroom-teams.zip", metavar="FILE", help="the .zip to write")
    teams_manifest.set_defaults(handler=command_manifest_teams)

    demo = commands.add_parser("demo", help="try Staffroom in your browser with Web Chat (loopback only)")
    demo.add_argument("--port", type=int, default=3979, help="port on 127.0.0.1 (default 3979)")
    demo.add_argument("--webchat-url", metavar="URL",
                      help="where the page loads Web Chat from (default: Microsoft's CDN)")
    demo.add_argument("--webchat-file", metavar="FILE",
                      help="serve this webchat.js instead (from npm's botframework-webchat)")
    demo.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    demo.set_defaults(handler=command_demo)

    policies = commands.add_parser("policies", help="work with a school's policy files")
    policy_commands = policies.add_subparsers(dest="policies_command", required=True)
    check = policy_commands.add_parser("check", help="check the school folder (policy files, topics.yaml, "
                                       "lexicon.yaml, school.yaml), naming file and line")
    check.add_argument("folder", nargs="?", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    check.set_defaults(handler=command_policies_check)
    policy_import = policy_commands.add_parser("import", help="write Word (.docx) and PDF policies as policy files")
    policy_import.add_argument("files", nargs="+", metavar="FILE", help="documents, or folders of them")
    policy_import.add_argument("--into", required=True, metavar="DIR", help="the school folder to write them to")
    policy_import.set_defaults(handler=command_policies_import)

    db = commands.add_parser("db", help="the request database")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply schema migrations (DATABASE_URL or SQLite)").set_defaults(
        handler=command_db_upgrade
    )

    requests = commands.add_parser("requests", help="requests, for the office")
    request_commands = requests.add_subparsers(dest="requests_command", required=True)
    listing = request_commands.add_parser("list", help="print requests as a table")
    listing.add_argument("--status", choices=["pending", "approved", "declined", "cancelled", "expired"])
    listing.add_argument("--school", metavar="ID", help="only this school's requests")
    listing.add_argument("--show-reasons", action="store_true",
                         help="add requesters' reasons and notes (personal data)")
    listing.add_argument("--policies", metavar="DIR",
                         help="the school folder, for staff names (default: STAFFROOM_POLICIES or demo)")
    listing.set_defaults(handler=command_requests_list)

    outbox = commands.add_parser("outbox", help="messages waiting to be delivered, and dead letters")
    outbox.add_argument("action", nargs="?", choices=["retry"], help="retry ID…: send dead letters again")
    outbox.add_argument("ids", nargs="*", type=int, metavar="ID", help="dead letter numbers (with retry)")
    outbox.set_defaults(handler=command_outbox)

    checkins = commands.add_parser("checkins", help="wellbeing check-ins: preview a day, report a week")
    checkin_commands = checkins.add_subparsers(dest="checkins_command", required=True)
    preview = checkin_commands.add_parser("preview", help="who would be prompted on a day, and when")
    report = checkin_commands.add_parser("report", help="the week's counts (no names)")
    report.add_argument("--week", action="store_true", help="the week containing --date (the default report)")
    for sub in (preview, report):
        sub.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
        sub.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
        sub.set_defaults(handler=command_checkins)

    questions = commands.add_parser("questions", help="questions the policies didn't answer, and teaching wordings")
    question_commands = questions.add_subparsers(dest="questions_command", required=True)
    question_report = question_commands.add_parser("report", help="logged questions grouped by what they ask")
    question_report.add_argument("--since", metavar="YYYY-MM-DD", help="from this day (default: a week ago)")
    teach = question_commands.add_parser("teach", help="add a wording to a section in topics.yaml")
    teach.add_argument("phrase", help="the wording staff use, e.g. \"can I take a sabbatical\"")
    teach.add_argument("--section", required=True, metavar="\"TITLE · NUMBER\"",
                       help="the section that answers it, e.g. \"Working from Home Policy · 3\"")
    teach.add_argument("--undo", action="store_true", help="take the wording out again")
    for sub in (question_report, teach):
        sub.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
        sub.set_defaults(handler=command_questions)

    directory = commands.add_parser("directory", help="the staff directory")
    directory_commands = directory.add_subparsers(dest="directory_command", required=True)
    importing = directory_commands.add_parser("import", help="compare a CSV export with the directory")
    importing.add_argument("csv", help="CSV with name, email, job title, line manager email")
    importing.add_argument("--apply", action="store_true", help="write the changes (default: only show them)")
    importing.add_argument("--keep-missing", action="store_true",
                           help="keep people who are not in the export (default: remove them)")
    importing.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
    importing.set_defaults(handler=command_directory_import)

    data = commands.add_parser("data", help="data protection: retention purge, subject access, erasure, inventory")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    purging = data_commands.add_parser("purge", help="remove what is past the retention schedule in school.yaml")
    purging.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    exporting = data_commands.add_parser("export", help="everything held about one person, as a .zip")
    exporting.add_argument("email")
    exporting.add_argument("--out", required=True, metavar="FILE.zip", help="the new .zip to write")
    erasing = data_commands.add_parser("erase", help="erase one person (shows what would change without --apply)")
    erasing.add_argument("email")
    erasing.add_argument("--apply", action="store_true", help="erase (default: only show what would change)")
    erasing.add_argument("--name", help="their name, to find messages to others naming them (default: directory)")
    inventory = data_commands.add_parser("inventory", help="what is stored, why, and for how long")
    inventory.add_argument("--table", action="store_true", help="as one Markdown table (as in the README)")
    for sub in (purging, exporting, erasing, inventory):
        sub.add_argument("--policies", metavar="DIR", help="the school folder (default: STAFFROOM_POLICIES or demo)")
        sub.set_defaults(handler=command_data)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SetupError as error:
        print(error, file=sys.stderr)
        return 2
    except StorageError as error:
        message = str(error)
        print(f"{message[:1].upper()}{message[1:]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return reader_gone()


def reader_gone() -> int:
    """`staffroom ask … | head`: the reader stopped early. Nothing more can be said to it, and Python's
    own flush of stdout at exit must not fail again; the status is a shell's for SIGPIPE."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a file (a test's capture): there is nothing left to flush
    return 141


if __name__ == "__main__":
    sys.exit(main())
