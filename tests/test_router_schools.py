"""A school's own policies and words: layered lexicon, scope read from the corpus, ranking for the
detail asked for, and `staffroom ask --explain` naming every decline's reason."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from intents.lexicon import LexiconError, load_lexicon
from intents.router import Router
from intents.routing import DeclineReason, Intent
from policy_text import DEMO_SCHOOL_DIR

TODAY = date(2026, 11, 23)

MEDICINES_POLICY = """---
title: Supporting Pupils with Medical Conditions
---
## 1. Administering medicines

Medicines will only be given in school when a parent has signed a consent form.
Inhalers are kept in the classroom in a labelled box, and go with the pupil on every trip.
The school office keeps the record of every medicine given.

## 2. Who to tell

Concerns about medical needs are recorded on the same day.

Concerns about medical needs are reviewed every term.

Concerns about medical needs go to the School Business Manager.
"""

LOANS_POLICY = """---
title: Equipment Policy
---
## 1. Borrowing equipment

Staff may borrow a school laptop to take home, after signing the loan agreement.
"""


def _school(tmp_path: Path, name: str, policies: dict[str, str], lexicon: str | None = None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file_name, text in policies.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    if lexicon is not None:
        (folder / "lexicon.yaml").write_text(lexicon, encoding="utf-8")
    return folder

def _answers_first(tmp_path: Path, policies: dict[str, str], question: str, answer: str) -> Router:
    """A school of these policies, which answers the question first with a passage holding `answer`."""
    router = Router.from_folder(_school(tmp_path, "a", policies))
    routing = router.route(question, TODAY)
    assert routing.intent is Intent.POLICY, routing.reason
    assert answer in routing.matches[0].passage.text
    return router


def test_the_same_question_is_declined_at_one_school_and_answered_at_another_whose_policy_covers_it(
    tmp_path: Path,
) -> None:
    question = "where are the inhalers kept?"
    without = Router.from_folder(_school(tmp_path, "a", {"equipment.md": LOANS_POLICY}))
    declined = without.route(question, TODAY)
    assert declined.intent is Intent.FALLBACK
    assert declined.reason is DeclineReason.NOT_COVERED

    covering = Router.from_folder(_school(tmp_path, "b", {"equipment.md": LOANS_POLICY, "medical.md": MEDICINES_POLICY}))
    answered = covering.route(question, TODAY)
    assert answered.intent is Intent.POLICY
    assert answered.reason is None
    assert "Inhalers are kept in the classroom" in answered.matches[0].passage.text


def test_a_school_lexicon_removing_a_bundled_synonym_takes_effect(tmp_path: Path) -> None:
    question = "can I borrow a chromebook to take home?"
    bundled = Router.from_folder(_school(tmp_path, "a", {"equipment.md": LOANS_POLICY}))
    assert "~laptop" in {f for u in bundled.analyzer.units("chromebook") for f in u.features}
    assert bundled.route(question, TODAY).intent is Intent.POLICY

    removing = Router.from_folder(
        _school(tmp_path, "b", {"equipment.md": LOANS_POLICY}, "remove:\n  synonyms: [chromebook, chromebooks]\n")
    )
    assert "~laptop" not in {f for u in removing.analyzer.units("chromebook") for f in u.features}
    # Other wordings of the idea are untouched.
    assert "~laptop" in {f for u in removing.analyzer.units("ipad") for f in u.features}


def test_a_school_lexicon_can_remove_a_whole_idea_and_add_its_own(tmp_path: Path) -> None:
    lexicon = "remove:\n  ideas: [laptop]\nsynonyms:\n  - [laptop, slab]\n"
    router = Router.from_folder(_school(tmp_path, "a", {"equipment.md": LOANS_POLICY}, lexicon))
    assert "~laptop" not in {f for u in router.analyzer.units("chromebook") for f in u.features}
    assert "~laptop" in {f for u in router.analyzer.units("slab") for f in u.features}


def test_a_malformed_remove_section_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text("remove:\n  colours: [red]\n", encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        load_lexicon([path])
    assert raised.value.problem.line == 2
    assert "remove: colours" in str(raised.value)


def test_the_bundled_lexicon_names_no_demo_supplier_or_place() -> None:
    bundled = load_lexicon()
    entries = {entry.lower() for group in bundled.groups for entry in group}
    for demo_only in ("dudley", "rm", "warwickshire ict service desk", "eschools", "prior written agreement",
                      "entitled to work from home"):
        assert demo_only not in entries
    demo = load_lexicon([DEMO_SCHOOL_DIR / "lexicon.yaml"])
    assert "dudley" in {entry.lower() for group in demo.groups for entry in group}


def test_a_question_for_a_person_quotes_the_tied_passage_naming_a_role_first(tmp_path: Path) -> None:
    assert "School Business Manager" in _answered(tmp_path, MEDICINES_POLICY, "who are concerns about medical needs for?")


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("?!", DeclineReason.EMPTY),
        ("can I park in the staff car park", DeclineReason.NOT_COVERED),
        ("what is the capital of peru", DeclineReason.LOW_CONFIDENCE),
        ("when is the next INSET day", DeclineReason.DETAIL_NOT_HELD),
        ("what's the wifi password", DeclineReason.NEVER_IN_POLICIES),
        ("what does the homework policy say about spelling", DeclineReason.OTHER_POLICY),
        ("can pupils borrow laptops", DeclineReason.ABOUT_SOMEONE_ELSE),
        ("can I work from home over half term", DeclineReason.SCHOOL_HOLIDAYS),
    ],
)
def test_explain_names_the_reason_for_each_kind_of_decline(
    question: str, reason: DeclineReason, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--explain", "--policies", str(DEMO_SCHOOL_DIR), question]) == 0
    printed = capsys.readouterr().out
    assert f"declined: {reason.value} ({reason.explanation})" in printed
    assert "decide:" in printed


def test_explain_prints_each_stage_and_the_top_candidates_with_scores(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--explain", "--policies", str(DEMO_SCHOOL_DIR), "who do I ring about network problems?"]) == 0
    printed = capsys.readouterr().out
    stages = [line for line in printed.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert stages[:5] == ["normalise:", "understand:", "retrieve:", "rank:", "decide:"]
    assert "Working from Home Policy · 8.2 IT support" in printed.split("retrieve:")[1].split("rank:")[0]
    assert "declined:" not in printed
    assert "01384 813920" in printed.split("reply:")[1]


def test_explain_says_why_a_passage_covering_the_whole_question_is_not_enough(
    capsys: pytest.CaptureFixture[str]
) -> None:
    """"What about staff?": every candidate covers 100% of it at a confidence over the bar, yet it is declined
    because "staff" is an everyday word in these policies; --explain said only "covers too little"."""
    assert main(["ask", "--explain", "--policies", str(DEMO_SCHOOL_DIR), "what about staff?"]) == 0
    retrieved = capsys.readouterr().out.split("retrieve:")[1].split("decide:")[0]
    assert "covers 100%" in retrieved
    assert "the best passage shares only everyday words with the question (weight " in retrieved


def test_the_demo_folder_copied_with_its_own_lexicon_answers_as_the_bundled_demo(tmp_path: Path) -> None:
    copy = tmp_path / "demo"
    shutil.copytree(DEMO_SCHOOL_DIR, copy)
    question = "who do I ring about network problems?"
    original = Router.from_folder(DEMO_SCHOOL_DIR).route(question, TODAY)
    copied = Router.from_folder(copy).route(question, TODAY)
    assert [m.passage.text for m in copied.matches] == [m.passage.text for m in original.matches]


BULLYING_POLICY = """---
title: Anti-Bullying Policy
---
## 1. Types of bullying

