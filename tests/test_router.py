"""The router: each intent, answers from the right section, declines, safeguarding, slots.

Questions here are our own wording, not the evaluation's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intents.policy_library import Passage
from intents.router import ANSWER_THRESHOLD, Router, _put_other_sections_first, confidence
from intents.routing import DeclineReason, Intent, Match, PartOfDay, ReasonCategory
from intents.text import normalise
from policy_text import DEMO_SCHOOL_DIR

MONDAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def router() -> Router:
    return Router.from_folder(DEMO_SCHOOL_DIR)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("the broadband keeps dropping at home, who sorts that out", "8.2 IT support"),
        ("my back is killing me from sitting at the kitchen table all day", "8.3 Workstation safety"),
        ("need to borrow an ipad to work at home", "8.1 Equipment"),
        ("do i need to answer emails from parents at 9pm", "4 Working hours"),
        ("minimum length for a pasword?", "9 Data protection"),
        ("what should the SENCO be doing during a closure", "SENDCO"),
        ("can our hlta do training online", "Teaching Assistants"),
    ],
)
def test_policy_questions_find_their_section(router: Router, question: str, section: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    citations = [f"{m.passage.citation.section} {m.passage.citation.heading}".strip() for m in routing.matches[:2]]
    assert section in citations


@pytest.mark.parametrize(
    "question",
    [
        "how much is the staff car park permit",
        "what's on the lunch menu today",
        "when do we break up for christmas",
        "is there a staff discount at the gym",
    ],
)
def test_questions_the_policies_do_not_cover_are_declined(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_safeguarding_questions_always_include_the_dsl(router: Router) -> None:
    routing = router.route("I'm worried about a pupil's welfare after a video call", MONDAY)
    assert routing.safeguarding
    assert any("DSL" in m.passage.text for m in routing.matches)


@pytest.mark.parametrize(
    ("question", "start", "part"),
    [
        ("can i wfh on friday morning", date(2026, 11, 27), PartOfDay.MORNING),
        ("I'd like to work from home tomorrow", date(2026, 11, 24), PartOfDay.WHOLE_DAY),
        ("request home working 14/12 afternoon", date(2026, 12, 14), PartOfDay.AFTERNOON),
    ],
)
def test_requests_to_work_from_home_carry_their_dates(
    router: Router, question: str, start: date, part: PartOfDay
) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.REQUEST_WFH
    assert routing.slots is not None
    assert routing.slots.when.start == start and routing.slots.when.part_of_day is part


def test_a_request_keeps_its_reason_and_category(router: Router) -> None:
    routing = router.route("can I work from home on Thursday because I have reports to write", MONDAY)
    assert routing.slots is not None
    assert routing.slots.reason == "I have reports to write"
    assert routing.slots.reason_category is ReasonCategory.SPECIFIC_TASK


def test_a_question_about_the_rules_is_not_a_request(router: Router) -> None:
    assert router.route("who approves working from home?", MONDAY).intent is Intent.POLICY


def test_thinking_about_a_child_s_home_is_no_request_but_thinking_of_working_there_is(router: Router) -> None:
    """ "Thinking about" asks for a day only as the speaker's own plan; a child's home life is no request."""
    question = "should we be thinking about stuff at home like a new baby when a child starts acting up?"
    assert router.route(question, MONDAY).intent is not Intent.REQUEST_WFH
    assert router.route("I'm thinking of working from home on Friday", MONDAY).intent is Intent.REQUEST_WFH


def test_something_happening_at_home_with_a_day_named_is_no_request(router: Router) -> None:
    """Being at home is asked for close after an ask; a family's home life, with a day in the message, is not."""
    question = "dad told me about some stuff going on at home, can I mention it to the coach who collects him on thursdays"
    assert router.route(question, MONDAY).intent is not Intent.REQUEST_WFH
    assert router.route("can I be at home on Friday?", MONDAY).intent is Intent.REQUEST_WFH
    assert router.route("I'll be at home on Monday for a delivery", MONDAY).intent is Intent.REQUEST_WFH


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("has my wfh request been approved yet?", Intent.MY_REQUESTS),
        ("show my requests", Intent.MY_REQUESTS),
        ("please cancel my work from home on friday", Intent.CANCEL_REQUEST),
        ("hello", Intent.HELP),
        ("what can you do?", Intent.HELP),
        ("what kinds of things can i ask you?", Intent.HELP),
        ("what sort of stuff can you help with", Intent.HELP),
    ],
)
def test_workflow_intents(router: Router, question: str, intent: Intent) -> None:
    assert router.route(question, MONDAY).intent is intent


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "\x00\x01\x02", "a" * 10_000])
def test_odd_input_routes_without_error(router: Router, text: str) -> None:
    routing = router.route(text, MONDAY)
    assert routing.intent in (Intent.FALLBACK, Intent.HELP, Intent.POLICY)


