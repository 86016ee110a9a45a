"""School configuration: the demo loads, and every mistake is named with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.messages import Person
from bot.requests.policy import check_policy_references
from bot.school import Role, School, demo_school_folder, load_school, parse_school
from intents.policy_library import PolicyLibrary

DEMO_TEXT = (demo_school_folder() / "school.yaml").read_text(encoding="utf-8")
FILE = Path("school.yaml")


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing `fragment`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")


def refuse(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_school(FILE, text)
    return caught.value


def test_demo_school_loads_with_every_role_held(school: School) -> None:
    assert school.id == "demo"
    assert len(school.directory) == 12
    for role in Role:
        assert school.directory.holder_of(role) is not None, role
    assert school.calendar.zone.key == "Europe/London"
    assert set(school.config.request_types) == {"wfh", "equipment_loan", "leave", "course"}


def test_demo_policy_references_exist_in_the_demo_policies(school: School, library: PolicyLibrary) -> None:
    assert check_policy_references(school, library) == ([], [])


def test_missing_policy_section_is_reported_with_its_line(library: PolicyLibrary) -> None:
    text = DEMO_TEXT.replace('section: "8.1"}', 'section: "8.9"}')
    school = parse_school(FILE, text)
    [problem], warnings = check_policy_references(school, library)
    assert warnings == []
    assert problem.line == line_of(text, 'section: "8.9"')
    assert problem.field == "request_types.equipment_loan.policy[0]"


def test_unknown_role_names_file_line_and_field() -> None:
    text = DEMO_TEXT.replace("roles:\n", "roles:\n  bursar: o.adeyemi@oakfield.example\n")
    error = refuse(text)
    assert error.file == FILE
    assert error.line == line_of(text, "bursar:")
    assert error.field == "roles.bursar"
    assert "unknown role 'bursar'" in str(error)
    assert str(error).startswith(f"school.yaml:{error.line}: roles.bursar:")


def test_line_manager_missing_from_directory_is_refused() -> None:
    text = DEMO_TEXT.replace(
        "job_title: Year 5 Teacher\n    line_manager: p.shah@oakfield.example",
        "job_title: Year 5 Teacher\n    line_manager: ghost@oakfield.example",
    )
    error = refuse(text)
    assert error.line == line_of(text, "ghost@oakfield.example")
    assert error.field == "staff[4].line_manager"
    assert "ghost@oakfield.example is not in the staff directory" in str(error)


def test_cycle_in_line_management_is_refused() -> None:
    # Headteacher -> phase leader -> deputy -> headteacher.
    text = DEMO_TEXT.replace(
        "job_title: Headteacher\n",
        "job_title: Headteacher\n    line_manager: p.shah@oakfield.example\n",
    )
    error = refuse(text)
    assert "goes round in a circle" in str(error)
    assert error.field == "staff[0].line_manager"
    assert error.line == line_of(text, "line_manager: p.shah@oakfield.example")


def test_role_holder_missing_from_directory_is_refused() -> None:
    text = DEMO_TEXT.replace("dsl: n.brooks@oakfield.example", "dsl: gone@oakfield.example")
    error = refuse(text)
    assert (error.field, error.line) == ("roles.dsl", line_of(text, "dsl: gone@"))


def test_unknown_field_in_a_staff_entry_is_named() -> None:
    text = DEMO_TEXT.replace("job_title: Year 1 Teacher", "job_titel: Year 1 Teacher")
    error = refuse(text)
    assert error.field == "staff[5].job_titel"
    assert error.line == line_of(text, "job_titel")
    assert "unknown field" in str(error)


def test_unknown_step_in_an_approval_chain_is_named() -> None:
    text = DEMO_TEXT.replace(
        "chain: [line_manager, headteacher]      # WFH",
        "chain: [line_manager, bursar]      # WFH",
    )
    error = refuse(text)
    assert error.field == "request_types.wfh.chain[1]"
    assert error.line == line_of(text, "bursar]")


def test_duplicate_email_is_refused() -> None:
    text = DEMO_TEXT.replace("email: a.hussain@oakfield.example", "email: s.carter@oakfield.example")
    error = refuse(text)
    assert error.field == "staff[5].email"
    assert "listed twice" in str(error)


def test_bad_time_zone_and_reversed_term_are_both_reported() -> None:
    text = DEMO_TEXT.replace("time_zone: Europe/London", "time_zone: Europe/Dudley").replace(
        "{name: Spring 1, start: 2027-01-04, end: 2027-02-12}",
        "{name: Spring 1, start: 2027-02-12, end: 2027-01-04}",
    )
    error = refuse(text)
    found = {(p.field, p.line) for p in error.problems}
    assert ("time_zone", line_of(text, "Europe/Dudley")) in found
    assert ("terms[2]", line_of(text, "Spring 1")) in found


def test_delegate_outside_directory_is_refused() -> None:
    text = DEMO_TEXT.replace("delegate: d.reyes@oakfield.example", "delegate: temp@oakfield.example")
    error = refuse(text)
    assert error.field == "delegates[0].delegate"


def test_invalid_yaml_reports_its_line() -> None:
    text = DEMO_TEXT.replace("working_days: [mon, tue", "working_days: [mon, tue: [")
    error = refuse(text)
    assert error.line == line_of(text, "working_days:")
    assert "not valid YAML" in str(error)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_school(tmp_path)
    assert caught.value.file == tmp_path / "school.yaml"


def test_people_are_found_by_platform_id_then_email() -> None:
    text = DEMO_TEXT.replace(
        "job_title: Year 5 Teacher\n",
        "job_title: Year 5 Teacher\n    slack_user_id: U123\n    teams_user_id: 29:abc\n",
    )
    directory = parse_school(FILE, text).directory
    assert directory.find_person(Person(platform="slack", user_id="U123")).email == "s.carter@oakfield.example"  # type: ignore[union-attr]
    teams = directory.find_person(Person(platform="teams", user_id="29:abc"))
    assert teams is not None and teams.name == "Sam Carter"
    by_email = directory.find_person(Person(platform="slack", user_id="U999", email="S.Carter@Oakfield.example"))
    assert by_email is not None and by_email.name == "Sam Carter"
    assert directory.find_person(Person(platform="slack", user_id="U999", email="x@y.example")) is None


def test_question_log_retention_and_digest_time_are_checked_with_their_lines() -> None:
    text = DEMO_TEXT.replace("retention_days: 90", "retention_days: 0")
    error = refuse(text)
    assert error.line == line_of(text, "retention_days: 0")
    assert error.field == "question_log.retention_days"
    text = DEMO_TEXT.replace('digest_time: "15:00"', 'digest_time: "18:30"')
    error = refuse(text)
    assert error.field == "question_log" and "outside working hours" in str(error)
    assert error.line == line_of(text, "question_log:")


def test_the_policy_lead_must_be_in_the_directory() -> None:
    text = DEMO_TEXT.replace("policy_lead: d.reyes@oakfield.example", "policy_lead: x.y@oakfield.example")
    error = refuse(text)
    assert error.field == "roles.policy_lead" and error.line == line_of(text, "policy_lead: x.y")


def test_question_log_defaults_to_ninety_days() -> None:
    text = DEMO_TEXT.replace("  retention_days: 90                        # then deleted\n", "")
    assert parse_school(FILE, text).config.question_log.retention_days == 90