Cyber: using technology such as text messages, social media or email to hurt someone.

Verbal: name calling, sarcasm, spreading rumours or teasing.

## 2. Records

Records of bullying incidents are reviewed by governors every term.

Records of bullying incidents are shared with parents on request.

Records of bullying incidents are kept in the locked cabinet in the school office.
"""


def _answered(tmp_path: Path, policy: str, question: str) -> str:
    """The first passage quoted for a question at a school holding only `policy` (it must be answered)."""
    routing = Router.from_folder(_school(tmp_path, "a", {"policy.md": policy})).route(question, TODAY)
    assert routing.intent is Intent.POLICY, routing.reason
    return routing.matches[0].passage.text


def _declined(tmp_path: Path, policy: str, question: str) -> DeclineReason | None:
    """Why a question is declined at a school holding only `policy` (it must be declined)."""
    routing = Router.from_folder(_school(tmp_path, "a", {"policy.md": policy})).route(question, TODAY)
    assert routing.intent is Intent.FALLBACK
    return routing.reason


def test_a_kind_of_a_topic_meets_the_policy_that_names_the_topic(tmp_path: Path) -> None:
    # "social media" is a topic phrase of the sector layer and an idea whose kinds include snapchat.
    assert "social media" in _answered(tmp_path, BULLYING_POLICY, "what about bullying on snapchat?")


def test_a_question_for_a_place_quotes_the_tied_passage_saying_where(tmp_path: Path) -> None:
    assert "locked cabinet" in _answered(tmp_path, BULLYING_POLICY, "where are records of bullying incidents?")


def test_an_everyday_word_weighs_less_than_a_rare_one_however_rare_in_the_policies(tmp_path: Path) -> None:
    router = Router.from_folder(_school(tmp_path, "a", {"bullying.md": BULLYING_POLICY, "medical.md": MEDICINES_POLICY}))
    # Both words appear once in the policies; "spreading" is commoner English than "sarcasm".
    everyday, rare = router.analyzer.units("spreading sarcasm")
    weights = dict(zip(("spreading", "sarcasm"), router.index._weights([everyday, rare]), strict=True))
    assert weights["spreading"] < weights["sarcasm"]


CHILD_PROTECTION_POLICY = """---
title: Child Protection Policy
---
## 1. Recording concerns

A member of staff who notices bruising on a child records it on the concern form the same day.

## 2. Our designated person

Concerns go to our designated safeguarding lead, the deputy manager, who decides on any referral.
"""

ONLINE_LESSONS_POLICY = """---
title: Online Lessons Policy
---
## 1. Who to contact

Concerns about safeguarding during online lessons go to the DSL.
"""


def test_a_safeguarding_answer_points_to_the_dsl_named_by_the_policy_it_quotes(tmp_path: Path) -> None:
    folder = _school(tmp_path, "a", {"a-online.md": ONLINE_LESSONS_POLICY, "b-protection.md": CHILD_PROTECTION_POLICY})
    routing = Router.from_folder(folder).route("I noticed bruising on a child, where do I record it?", TODAY)
    assert routing.safeguarding
    quoted = [m.passage.citation.document for m in routing.matches[:2]]
    assert quoted == ["Child Protection Policy", "Child Protection Policy"]


TRIPS_POLICY = """---
title: Trips Policy
---
## 1. Coach travel

Pupils travelling by coach on a school trip wear seat belts and stay in their seats.
"""


def test_a_safeguarding_answer_from_a_policy_naming_no_dsl_points_to_the_safeguarding_policys_dsl(
    tmp_path: Path,
) -> None:
    """The school's safeguarding policy names its designated person, not the first policy mentioning a DSL."""
    folder = _school(tmp_path, "a", {"a-online.md": ONLINE_LESSONS_POLICY, "b-protection.md": CHILD_PROTECTION_POLICY,
                                     "c-trips.md": TRIPS_POLICY})
    routing = Router.from_folder(folder).route("a child on the coach trip has a bruise on her arm", TODAY)
    assert routing.safeguarding
    pointers = [m.passage for m in routing.matches if "designated safeguarding lead" in m.passage.text.lower()
                or "DSL" in m.passage.text]
    assert pointers and pointers[0].citation.document == "Child Protection Policy"


STAFF_PROCEDURE_POLICY = """---
title: Staff Disciplinary Procedure
---
## 1. The hearing

The hearing is held by a panel of two governors, who consider the evidence and the employee's response.

Employees have the right to be accompanied by a work colleague or a trade union representative.

## 2. Outcomes

Any sanction is confirmed in writing, with the reasons for it and how long it remains on file.

## 3. Unfounded complaints

Complaints found to be vexatious are themselves dealt with under this procedure.

## 4. Confidentiality

Witnesses are expected to maintain confidentiality throughout.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("can I bring my union rep with me to the hearing?", "right to be accompanied"),
        ("who can I bring with me to the hearing?", "right to be accompanied"),
        ("is a witness allowed to gossip about it?", "maintain confidentiality"),
    ],
)
def test_staff_procedure_words_meet_the_policy_in_the_sector_s_own_terms(
    tmp_path: Path, question: str, quoted: str
) -> None:
    """Bringing someone to a hearing is being accompanied, gossip breaks confidentiality: HR language true of
    every school's staff procedures (intents/data/school_sector.yaml)."""
    assert quoted in _answered(tmp_path, STAFF_PROCEDURE_POLICY, question)


AIMS_POLICY = """---
title: Staff Anti-Bullying Policy
---
## 1. Purpose and Aims

The purpose of this policy is to:

- Clearly define what bullying is and how it will be dealt with.
- Provide a clear procedure for staff to raise concerns.

## 2. What is Bullying?

Bullying is defined as repeated, unreasonable behaviour directed towards an employee or group of employees.
"""


def test_a_policy_s_aims_rank_below_the_section_that_says_it_unless_asked_for(tmp_path: Path) -> None:
    """An aims bullet ("clearly define what bullying is") states what the policy is for; the section that
    defines bullying answers "how is bullying defined", and the aims answer "what is the policy for"."""
    router = Router.from_folder(_school(tmp_path, "a", {"bullying.md": AIMS_POLICY}))
    defined = router.route("how does the school define bullying?", TODAY)
    assert defined.intent is Intent.POLICY
    assert "repeated, unreasonable behaviour" in defined.matches[0].passage.text
    aims = router.route("what are the aims of the anti-bullying policy?", TODAY)
    assert aims.intent is Intent.POLICY
    assert "Clearly define" in aims.matches[0].passage.text