@pytest.mark.parametrize(
    "question",
    [
        # A topic no policy mentions is declined even when the other words match a passage.
        "whats the staff parking situation like, is a permit needed",
        "can i ask the head to write me a reference",
        # "lately" is a stopword; "late" is not, and lateness is not in the policies.
        "what happens if i'm late for work",
        # "uniformly" (consistently) is not the school uniform.
        "what uniform do the kids need",
    ],
)
def test_a_topic_the_policies_never_mention_is_declined(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_asking_how_to_use_office_kit_is_not_asking_for_help_with_the_assistant(router: Router) -> None:
    assert router.route("how do i use the laminator", MONDAY).intent is Intent.FALLBACK
    assert router.route("menu", MONDAY).intent is Intent.HELP


def test_a_possessive_names_its_owner(router: Router) -> None:
    routing = router.route("what's RM's number", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "01384 813920" in routing.matches[0].passage.text


def test_a_safeguarding_answer_quotes_who_to_contact(router: Router) -> None:
    routing = router.route("a pupil told me something worrying on a video call", MONDAY)
    assert any("contact the DSL" in m.passage.text for m in routing.matches[:2])


def test_feeling_low_is_about_wellbeing_not_a_network_being_down(router: Router) -> None:
    routing = router.route("who should i tell if home working is getting me down", MONDAY)
    assert routing.matches[0].passage.citation.heading == "Wellbeing support"


def test_asking_for_a_time_is_not_asking_for_help(router: Router) -> None:
    assert router.route("what time does school start", MONDAY).intent is Intent.FALLBACK


def test_a_question_about_school_and_home_still_finds_its_passage(router: Router) -> None:
    routing = router.route("my wifi at home keeps dropping, who do i call", MONDAY)
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.heading == "IT support"



@pytest.mark.parametrize(
    "question",
    [
        "what does the child protection policy say about photos",
        "where can i read the flexible working policy",
    ],
)
def test_asking_what_a_policy_we_only_mention_says_is_declined(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_a_named_policy_answers_rather_than_the_other_one(router: Router) -> None:
    routing = router.route("does the home learning policy say who approves it", MONDAY)
    assert routing.intent is Intent.POLICY
    assert {m.passage.citation.document for m in routing.matches} == {"Remote Learning Policy for staff"}


def test_how_long_needs_a_passage_with_a_number(router: Router) -> None:
    assert router.route("how long should a live lesson be", MONDAY).intent is Intent.FALLBACK
    routing = router.route("how long does my password have to be", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "8 characters" in routing.matches[0].passage.text


def test_text_speak_letters_and_apologies_do_not_count_against_a_question(router: Router) -> None:
    routing = router.route("sorry silly q but who gives the green light for home working days?", MONDAY)
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.heading == "Headteacher"


def test_a_near_passage_covering_more_of_the_question_answers_when_the_top_one_falls_short(router: Router) -> None:
    # The first-ranked passage shares more words; the one on families without internet covers more of the question.
    question = "one of my families has no wifi at home, how do they get the work?"
    first = router.index.search(router.analyzer.units(question, spellcheck=True), 6)[0]
    assert confidence(first) < ANSWER_THRESHOLD
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    assert "no access to the internet" in routing.matches[0].passage.text
    routing = router.route("does the code of conduct still apply when teaching online from home", MONDAY)
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.heading == "Safeguarding"


def test_a_condition_about_working_at_home_is_not_a_request_for_a_day(router: Router) -> None:
    assert router.route("can i use my hotmail for school things when working remotely", MONDAY).intent is not (
        Intent.REQUEST_WFH
    )



def test_an_allowance_is_money_not_being_allowed(router: Router) -> None:
    assert router.route("is there a wfh allowance", MONDAY).intent is Intent.FALLBACK


def test_a_dated_request_keeps_its_topic_as_the_reason(router: Router) -> None:
    routing = router.route("can i wfh on friday to get my data drop done", MONDAY)
    assert routing.intent is Intent.REQUEST_WFH


def test_a_task_of_ones_own_is_the_reason_for_a_request(router: Router) -> None:
    assert router.route("can i do my ppa at home", MONDAY).intent is Intent.REQUEST_WFH


def test_what_pupils_get_is_not_answered_by_a_rule_for_staff(router: Router) -> None:
    assert router.route("can pupils borrow laptops", MONDAY).intent is Intent.FALLBACK
    routing = router.route("can i borrow a laptop to work at home", MONDAY)
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.heading == "Equipment"


def test_after_the_best_passage_each_other_section_leads_before_more_of_any_one(router: Router) -> None:
    by_heading: dict[str, list[Passage]] = {}
    for passage in router.library.passages:
        by_heading.setdefault(passage.citation.heading, []).append(passage)
    teachers, governors = by_heading["Teachers"], by_heading["Governing Body"]
    ranked = [Match(p, 0.9) for p in (teachers[1], teachers[2], teachers[3], governors[0], governors[1])]
    ordered = [m.passage for m in _put_other_sections_first(ranked)]
    assert ordered == [teachers[1], governors[0], teachers[2], teachers[3], governors[1]]


@pytest.mark.parametrize(
    "question",
    [
        "how do i sign into bromcom when im at home",
        "what's my sims password",
        "whats my scholarpack username",
    ],
)
def test_how_to_sign_in_or_ones_own_login_is_declined(router: Router, question: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.FALLBACK


def test_not_being_able_to_log_in_still_finds_it_support(router: Router) -> None:
    routing = router.route("i cant log in to my laptop at home, who do i call", MONDAY)
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.heading == "IT support"


@pytest.mark.parametrize(
    "question",
    [
        "could i wfh over the easter holidays",
        "am i allowed to work at home during the school holidays",
        "can i do my planning from home over half term",
    ],
)
def test_working_from_home_in_the_school_holidays_is_declined(router: Router, question: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.FALLBACK


def test_a_request_ending_at_a_holiday_is_still_a_request(router: Router) -> None:
    routing = router.route("can i work from home on fridays until half term", MONDAY)
    assert routing.intent is Intent.REQUEST_WFH


def test_a_personal_email_account_is_the_personal_messaging_the_policy_rules_out(router: Router) -> None:
    routing = router.route("is it ok to email pupil details from my hotmail", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "official school email" in routing.matches[0].passage.text


def test_a_longer_lexicon_phrase_says_what_a_topic_inside_it_is_about(router: Router) -> None:
    # "staff meeting" alone is a topic the policies never mention; on Teams it is a video call.
    analyzer = router.analyzer
    assert [u.surface for u in analyzer.units("a staff meeting on zoom")] == ["staff meeting on zoom"]
    assert router.route("when is the next staff meeting", MONDAY).intent is Intent.FALLBACK


def test_words_whose_stem_is_another_word_keep_their_own(router: Router) -> None:
    account = router.analyzer.units("my email account")[-1]
    accountable = router.analyzer.units("accountable")[0]
    assert not account.features & accountable.features
    reports = router.analyzer.units("reports")[0]
    assert "report" not in reports.features


def test_cue_phrases_are_read_with_typos_corrected(router: Router) -> None:
    assert router.route("whats the staff wiffi passwrod", MONDAY).intent is Intent.FALLBACK
    assert router.analyzer.spell("passwrod for the wiffi") == "password for the wifi"


@pytest.mark.parametrize(
    "question",
    [
        "who is the senco now that mr patel has gone",
        "whos the new dsl this year",
    ],
)
def test_a_question_for_a_persons_name_is_declined_even_naming_someone(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_a_policy_is_named_by_the_words_after_its_determiner(router: Router) -> None:
    # "the Headteacher applies the policy" does not make "applies" (or "covers") a policy's name.
    assert router.route("whats the cover policy", MONDAY).intent is Intent.FALLBACK
    assert router.route("what is the uniform policy", MONDAY).intent is Intent.FALLBACK
    routing = router.route("what is the home working policy for", MONDAY)
    assert routing.intent is Intent.POLICY


@pytest.mark.parametrize(
    "question",
    [
        "how do i set up a breakout room in a teams meeting",
        "how do i add a new class to eschools",
        "how do i create a folder in my school email",
    ],
)
def test_how_to_work_a_piece_of_software_is_declined(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_how_to_set_up_a_desk_still_finds_workstation_safety(router: Router) -> None:
    routing = router.route("how do i set up my chair and desk at home", MONDAY)
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.heading == "Workstation safety"


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("do i have to reply to messages from colleagues in the evenings", "not required to correspond"),
        ("is home working allowed as a permanent arrangement", "regular working pattern"),
        ("what's the contingency if school shuts again", "remote learning procedures and contingency"),
        ("my neck aches from hunching over the laptop", "Raise their laptop/tablet"),
        ("should remote lessons be the same as in school", "education as normal but from home"),
        ("are teachers meant to be online monday to friday in a closure", "Monday – Friday"),
    ],
)
def test_everyday_paraphrases_find_the_passage(router: Router, question: str, phrase: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    assert any(phrase in m.passage.text for m in routing.matches[:2])


@pytest.mark.parametrize(
    "question",
    [
        "how much holiday allowance do teachers get",
        "who do i tell about a leak in the roof",
        "can i go part time next year",
        "how do i arrange cover for a training day",
        "how do i record a pupil absence",
    ],
)
def test_employment_site_and_pupil_attendance_topics_are_declined(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_what_if_on_my_home_day_asks_the_rules_not_for_my_requests(router: Router) -> None:
    assert router.route("what if my internet goes down on my wfh day", MONDAY).intent is Intent.POLICY


def test_an_email_address_is_found_by_its_name(router: Router) -> None:
    assert normalise("write to office2024@example.org").startswith("write to office office2024")
    routing = router.route("what email address do parents use to reach the school admin", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "admin2042@welearn365.com" in routing.matches[0].passage.text


def test_a_duty_no_policy_speaks_of_is_not_covered(router: Router) -> None:
    routing = router.route("who does the lunch duty rota", MONDAY)
    assert routing.intent is Intent.FALLBACK
    assert routing.reason is DeclineReason.NOT_COVERED


def test_a_passage_ranked_below_the_first_three_may_answer_when_it_covers_more(router: Router) -> None:
    # Subject Leaders' heading carries "subject"; the teachers' bullet lists the subjects.
    routing = router.route("which subjects should each day's home learning include", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "one English; one Maths" in routing.matches[0].passage.text


def test_texting_spellings_are_read_as_the_words_they_stand_for(router: Router) -> None:
    assert router.analyzer.expand("pls can i wrk frm hme tmrw") == "pls can i work from home tomorrow"
    routing = router.route("cn i wrk frm hme 2moro pls", MONDAY)
    assert routing.intent is Intent.REQUEST_WFH
    assert routing.slots is not None and routing.slots.when.start == date(2026, 11, 24)


def test_checking_on_a_request_is_read_with_typos_corrected(router: Router) -> None:
    assert router.route("has the headteacher aproved my wfh on thursday yet", MONDAY).intent is Intent.MY_REQUESTS
    assert router.route("which home days have i got booked", MONDAY).intent is Intent.MY_REQUESTS
    assert router.route("hows my request for the 3rd going", MONDAY).intent is Intent.MY_REQUESTS


def test_a_date_or_an_ordinal_names_no_topic(router: Router) -> None:
    assert router.analyzer.unknown_weight("14th") == router.analyzer.unknown_weight("14")


@pytest.mark.parametrize(
    "question",
    [
        "one of my pupils told me something on a video call that i'm worried about, what now",
        "a kid in my class said that nobody is at home with them in the day, who should know",
    ],
)
def test_a_worry_about_a_child_is_a_safeguarding_question(router: Router, question: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.safeguarding
    assert any("DSL" in m.passage.text for m in routing.matches[:2])


@pytest.mark.parametrize(
    "question",
    ["when do i get to go onto the upper pay spine", "can the school see my search history", "how do i screen share on zoom"],
)
def test_pay_progression_browsing_and_working_software_are_not_covered(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.FALLBACK


def test_everyday_words_for_behaviour_absence_and_amounts(router: Router) -> None:
    assert any("~behaviour" in u.features for u in router.analyzer.units("a few of them were mucking about"))
    assert any("~approximately" in u.features for u in router.analyzer.units("roughly how many"))
    routing = router.route("if i'm poorly on a home working day, who do i ring in to", MONDAY)
    assert routing.intent is Intent.POLICY
    assert any("absence procedure" in m.passage.text for m in routing.matches[:2])


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("my school ipad was pinched out of my bag at the station, what now", "9 Data protection"),
        ("sorting out a proper desk in the loft for working at home, any tips", "8.3 Workstation safety"),
    ],
)
def test_a_topic_named_only_as_a_place_does_not_decline(router: Router, question: str, section: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    citations = [f"{m.passage.citation.section} {m.passage.citation.heading}".strip() for m in routing.matches[:2]]
    assert section in citations


def test_a_topic_after_a_preposition_of_place_is_a_side_word(router: Router) -> None:
    units = router.analyzer.units("left it in the car park", spellcheck=True)
    assert all(u.place for u in units if router.analyzer.is_topic(u.surface))
    assert not any(u.place for u in router.analyzer.units("can i park my car on site", spellcheck=True))
    # "on" and "about" name the topic: "the rule on parking" is about parking.
    assert router.route("what's the rule on parking", MONDAY).intent is Intent.FALLBACK
    assert router.route("can i book a room in school for a meeting", MONDAY).intent is Intent.FALLBACK


def test_asking_which_policies_apply_names_no_other_policy(router: Router) -> None:
    routing = router.route("recording videos for my class at home, which policies apply to that", MONDAY)
    assert routing.intent is Intent.POLICY


@pytest.mark.parametrize(
    "question",
    [
        "if my little one is poorly on my home working day, do i really need to phone the office",
        "laptop's packed in - could the school loan me one for my wfh days",
    ],
)
def test_a_rule_question_about_ones_home_days_is_not_checking_requests(router: Router, question: str) -> None:
    assert router.route(question, MONDAY).intent is Intent.POLICY


def test_not_knowing_what_to_do_on_a_named_day_asks_the_policy(router: Router) -> None:
    routing = router.route("no idea what i should be getting on with at home on friday", MONDAY)
    assert routing.intent is Intent.POLICY
    assert router.route("can i work from home on friday", MONDAY).intent is Intent.REQUEST_WFH


def test_filler_words_leave_a_cue_unchanged(router: Router) -> None:
    assert router.cues.unfilled("do i still really have to") == "do i have to"


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("whats the minimum pwd length", "9 Data protection"),
        ("a family emailed in pics of the model their child made, do i have to respond", "Teachers"),
        ("how often is the remote learning policy looked over", "Monitoring arrangements"),
        ("who deals with training needs in each subject", "Subject Leaders"),
    ],
)
def test_everyday_words_for_passwords_photos_reviews_and_who_handles(
    router: Router, question: str, section: str
) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    citations = [f"{m.passage.citation.section} {m.passage.citation.heading}".strip() for m in routing.matches[:2]]
    assert section in citations


def test_computing_the_subject_is_not_a_computer(router: Router) -> None:
    computer = router.analyzer.units("computer")[0].features
    computing = router.analyzer.units("computing")[0].features
    assert "~curriculum" in computing and "~curriculum" not in computer


def test_how_long_is_answered_by_a_measure_not_any_number(router: Router) -> None:
    # "Covid-19" holds a number but says nothing of how long.
    assert router.route("how long must we hold on to child protection files", MONDAY).intent is Intent.FALLBACK
    routing = router.route("how long should a laptop passcode be", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "8 characters" in routing.matches[0].passage.text


def test_details_one_works_with_are_not_details_asked_for(router: Router) -> None:
    routing = router.route("how can i look at pupil records from home to update a parents phone number", MONDAY)
    assert routing.intent is Intent.POLICY
    assert router.route("what's the phone number for the union rep", MONDAY).intent is Intent.FALLBACK


def test_the_question_asked_answers_when_the_rest_only_explains(router: Router) -> None:
    question = "could i write my reports at home one day? the classroom is so noisy after school and i never get them done"
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    assert "Report checking" in routing.matches[0].passage.text
    # …but not when the rest names something the policies don't cover.
    assert router.route("can i have the day off? its my brothers wedding", MONDAY).intent is Intent.FALLBACK


def test_what_a_message_was_about_is_a_side_word(router: Router) -> None:
    routing = router.route("my line manager texted me late on sunday about the nativity, must i answer", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "not required to correspond" in routing.matches[0].passage.text
    # "About" names the topic when nobody was messaged: the policies don't cover nativities.
    assert router.route("what's the plan about the nativity", MONDAY).intent is Intent.FALLBACK


def test_who_asks_whether_a_policy_applies_is_not_a_topic(router: Router) -> None:
    routing = router.route("im a caretaker, does the wfh policy even apply to me?", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "applies to all staff" in routing.matches[0].passage.text
    # A topic named otherwise still counts against answering.
    assert router.route("im on paternity leave, does the wfh policy apply to me", MONDAY).intent is Intent.FALLBACK


def test_what_someone_else_would_use_a_laptop_for_is_a_side_word(router: Router) -> None:
    routing = router.route("ok if my son goes on my laptop for his homework?", MONDAY)
    assert routing.intent is Intent.POLICY
    texts = " ".join(m.passage.text for m in routing.matches[:2])
    assert "Not sharing the device" in texts
    assert router.route("what's the school's policy on homework", MONDAY).intent is Intent.FALLBACK


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("pupil keeps messing around in my online group, who should i go to", "Issues with behaviour"),
        ("a parent messaged me on a sat night, am i expected to reply", "not required to correspond"),
    ],
)
def test_school_shorthand_reaches_the_answer(router: Router, question: str, phrase: str) -> None:
    routing = router.route(question, MONDAY)
    assert routing.intent is Intent.POLICY
    assert any(phrase in m.passage.text for m in routing.matches[:3])


def test_health_advice_with_no_day_asks_whether_it_is_a_reason(router: Router) -> None:
    routing = router.route("i'm clinically vulnerable and my doctor wants me shielding, can i work from home", MONDAY)
    assert routing.intent is Intent.POLICY
    assert any("clinical" in m.passage.text for m in routing.matches[:3])
    # With a day named it is still a request for that day.
    assert router.route("doctor says i should isolate, can i wfh on thursday", MONDAY).intent is Intent.REQUEST_WFH


def test_ringing_in_on_a_home_day_asks_about_the_absence_procedure(router: Router) -> None:
    routing = router.route("meant to be wfh tmrw but i feel awful, should i phone in", MONDAY)
    assert routing.intent is Intent.POLICY
    assert any("absence procedure" in m.passage.text for m in routing.matches[:3])


def test_asking_for_a_device_to_use_at_home_is_not_asking_for_a_day(router: Router) -> None:
    routing = router.route("could i have an ipad to use at home? my own one died", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "request technical equipment" in routing.matches[0].passage.text
    assert router.route("could i do my ppa from home on wednesday", MONDAY).intent is Intent.REQUEST_WFH


def test_logging_off_early_is_about_working_hours(router: Router) -> None:
    routing = router.route("can i log off at 2 on my home working day", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "usual contractual hours" in routing.matches[0].passage.text


def test_the_days_activities_are_the_teachers_setting_work(router: Router) -> None:
    routing = router.route("which subjects are meant to be in the daily lockdown activities", MONDAY)
    assert routing.intent is Intent.POLICY
    assert any("one English; one Maths" in m.passage.text for m in routing.matches[:2])


def test_answers_do_not_depend_on_the_hash_seed() -> None:
    """Equal scores are broken by the policies' own order, so every process answers alike."""
    import os
    import subprocess
    import sys

    questions = (Path(__file__).parent / "data" / "questions_blind.jsonl").read_text()
    outputs = {
        subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--jsonl"], input=questions, capture_output=True,
                       text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    "text",
    [
        "can I withdraw my grievance?",
        "any update on my grievance?",
        "what happened to my complaint?",
        "where is my subject access request?",
        "I want to withdraw my consent for photos",
        # Someone else cancelling is told of, not done: "cancelled" with a day is no request to cancel.
        "A hirer cancelled their Saturday booking three days beforehand. Do they get their money back?",
        "the trip was cancelled on friday, do parents get refunds?",
    ],
)
def test_withdrawing_or_following_up_what_is_not_a_request_here_asks_the_policies(router: Router, text: str) -> None:
    """A grievance, complaint or subject access request is not a request made in Staffroom: the question is
    for the policies (answered or declined), never "I can show and cancel your requests"."""
    routing = router.route(text, MONDAY)
    assert routing.intent not in (Intent.CANCEL_REQUEST, Intent.MY_REQUESTS)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cancel my leave request", Intent.CANCEL_REQUEST),
        ("cancel friday", Intent.CANCEL_REQUEST),
        ("withdraw the request for monday", Intent.CANCEL_REQUEST),
        ("scrap my wfh day tomorrow", Intent.CANCEL_REQUEST),
        ("cancel my wfh, I need to report a safeguarding concern instead", Intent.CANCEL_REQUEST),
        ("any update on my wfh request?", Intent.MY_REQUESTS),
    ],
)
def test_requests_made_here_are_still_cancelled_and_listed(router: Router, text: str, intent: Intent) -> None:
    assert router.route(text, MONDAY).intent is intent


@pytest.mark.parametrize(
    ("text", "safeguarding"),
    [
        ("a pupil told me something worrying about home", True),
        ("one of my class told me her stepdad hits her", True),
        ("A Reception parent has told me they never get round to the homework. Is there any consequence for the child?",
         False),
        ("my gp has told me to isolate but im not ill, can i work from home", False),
    ],
)
def test_told_me_is_a_worry_when_a_child_told(router: Router, text: str, safeguarding: bool) -> None:
    """A child telling an adult something is a possible disclosure; a parent or a GP telling is not."""
    assert router.route(text, MONDAY).safeguarding is safeguarding


@pytest.mark.parametrize(
    ("text", "safeguarding"),
    [
        ("think a colleague might have hurt a child - who do i report it to?", True),
        ("student said her stepdad hits her", True),
        ("I saw a dad grab his son really hard at pick up", True),
        ("the TA shouted at a child and pushed him", True),
        ("a child says they don't want to go home tonight", True),
        ("what if a pupil tells me a secret and asks me not to tell anyone", True),
        ("a girl in year 8 has an older boyfriend who picks her up", True),
        ("a child has a mark on her arm and wont say how", True),
        # The adult harms the member of staff, not a child: no child is named apart from the adult.
        ("a dad pushed me at the gate this morning", False),
        ("can a parent help out in class if they have a DBS", False),
    ],
)
def test_an_adult_harming_a_child_or_a_sign_of_harm_is_a_safeguarding_question(
    router: Router, text: str, safeguarding: bool
) -> None:
    """However it is worded, a message telling of a child harmed by an adult, or of a sign of harm,
    is answered with who to go to: the DSL."""
    routing = router.route(text, MONDAY)
    assert routing.safeguarding is safeguarding
    if safeguarding:
        assert any("DSL" in m.passage.text for m in routing.matches[:2])


def test_a_question_asked_alone_is_answered_when_the_rest_of_the_message_is_only_how_someone_feels(
    router: Router,
) -> None:
    """The whole message covers too little; its question, asked alone, is answered from a policy the whole
    message came near."""
    routing = router.route(
        "is it ok to do report checking at home for a day? end of term and i cant concentrate in school", MONDAY
    )
    assert routing.intent is Intent.POLICY
    assert routing.matches[0].passage.citation.document == "Working from Home Policy"


def test_a_question_asked_alone_may_be_answered_from_a_policy_whose_section_is_among_the_nearest(
    router: Router,
) -> None:
    """The whole message's nearest passages are three of one section of one policy: the nearest sections are
    counted, so the other policy's section, next after them, may answer the question asked alone."""
    routing = router.route("who do I contact about IT? ring me on 07700 900123, Sam Carter", MONDAY)
    assert routing.intent is Intent.POLICY
    assert "Issues with IT" in routing.matches[0].passage.text