EQUALITY_STATEMENT_POLICY = """---
title: Staff Disciplinary Procedure
---
## 1. Monitoring and review

This policy will be reviewed annually and applied fairly to all staff regardless of age, disability, gender
reassignment, marriage and civil partnership, pregnancy and maternity, race, religion or belief, sex, or sexual
orientation.

## 2. Suspension

Suspension is on full pay and is not a disciplinary sanction.
"""


def test_a_list_of_protected_characteristics_does_not_speak_of_maternity(tmp_path: Path) -> None:
    """Most policies' equality statements list the Equality Act's characteristics; "pregnancy and maternity"
    there names one, so the statement is not a passage about maternity (pay, leave) for a question to meet."""
    router = Router.from_folder(_school(tmp_path, "a", {"disciplinary.md": EQUALITY_STATEMENT_POLICY}))
    statement = next(i for i, p in enumerate(router.library.passages) if "regardless of age" in p.text)
    (maternity,) = router.analyzer.units("maternity")
    assert not any(router.index.covers_idea(statement, idea) for idea in maternity.features)
    (characteristics,) = router.analyzer.units("protected characteristics")
    assert any(router.index.covers_idea(statement, idea) for idea in characteristics.features)


CPD_POLICY = """---
title: Staff Performance Management Policy
---
## 7. Support for good performance

Where staff are performing well, the school will fund professional development and consider them for
leadership opportunities.
"""


def test_a_sector_qualification_no_policy_names_is_a_topic_the_policies_do_not_cover(tmp_path: Path) -> None:
    """An NPQ is a qualification of its own: a policy funding "professional development" says nothing of it."""
    assert _declined(tmp_path, CPD_POLICY, "will the school fund professional development like an NPQ?") is DeclineReason.NOT_COVERED


LETTINGS_POLICY = """---
title: Letting Policy
---
## 11. Kitchen facilities

Kitchen facilities and facilities for the preparation of refreshments are available on request, at a charge.
"""


def test_tea_and_coffee_are_refreshments(tmp_path: Path) -> None:
    """Tea and coffee are topics of their own (the staffroom's), and kinds of the refreshments a policy names."""
    assert "refreshments" in _answered(tmp_path, LETTINGS_POLICY, "can hirers make tea and coffee in the kitchen?")


LETTERS_POLICY = """---
title: Communication Policy
---
## 3. Letters home

The headteacher approves every letter sent home to parents before it goes out.
"""


def test_head_lice_is_a_topic_not_the_headteacher(tmp_path: Path) -> None:
    """ "Head lice" is one topic no policy here covers; its "head" is not the headteacher."""
    assert _declined(tmp_path, LETTERS_POLICY, "one of my class has head lice. do I send a letter home?") is DeclineReason.NOT_COVERED


PARENTS_POLICY = """---
title: Home Learning Policy
---
## 2. Parents

Parents who send in a pupil's work should receive a reply from the class teacher within a week.

## 3. Year 1

Year 1 children read for ten minutes a day; the procedure is set by the class teacher.
"""


@pytest.mark.parametrize(
    "question",
    [
        "are parents allowed to send in birthday cake to share with the class?",  # "send in" is no place
        "can kids bring in birthday cake to share with the class?",  # nor is "bring in"
        "it's ten past four and a year 1 child still hasn't been picked up. what's the procedure?",
    ],
)
def test_topics_no_policy_covers_are_declined_however_the_question_is_put(tmp_path: Path, question: str) -> None:
    assert _declined(tmp_path, PARENTS_POLICY, question) is DeclineReason.NOT_COVERED


PREMISES_POLICY = """---
title: Letting Policy
---
## 4. Payment for hire

Community groups hiring the school premises pay the charges set by the governors, in advance.
"""


def test_the_hall_is_part_of_the_premises_a_policy_speaks_of(tmp_path: Path) -> None:
    """The hall is a topic of its own (booking it), and part of the school premises a lettings policy lets."""
    assert "premises" in _answered(tmp_path, PREMISES_POLICY, "a community group wants to use the hall on saturdays. do they pay in advance?")


INDUCTION_POLICY = """---
title: Staff Induction and Equality Policy
---
## 9. Agency and supply staff

Supply staff receive a site-specific induction on arrival, covering safeguarding and fire procedures.

## 11. Discriminatory language

Discriminatory language used by a pupil is challenged at once and recorded by the class teacher.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("do supply teachers get an induction?", "site-specific induction"),
        ("how do we deal with racist language from pupils?", "challenged at once"),
    ],
)
def test_supply_teachers_are_supply_staff_and_racist_remarks_are_discriminatory_language(
    tmp_path: Path, question: str, quoted: str
) -> None:
    assert quoted in _answered(tmp_path, INDUCTION_POLICY, question)


HOMEWORK_POLICY = """---
title: Homework Policy
---
## Aim

Homework helps parents see how their child is being educated and how they can help.

## Rewards and Sanctions

If homework is not handed in three weeks running, the class teacher contacts the parents.
"""


def test_at_what_point_asks_when_not_for_a_policy_s_aims(tmp_path: Path) -> None:
    """ "At what point…" asks when; "what's the point of the policy" asks for its aims."""
    router = Router.from_folder(_school(tmp_path, "a", {"homework.md": HOMEWORK_POLICY}))

    def ideas(text: str) -> set[str]:
        return {f for unit in router.analyzer.units(text) for f in unit.features}

    assert "~aims" not in ideas("at what point are parents contacted if homework is not handed in?")
    assert "~aims" in ideas("what's the point of the homework policy?")
    aims = router.route("what's the point of the homework policy?", TODAY)
    assert "helps parents see" in aims.matches[0].passage.text


FILTERING_POLICY = """---
title: Online Safety Policy
---
## 5. Technical

Requests to change the web filtering for a lesson are made to the computing coordinator in writing.
"""


def test_blocked_sites_are_the_web_filtering_a_policy_speaks_of(tmp_path: Path) -> None:
    assert "web filtering" in _answered(tmp_path, FILTERING_POLICY, "how do I get a blocked website unblocked for a lesson?")


HANDLING_POLICY = """---
title: Manual Handling Policy
---
## 3. Hazards

Most injuries at work come from slips, trips and falls; keep walkways clear of boxes and cables.

## 4. Working hours

The site manager locks the building at 6pm after the cleaners leave.
"""


def test_lone_working_is_a_topic_of_its_own(tmp_path: Path) -> None:
    assert _declined(tmp_path, HANDLING_POLICY, "is there anything about lone working after the building is locked?") is DeclineReason.NOT_COVERED


def test_words_with_two_senses_keep_to_the_one_meant(tmp_path: Path) -> None:
    """A fire drill is not being fired; slips, trips and falls are not school trips."""
    router = Router.from_folder(_school(tmp_path, "a", {"handling.md": HANDLING_POLICY}))

    def ideas(text: str) -> set[str]:
        return {f for unit in router.analyzer.units(text) for f in unit.features}

    assert ideas("fire drills").isdisjoint(ideas("dismissal"))
    assert ideas("slips, trips and falls").isdisjoint(ideas("school trip"))
    # A working group "made up of" staff and governors made nothing up.
    assert ideas("a working group made up of staff and governors").isdisjoint(ideas("vexatious"))


LETTING_RULES = """---
title: Letting Policy
---
## 3. Charges

Charges for hiring the hall are set by the governors each year and paid in advance.

## 4. Cleaning

Hirers leave the rooms clean and tidy, and put the chairs away.

## 18. Restrictions

The hired premises shall not be used for the sale or supply of intoxicating liquor without the governors' consent.
"""


def test_running_a_bar_is_selling_intoxicating_liquor(tmp_path: Path) -> None:
    assert "intoxicating liquor" in _answered(tmp_path, LETTING_RULES, "a group hiring the premises wants to run a bar. are they allowed?")


PROBATION_POLICY = """---
title: Staff Probation Policy
---
## 10. Termination of employment

If the staff member has not met the required standards, their employment may be ended at the end of probation.

## 13. Right to be accompanied

At every formal review the staff member may be accompanied by a colleague or a trade union representative.

## 14. Sickness

Sickness during probation is managed under the attendance procedure and may extend the probation period.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("what happens if I fail my probation?", "not met the required standards"),
        ("can I bring my husband to a probation review?", "may be accompanied"),
    ],
)
def test_failing_probation_and_bringing_a_partner_meet_the_policy_s_words(
    tmp_path: Path, question: str, quoted: str
) -> None:
    assert quoted in _answered(tmp_path, PROBATION_POLICY, question)


RSHE_POLICY = """---
title: Relationships, Sex and Health Education Policy
---
## 6. Delivery

RSHE is taught within the PSHE programme by class teachers, with the school nurse for puberty lessons.

## 8. Parents' right to withdraw

Parents have the right to withdraw their children from the non-statutory components of sex education.
"""


def test_taking_a_child_out_of_rse_is_withdrawing_them_from_rshe(tmp_path: Path) -> None:
    assert "right to withdraw" in _answered(tmp_path, RSHE_POLICY, "can parents take their child out of RSE?")


PROBATION_REVIEWS_POLICY = """---
title: Staff Probation Policy
---
## 8.2 Initial Review (1 Month)

A review meeting is held to confirm that core induction training is complete.

## 8.3 Mid-Point Review (3 Months)

A review meeting is held to look at progress against objectives in more detail.

## 9. Records

The line manager keeps a written record of each review meeting.

## 10. Objectives

At each review meeting the objectives are gone through and set down again for the next stage.
"""


def test_one_month_is_the_1_month_a_heading_counts(tmp_path: Path) -> None:
    """ "One" is a stopword ("one of us") except counting a period: "a one-month review" is "(1 Month)"."""
    router = Router.from_folder(_school(tmp_path, "a", {"policy.md": PROBATION_REVIEWS_POLICY}))
    for question, quoted in (
        ("what happens at the one-month probation review?", "core induction"),
        ("what happens at the three month probation review?", "in more detail"),
    ):
        assert quoted in router.route(question, TODAY).matches[0].passage.text


def test_writing_something_down_is_keeping_a_written_record(tmp_path: Path) -> None:
    assert "written record" in _answered(tmp_path, PROBATION_REVIEWS_POLICY, "does anyone make a note of what was said at my review?")


@pytest.mark.parametrize(
    ("message", "not_read_as"),
    [
        ("who runs the disciplinary process?", "~access"),  # the process, not processing data
        ("will I get the outcome in writing?", "~english"),  # writing, not the subject
        ("who wrote the policy?", "~english"),
        ("can a club book the hall for an hour?", "~reading"),  # a booking, not a reading book
        ("can a club hire our premises?", "~loan"),  # hiring premises, not borrowing a laptop
        ("my head of phase raised a concern", "~headteacher"),  # a middle leader
        ("am I left out of meetings on purpose?", "~aims"),  # deliberately, not the policy's purpose
        ("what support is there after a poor observation?", "~resources"),
        ("if I'm doing a good job, is it recognised?", "~responsible"),  # the work, not whose job it is
        ("a parent was quite rude to me", "~resign"),  # "quite" stems as "quit"
        ("I knew about it already", "~deliberately"),  # "knew" is read as "know", as "knowingly" stems
        ("when would I be expected to reply?", "~new_and_expectant_mothers"),  # not "I am expecting"
        ("is online safety covered in assemblies?", "~in_school"),  # assemblies, not only being at school
        ("can the brownies have a party in the hall?", "~in_school"),  # the hall is a place of its own
        ("can I claim for driving to a course?", "~hard_drive"),  # staff drive cars
        ("how do I get my train fares back?", "~cpd"),  # "train" stems as "training" does
        ("where do my till slips go?", "~slips_trips_and_falls"),  # a till slip is a receipt
        ("do I get paid for it?", "~payroll"),  # "PAYE" stems as "pay": it is read as payroll before stemming
        ("is that going to get flagged?", "~contact"),  # going to, not who to go to
        ("our IT contractor touches learner data", "~physical_contact"),
        ("will my sessions be watched more closely?", "~enforced_closure"),  # "closely" is no closure
        ("can I sort it out informally?", "~contact"),  # "informal" stems as "inform" does
        ("how do we teach spiritual, moral, social and cultural development?", "~wellbeing"),  # "morale" stems as "moral"
        ("do we tell the local authority?", "~approve"),  # "authority" stems as "authorise" does
        ("what if a parent says I'm not capable?", "~grievance"),  # not the capability procedure
        ("can I share my political views in class?", "~respectful"),  # "political" stems as "polite"
        ("the uniform is too expensive for them", "~expenses"),  # "expensive" stems as "expenses"
        ("can I bring my own fan / kettle from home into my classroom?", "~work_from_home"),  # carried from home
        ("will most of them reach the early learning goals?", "~contact"),  # reaching a goal, not a person
        ("a parent wants them to try for grammar school", "~english"),  # a kind of school, not grammar lessons
        ("how many hours of maths do year 11 get?", "~grammar_school"),  # eleven, not the eleven plus
    ],
)
def test_everyday_words_are_not_read_as_a_sector_idea_they_only_look_like(
    tmp_path: Path, message: str, not_read_as: str
) -> None:
    router = Router.from_folder(_school(tmp_path, "a", {"policy.md": PROBATION_REVIEWS_POLICY}))
    assert not_read_as not in {f for unit in router.analyzer.units(message) for f in unit.features}


def test_those_ideas_are_still_read_where_they_are_meant(tmp_path: Path) -> None:
    router = Router.from_folder(_school(tmp_path, "a", {"policy.md": PROBATION_REVIEWS_POLICY}))

    def ideas(text: str) -> set[str]:
        return {f for unit in router.analyzer.units(text) for f in unit.features}

    assert "~english" in ideas("how much spelling homework do they get?")
    assert "~reading" in ideas("how often do we change reading books?")
    assert "~loan" in ideas("can I borrow a laptop?")
    assert "~line_manager" in ideas("my head of phase raised a concern")
    assert "~deliberately" in ideas("am I left out of meetings on purpose?")
    assert "~lesson_observation" in ideas("my lesson obs went badly")
    assert "~role" in ideas("is every job suitable for home working?")
    assert "~responsible" in ideas("whose job is it to order first aid kits?")
    assert "~payroll" in ideas("I'm on PAYE, how do I claim?")
    assert "~contact" in ideas("who do I go to about it?")
    assert "~recruitment" in ideas("how many people sit on an interview panel?")
    assert "~contact" in ideas("what's the best way to reach you in the holidays?")
    assert "~grammar_school" in ideas("will we help a child sit the eleven plus?")
    assert "~work_from_home" in ideas("can I mark books from home?")
    assert "~grammar_school" in ideas("our most able may enter for the 11+ examinations")


@pytest.mark.parametrize(
    ("message", "passage_words", "idea"),
    [
        ("does the temp teacher have a part to play?", "including temporary staff and volunteers", "~supply_staff"),
        ("how many parents evenings are there?", "a formal meeting for parents twice a year", "~parents_evening"),
        ("new arrival with very little english", "pupils for whom english is an additional language", "~eal"),
        ("which law is it based on?", "replaces previous legislation", "~statutory"),
        ("what's the advice on keeping my cool?", "keep calm and do not over react", "~keep_calm"),
        ("is risky play allowed?", "we encourage the children to take risks", "~risk"),
        ("any training in handling tricky behaviour?", "dealing with negative behaviour", "~handle"),
        ("which email do I use when handling pupil data?", "when accessing personal data", "~access"),
        ("can we buy the lad some boots?", "all purchases must be approved in advance", "~buy"),
        ("who owns the bereavement policy?", "policy owner: the trust safeguarding lead", "~owner"),
        ("can kids have whatever hairstyle they like?", "pupils may style their hair as they wish", "~hairstyle"),
        ("can she wear a different swimsuit?", "pupils may request changes to swimwear", "~swimwear"),
    ],
)
def test_the_sector_s_everyday_words_meet_a_policy_s_own(tmp_path: Path, message: str, passage_words: str, idea: str) -> None:
    """The same idea in a message's words and in a policy's: temp and temporary staff, a parents' evening and a
    formal meeting for parents, the law and legislation, keeping one's cool and keeping calm."""
    router = Router.from_folder(_school(tmp_path, "a", {"policy.md": PROBATION_REVIEWS_POLICY}))

    def ideas(text: str) -> set[str]:
        return {f for unit in router.analyzer.units(text) for f in unit.features}

    assert idea in ideas(message) & ideas(passage_words)


FIRST_AID_LESSONS_POLICY = """---
title: Health Education Policy
---
## Basic first aid

Pupils learn how to make a clear and efficient call to emergency services if necessary.

## Healthy eating

Pupils learn what makes a healthy and balanced diet.
"""


def test_ringing_999_is_calling_the_emergency_services(tmp_path: Path) -> None:
    assert "emergency services" in _answered(tmp_path, FIRST_AID_LESSONS_POLICY, "do the kids learn how to ring 999?")



HOMEWORK_DAYS_POLICY = """---
title: Homework Policy
---
## Level of challenge

Year 6: homework is given out on Fridays and returned on Tuesdays.

Year 2: homework is given out on Mondays and returned on Fridays.

## Aim

Homework helps children practise at home what they learn in class.

## Marking

Homework is marked by the class teacher within a week.
"""

DATA_POLICY = """---
title: Data Policy
---
## Collecting data

Staff collect attendance data on a set day each week and store it securely.
"""


def test_a_word_naming_what_a_whole_policy_is_about_outweighs_the_rest_of_the_question(tmp_path: Path) -> None:
    """ "Homework" is in every passage of the homework policy, so it is common there; it still names what the
    question is about, and the policy about it answers before another that speaks of setting and collecting."""
    router = Router.from_folder(_school(tmp_path, "a", {"homework.md": HOMEWORK_DAYS_POLICY, "data.md": DATA_POLICY}))
    routing = router.route("which days do we set and collect year 6 homework?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "given out on Fridays" in routing.matches[0].passage.text
    # The other policy's own question is still its own.
    data = router.route("what day do we collect attendance data?", TODAY)
    assert "set day each week" in data.matches[0].passage.text
    # --explain says so.
    _, trace = router.explain("which days do we set and collect year 6 homework?", TODAY)
    assert any("names what a policy is about" in text and "homework" in text for _, text in trace.lines)


CCTV_POLICY = """---
title: CCTV Policy
---
## System

The CCTV system records continuously and the cameras cover the entrances and the car park.

## Access to images

Only the headteacher and the site manager may view CCTV images.
"""

LETTINGS_EVENINGS_POLICY = """---
title: Lettings Policy
---
## When the school is let

The hall may be let to community groups at weekends, in the evenings and during the holidays.
"""


def test_a_question_naming_what_a_policy_is_about_is_not_answered_from_another_policy(tmp_path: Path) -> None:
    """ "Is the CCTV on at weekends and in the evenings?" names the CCTV policy's subject: the lettings policy,
    which speaks of weekends and evenings and never of CCTV, does not answer it."""
    router = Router.from_folder(
        _school(tmp_path, "a", {"cctv.md": CCTV_POLICY, "lettings.md": LETTINGS_EVENINGS_POLICY})
    )
    for question in ("is the cctv on at weekends and in the evenings and holidays?", "is the cctv on at weekends?"):
        routing = router.route(question, TODAY)
        # The CCTV policy says only that it records continuously: quoted or declined, never the lettings.
        assert all(m.passage.citation.document == "CCTV Policy" for m in routing.matches[:1])
    assert router.route("who can view cctv images?", TODAY).matches[0].passage.citation.document == "CCTV Policy"
    # The lettings policy still answers its own question.
    assert "community groups" in router.route("can groups use the hall at weekends?", TODAY).matches[0].passage.text


def test_numbers_and_the_people_every_policy_speaks_of_are_not_what_a_policy_is_about(tmp_path: Path) -> None:
    """A title "7.1 Safeguarding children and young people" is about safeguarding, not about seven or children."""
    router = Router.from_folder(_school(tmp_path, "a", {
        "safeguarding.md": "---\ntitle: 7.1 Safeguarding children\n---\n## Concerns\n\n"
                           "Every child's safeguarding concern is passed to the DSL the same day.\n",
        "meals.md": "---\ntitle: Meals Policy\n---\n## Lunch\n\nPupils eat lunch in the hall.\n",
    }))

    def naming(text: str) -> set[str]:
        return {u.surface for u in router.analyzer.units(text) if router.index.names_a_policy_topic(u)}

    assert naming("who do I tell about a safeguarding worry?") == {"safeguarding"}
    assert naming("the seven children in my group") == set()


CAMERAS_AND_LEAVE_POLICY = """---
title: Staff Handbook
---
## Closed circuit television

CCTV images are kept for 30 days and then overwritten.

## Keeping in touch

Keeping in Touch days during maternity leave are paid at the employee's normal rate.

## Repaying enhanced pay

Enhanced maternity pay is repaid if the employee resigns within six months of returning.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("how long do we keep the camera footage?", "kept for 30 days"),
        ("if I work a KIT day what do I get paid?", "normal rate"),
        ("do I pay anything back if I hand my notice in after coming back?", "repaid if the employee resigns"),
    ],
)
def test_cameras_family_leave_and_notice_are_read_in_the_sector_s_words(
    tmp_path: Path, question: str, quoted: str
) -> None:
    assert quoted in _answered(tmp_path, CAMERAS_AND_LEAVE_POLICY, question)


EARLY_YEARS_POLICY = """---
title: Nursery Handbook
---
## Key person

Each child is assigned a key person who settles them in and shares their progress with parents.

## Illness

Children who have had diarrhoea or vomiting stay at home until 48 hours after the last episode.

## Checks

Every member of staff holds an enhanced DBS check before starting work.

## Nappy changing

Nappies are changed on the changing mat in the bathroom, with gloves and aprons.

## Toilet training

Children who are potty training are offered the toilet every hour.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("who is my child's keyworker?", "key person"),
        ("how long does a kid stay off after a tummy bug?", "48 hours"),
        ("do new staff need a PVG check?", "enhanced DBS check"),
        ("how often do we offer toileting?", "every hour"),
    ],
)
def test_early_years_words_meet_the_setting_s_own(tmp_path: Path, question: str, quoted: str) -> None:
    assert quoted in _answered(tmp_path, EARLY_YEARS_POLICY, question)


DUTIES_POLICY = """---
title: Staff Conduct and Duties Policy
---
## Lone working

Staff working alone in the building after 6pm tell the site manager when they leave.

## Home visits

Home visits are always made by two members of staff.

## Gifts

Staff may accept small gifts from parents at the end of term.

## Lifts

Staff must not give pupils lifts in their own car without the headteacher's agreement.

## Whistleblowing

Concerns about wrongdoing at the school can be raised with the chair of governors.

## Medical appointments

Time off for medical appointments is arranged with the line manager, at the start or end of the day where possible.

## Lunchtimes

Midday supervisors carry a red card to send to the office when they need help.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("I'm often last one in the building on a Thursday, anything I need to do?", "tell the site manager"),
        ("is it ok to visit families on my own?", "two members of staff"),
        ("can I drive a pupil home?", "lifts in their own car"),
        ("I think something dodgy is going on at school, who do I tell?", "chair of governors"),
        ("are hospital appointments allowed in the school day?", "arranged with the line manager"),
        ("what do the MDSAs do if they need help?", "red card"),
    ],
)
def test_staff_conduct_and_absence_words_meet_the_policy_s(tmp_path: Path, question: str, quoted: str) -> None:
    assert quoted in _answered(tmp_path, DUTIES_POLICY, question)



FORGOTTEN_HOMEWORK_POLICY = """---
title: Homework Policy
---
## Aim

Homework helps parents see how their child is being educated and how they can help.

## Year 5

Year 5 homework is given out on Fridays and handed in on Tuesdays.

## Forgotten homework

Homework forgotten once is done at lunchtime; forgotten three weeks running, the class teacher rings home.

## Year 6

Year 6 homework is given out on Fridays and handed in on Wednesdays.
"""

CONSULTATION_POLICY = """---
title: Policy Development
---
## Consultation

Parents are involved at every point of the consultation on a new policy.
"""


def test_the_question_asked_alone_is_answered_only_from_a_policy_the_whole_message_pointed_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "My Y5 keeps forgetting homework. At what point do I get the parents involved?" is about homework:
    when the whole message is declined, its last question alone is not answered from a policy about
    something else that happens to speak of involving parents."""
    # In this small library the consultation passage is the whole message's third nearest; count two.
    monkeypatch.setattr("intents.router.RETRY_NEAREST", 2, raising=False)
    router = Router.from_folder(
        _school(tmp_path, "a", {"homework.md": FORGOTTEN_HOMEWORK_POLICY, "consultation.md": CONSULTATION_POLICY})
    )
    message = "My Y5 keeps forgetting homework on Tuesdays. At what point do I get the parents involved?"
    routing = router.route(message, TODAY)
    assert routing.intent is Intent.FALLBACK
    # Asked alone, the same question is that policy's.
    alone = router.route("at what point do we get the parents involved?", TODAY)
    assert "every point of the consultation" in alone.matches[0].passage.text


SIGNS_AND_ACCIDENTS_POLICY = """---
title: Keeping Children Safe Policy
---
## Recognising abuse

Staff look out for indicators of abuse such as unexplained bruising or a sudden change in behaviour.

## Agreements

All staff sign the acceptable use agreement and the code of conduct each September.

## Accidents

Accidents to pupils are recorded in the accident book in the school office.

## Records

Records of concerns are kept in the child's file in a locked cabinet.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("what signs of abuse should I look out for?", "unexplained bruising"),
        ("a child fell over at break, where do I record it?", "accident book"),
    ],
)
def test_signs_are_what_shows_abuse_and_a_fall_is_an_accident(tmp_path: Path, question: str, quoted: str) -> None:
    assert quoted in _answered(tmp_path, SIGNS_AND_ACCIDENTS_POLICY, question)


FIRST_AID_POLICY = """---
title: First Aid Policy
---
## Training

At least one member of staff with a current paediatric first aid certificate is on site at all times.

## Defibrillator

The defibrillator is kept in the cabinet by the front door; the code is given at induction.

## Hospital

Parents give consent at registration for staff to take their child to Accident and Emergency.

## Head injuries

Parents are telephoned straight away about any head injury, however minor.

## Records

Every incident of biting is noted down in the incident log the same day.

## First aid box

The first aid box is easily accessible to adults and kept out of the reach of children.

## Checking the box

The deputy manager checks and replenishes the first aid box every half term.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("how many of us need a paeds first aid cert?", "paediatric first aid certificate"),
        ("where's the defib?", "by the front door"),
        ("can we take a child to A&E before mum gets there?", "Accident and Emergency"),
        ("a child bumped her head on the table, do I ring mum?", "telephoned straight away"),
        ("do I have to write it down when a child bites?", "incident log"),
        ("who restocks the first aid box?", "checks and replenishes"),
        ("should the first aid box be easy to get to?", "easily accessible"),
    ],
)
def test_first_aid_words_and_short_forms_meet_the_policy_s(tmp_path: Path, question: str, quoted: str) -> None:
    assert quoted in _answered(tmp_path, FIRST_AID_POLICY, question)


NAMED_LEAD_POLICY = """---
title: Safeguarding Policy
---
## Designated person

Our designated safeguarding lead is: Jane Okafor, Nursery Manager, who has completed lead training.

## Records

Concerns are written on the concern form and kept in the locked cabinet.
"""


def test_a_question_for_a_name_is_answered_when_the_policy_names_the_person_without_a_title(tmp_path: Path) -> None:
    """ "Who's our DSL?" is answered when the policy names her ("is: Jane Okafor, Nursery Manager"), not only
    when it writes "Mrs Okafor"."""
    assert "Jane Okafor" in _answered(tmp_path, NAMED_LEAD_POLICY, "who's our DSL?")


PHYSICAL_INTERVENTION_POLICY = """---
title: Behaviour Policy
---
## Physical intervention

If reasonable force is used, parents are told on the same day and it is recorded in the incident book.

## Punishment

Corporal punishment of children of any kind is never used or threatened.

## Rewards

Children are praised for kind choices with stickers.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("I had to hold a child back today, when do parents need to know?", "same day"),
        ("is it ever ok to smack a child?", "never used or threatened"),
    ],
)
def test_holding_back_is_physical_intervention_and_a_smack_is_corporal_punishment(
    tmp_path: Path, question: str, quoted: str
) -> None:
    assert quoted in _answered(tmp_path, PHYSICAL_INTERVENTION_POLICY, question)


PARENT_CONCERNS_POLICY = """---
title: Making a Complaint
---
## Stage 1

A parent with a complaint about the setting first talks it over with the Playleader.

## Stage 3

If agreement cannot be reached, an external mediator is invited to help settle the complaint.

## Records

A written record of complaints is kept in the office.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("a mum is moaning about the setting - who does she talk to first?", "talks it over with the Playleader"),
        ("who is the go-between in a complaint?", "external mediator"),
    ],
)
def test_a_moan_is_a_complaint_and_a_go_between_is_a_mediator(tmp_path: Path, question: str, quoted: str) -> None:
    assert quoted in _answered(tmp_path, PARENT_CONCERNS_POLICY, question)


@pytest.mark.parametrize(
    "question",
    [
        "nobody has come to collect a child and it's 20 minutes after we closed, what do we do?",
        "what's the procedure if we can't find a child during outdoor play?",
        "is it ok to put suncream on the children if the parents haven't sent any in?",
    ],
)
def test_early_years_topics_no_policy_covers_are_declined(tmp_path: Path, question: str) -> None:
    assert _declined(tmp_path, FIRST_AID_POLICY, question) is DeclineReason.NOT_COVERED


UNCOLLECTED_POLICY = """---
title: Uncollected Child Policy
---
## Procedure

If a child has not been collected within 15 minutes of closing, the manager telephones the emergency contacts.
"""


def test_an_uncollected_child_is_answered_where_a_policy_covers_it(tmp_path: Path) -> None:
    assert "emergency contacts" in _answered(
        tmp_path, UNCOLLECTED_POLICY, "nobody has come to collect a child after we closed, what do we do?"
    )


PREVENT_POLICY = """---
title: Safeguarding Policy
---
## The Prevent Duty

Staff who notice a change in a child's behaviour that suggests radicalisation share it with the designated person.

## Records

Concerns are recorded on the concern form the same day.
"""


def test_extremism_is_the_radicalisation_a_prevent_section_speaks_of(tmp_path: Path) -> None:
    assert "radicalisation" in _answered(
        tmp_path, PREVENT_POLICY, "what do we do about extremism?"
    )


EXPENSES_POLICY = """---
title: Expenses Policy
---
## Mileage

Business mileage in staff's own cars is reimbursed at a rate of 45p per mile for the first 10,000 miles in a year.

## Receipts

Receipts must be uploaded within 72 hours of the purchase.

## Public transport

Train and bus fares for journeys to training are paid back on production of the ticket.

## Subcontractors

Subcontractors include travel costs in their own invoice.

## Subcontractors' mileage

Mileage is not reimbursed for subcontractors.

## Data storage

Files are saved to the network drive, never to a personal hard drive.
"""


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("what's the rate per mile when I drive?", "45p per mile"),
        ("how long have I got to put my till slips in?", "within 72 hours"),
        ("how do I get my train fares back?", "production of the ticket"),
        ("I'm self employed, how do I claim travel?", "their own invoice"),
        ("can I claim for train fares?", "production of the ticket"),
        ("can a subcontractor claim mileage?", "not reimbursed for subcontractors"),
    ],
)
def test_expenses_words_meet_the_policy_s(tmp_path: Path, question: str, quoted: str) -> None:
    assert quoted in _answered(tmp_path, EXPENSES_POLICY, question)


def test_how_to_reset_a_password_is_never_in_the_policies_even_where_they_name_the_system(tmp_path: Path) -> None:
    """A policy that names the school's Google Workspace says how it is used, not how to reset one's password."""
    policy = """---
title: Digital Safety Policy
---
## Google Workspace

Shared documents in Google Workspace are restricted to staff accounts, and passwords are never shared.
"""
    assert _declined(tmp_path, policy, "how do I reset my google workspace password?") is DeclineReason.NEVER_IN_POLICIES



@pytest.mark.parametrize(
    "question",
    [
        "who makes sure my probation reviews actually get booked in?",  # booked, not a room booking
        "I'm coming back to work here after a few years away, is there a review meeting?",  # not a sickness RTW
    ],
)
def test_everyday_words_near_a_topic_do_not_make_the_question_that_topic(tmp_path: Path, question: str) -> None:
    router = Router.from_folder(_school(tmp_path, "a", {"policy.md": PROBATION_REVIEWS_POLICY}))
    assert router.route(question, TODAY).reason is not DeclineReason.NOT_COVERED


def test_a_salary_is_the_pay_a_policy_speaks_of(tmp_path: Path) -> None:
    policy = """---
title: Family Leave Policy
---
## Paternity pay

Paternity pay is paid at the statutory rate for two weeks.
"""
    assert "statutory rate" in _answered(tmp_path, policy, "how much salary is paternity pay?")


ESA_POLICY = """---
title: Curriculum Policy
---
## Home learning

Our Education Support Assistants will be directed to focus on the needs of children not progressing as expected.

## Reading

Every class has a quiet reading time after lunch.
"""


def test_a_short_form_of_a_name_the_policy_spells_out_is_read_as_that_name(tmp_path: Path) -> None:
    """Staff type "ESAs" for the policy's "Education Support Assistants": the router reads the initials as the name."""
    router = Router.from_folder(_school(tmp_path, "a", {"policy.md": ESA_POLICY}))
    routing = router.route("what are the ESAs supposed to focus on?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "Education Support Assistants" in routing.matches[0].passage.text
    _, trace = router.explain("what are the ESAs supposed to focus on?", TODAY)
    assert any("education support assistants" in text for _, text in trace.lines)


def test_only_unambiguous_initials_that_are_no_word_already_are_spelled_out() -> None:
    from intents.acronyms import spelled_out

    found = spelled_out(
        ["Our Education Support Assistants help.", "The School Improvement Plan and the Senior Improvement Panel.",
         "Ask the Chair Of Governors."],
        taken={"cog"},
    )
    assert found["esa"] == found["esas"] == "education support assistants"
    assert "sip" not in found  # two names share the initials
    assert "cog" not in found  # already a word


EDI_POLICY = """---
title: Equality, Diversity & Inclusion Policy
---
## Reporting incidents

Any learner who experiences discrimination should report it to their key worker first.
"""


def test_a_policy_named_by_its_initials_is_the_policy_the_school_holds(tmp_path: Path) -> None:
    """ "The EDI policy" is the school's "Equality, Diversity & Inclusion Policy", not a policy it lacks."""
    router = _answers_first(tmp_path, {"edi.md": EDI_POLICY}, "what does the EDI policy say about reporting discrimination?", "key worker first")
    # A policy the school does not hold is still one it does not hold.
    assert router.route("what does the SEND policy say about reporting?", TODAY).reason is DeclineReason.OTHER_POLICY


UNIFORM_POLICY = """---
title: Uniform Policy
---
## Our uniform

Sweatshirts and polo shirts with the school logo are available, but plain ones from any shop are just as welcome.

## Concerns

Parents may raise a concern about the uniform with the class teacher.

## Staff

Staff may borrow a school laptop for use at home.
"""


def test_a_passage_that_speaks_of_no_one_in_particular_answers_what_parents_do(tmp_path: Path) -> None:
    """ "Do parents have to get the logo sweatshirt?" is answered by the uniform passage, which names no one;
    "can pupils borrow a laptop?" is still not answered by the passage about staff borrowing them."""
    router = _answers_first(tmp_path, {"uniform.md": UNIFORM_POLICY}, "do parents HAVE to get the logo sweatshirt?", "plain ones from any shop")
    # A passage about staff still answers nothing pupils do: see the explain test of each decline kind.
    assert router.route("can pupils borrow a school laptop for use at home?", TODAY).intent is Intent.FALLBACK


UNIFORM_TIMES_POLICY = """---
title: Uniform Policy
---
## Pupils

Pupils are expected to wear the correct uniform at all times while on the school premises or on school trips.

## Costs

Branded items are kept to a minimum to keep the cost of uniform down.
"""


def test_at_all_times_says_when(tmp_path: Path) -> None:
    """ "When are pupils supposed to be in uniform?" asks for a time; "at all times while on the premises" gives it."""
    assert "at all times" in _answered(tmp_path, UNIFORM_TIMES_POLICY, "when are pupils supposed to be in uniform?")



LEAVE_REQUESTS_POLICY = """---
title: Flexible Working Policy
---
## 4. Considering a request

Before turning a request down, the headteacher will talk it through with the member of staff.

Staff may bring a trade union representative or a colleague to the meeting about their request.

The deadline for deciding a request may be extended by up to two weeks when both sides agree in writing.
"""


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("will they talk to me before turning my request down?", "talk it through"),
        ("can I bring my union rep to the meeting about my request", "trade union representative"),
        ("can the deadline for deciding my request be extended?", "may be extended"),
    ],
)
def test_asking_what_happens_to_a_request_is_a_policy_question_not_a_look_at_ones_own_requests(
    tmp_path: Path, question: str, answer: str
) -> None:
    router = _answers_first(tmp_path, {"flexible-working.md": LEAVE_REQUESTS_POLICY}, question, answer)
    assert router.route("has my request been approved yet?", TODAY).intent is Intent.MY_REQUESTS
    assert router.route("any news on my request?", TODAY).intent is Intent.MY_REQUESTS


DISCIPLINARY_POLICY = """---
title: Disciplinary Policy
---
## 6. Suspension

Suspension is not a disciplinary sanction and does not imply that the employee is guilty.

Suspension will be kept as brief as reasonably practicable and is on full pay.

## 7. Closing the school in bad weather

A decision to close the school in bad weather should be made as early as possible by the headteacher.
"""


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("how long can a suspension go on for?", "as brief as reasonably practicable"),
        ("how early should the decision to close in bad weather be made?", "as early as possible"),
    ],
)
def test_how_soon_answers_when_how_early_and_how_long_where_a_policy_gives_no_figure(
    tmp_path: Path, question: str, answer: str
) -> None:
    _answers_first(tmp_path, {"disciplinary.md": DISCIPLINARY_POLICY}, question, answer)


CONSENT_POLICY = """---
title: Photography Policy
---
## 2. Consent

Parents are asked to complete a consent form when their child joins the school.

The consent form is valid for the current academic year and is refreshed each September.

Consent can be withdrawn at any time by writing to the school office.
"""


def test_how_long_is_answered_by_a_span_named_without_a_number(tmp_path: Path) -> None:
    """ "Valid for the current academic year" says how long, though it holds no figure."""
    _answers_first(tmp_path, {"photography.md": CONSENT_POLICY}, "how long is a consent form valid for?",
                   "valid for the current academic year")


VOLUNTEERS_POLICY = """---
title: Volunteering Policy
---
## Document control

Date approved by Governors; 11 March 2019

Date of Review; February 2022

## Becoming a volunteer

Anyone wishing to volunteer contacts the school office, who arrange a meeting with the member of staff they will
support. Volunteers may be asked to undergo a DBS check before they start.

## Code of conduct

Volunteers follow the direction of the class teacher and keep what they see in school confidential.
"""


@pytest.mark.parametrize(
    "question",
    ["when is the volunteers policy due to be looked at again?", "when's the volunteering policy next reviewed?"],
)
def test_when_a_policy_is_reviewed_is_answered_by_the_passage_saying_so(tmp_path: Path, question: str) -> None:
    """The review date shares little else with the question: the passage saying when is found in the policy."""
    _answers_first(tmp_path, {"volunteers.md": VOLUNTEERS_POLICY}, question, "Date of Review; February 2022")


def test_a_review_the_policy_describes_is_not_the_policys_own(tmp_path: Path) -> None:
    """ "When is the mid-point probation review?" asks about a meeting, not when the document is reviewed."""
    policy = VOLUNTEERS_POLICY + "\n## Probation\n\nThe mid-point probation review takes place within three months of starting.\n"
    _answers_first(tmp_path, {"volunteers.md": policy}, "when is the mid-point probation review?", "within three months")


CAREERS_POLICY = """---
title: Careers Guidance Policy
---
## Document control

Associated documents; Provider Access Policy

Date of Review; January 2022

## Overview

Careers guidance is part of the curriculum for all students and is regularly evaluated, reviewed and improved,
with links between the school and local employers through work experience.

## Provision

Students in Year 11 have an individual interview with an independent careers adviser.
"""


@pytest.mark.parametrize(
    "question",
    ["is there another policy that goes alongside the careers one?", "which other policies go with the careers policy?"],
)
def test_which_other_policies_go_with_one_is_answered_by_the_passage_naming_them(
    tmp_path: Path, question: str
) -> None:
    """ "Another policy" names none the school lacks; the passage naming the linked policy answers, not one
    mentioning links in passing."""
    _answers_first(tmp_path, {"careers.md": CAREERS_POLICY}, question, "Provider Access Policy")


COUNCIL_APPROVED_POLICY = """---
title: Uniform Policy
---
## 2. Roles

The headteacher approves any change to the uniform after consulting parents, and staff check pupils' uniform
each morning.

## 6. Monitoring arrangements

This policy will be reviewed every three years. At every review, it will be approved by the Local Academy Council.
"""


@pytest.mark.parametrize("question", ["who signs off the uniform policy?", "who approves the uniform policy?"])
def test_who_approves_a_policy_is_answered_by_the_passage_saying_so(tmp_path: Path, question: str) -> None:
    """Not the headteacher who approves changes to the uniform: the policy is approved by the council."""
    _answers_first(tmp_path, {"uniform.md": COUNCIL_APPROVED_POLICY}, question, "approved by the Local Academy Council")


def test_explain_says_a_question_asks_what_the_policy_says_of_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _school(tmp_path, "a", {"uniform.md": COUNCIL_APPROVED_POLICY})
    assert main(["ask", "--explain", "--policies", str(folder), "who signs off the uniform policy?"]) == 0
    explained = capsys.readouterr().out
    ranked = explained.split("asks what the policy says of itself", 1)[1].splitlines()
    assert "Uniform Policy · 6 Monitoring arrangements" in ranked[1]
