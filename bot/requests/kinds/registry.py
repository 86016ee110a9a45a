"""Which module runs each `form:` named in school.yaml.

The bundled kinds are listed here by name. A school (or a test) may also name its own kind by the
Python module that holds it (`form: my_school.parking` with `KIND = ...` in it): nothing else in
Staffroom changes for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.requests.kinds import course_request, equipment_loan, leave_of_absence, wfh
from bot.requests.kinds.base import KindContext, RequestKind
from bot.school.config import LINE_MANAGER, RequestTypeConfig, SchoolConfig

if TYPE_CHECKING:
    from bot.school import School

BUNDLED: dict[str, RequestKind] = {
    kind.name: kind
    for kind in (wfh.KIND, equipment_loan.KIND, leave_of_absence.KIND, course_request.KIND)
}


class UnknownKind(LookupError):
    """A `form:` that names no bundled kind and no module holding one; the message says which."""


def kind_named(form: str) -> RequestKind:
    """The kind a request type's `form:` names."""
    if form in BUNDLED:
        return BUNDLED[form]
    known = ", ".join(sorted(BUNDLED))
    if "." not in form:
        raise UnknownKind(f"unknown form '{form}' (known forms: {known}, or a module holding KIND)")
    try:
        module = importlib.import_module(form)
    except ImportError as error:
        raise UnknownKind(f"form '{form}' names a module that can't be imported ({error})") from None
    kind = getattr(module, "KIND", None)
    if not isinstance(kind, RequestKind):
        raise UnknownKind(f"form '{form}': the module has no KIND that is a request kind")
    return kind


def approval_steps(school: School, request_type: RequestTypeConfig) -> tuple[str, ...]:
    """Who decides a request type, in order: as school.yaml says, else the kind's own chain."""
    return request_type.chain or kind_named(request_type.form).default_chain(school.config)


def check_request_types(config: SchoolConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems with the request types' forms and options: (location in school.yaml, message)."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for name, request_type in config.request_types.items():
        try:
            kind = kind_named(request_type.form)
        except UnknownKind as error:
            problems.append((("request_types", name, "form"), str(error)))
            continue
        for key, message in kind.check_options(request_type.options):
            problems.append((("request_types", name, "options", key), message))
        if request_type.agreement and kind.agreement_terms is None:
            problems.append((("request_types", name, "agreement"), f"a {request_type.form} request has no agreement"))
        problems.extend(_posts_nobody_holds(config, name, request_type))
    return problems


def _posts_nobody_holds(config: SchoolConfig, name: str,
                        request_type: RequestTypeConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """Posts the request type's chain and `tell_roles` name that `roles:` leaves empty: every such request
    would be refused ("the school has no cpd lead set up"), or its notice sent to nobody."""
    held = {role for role, email in config.roles.model_dump().items() if email}
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("request_types", name, "chain", index), step) for index, step in enumerate(request_type.chain)
        if step != LINE_MANAGER
    ]
    named += [(("request_types", name, "tell_roles", index), role)
              for index, role in enumerate(request_type.tell_roles)]
    return [(location, f"nobody holds the post '{post}': name them under roles, or take it out here")
            for location, post in named if str(post) not in held]


def context_for(school: School, type_name: str) -> tuple[RequestKind, KindContext] | None:
    """The kind running request type `type_name`, and where; None for a type the school doesn't have."""
    request_type = school.config.request_types.get(type_name)
    if request_type is None:
        return None
    return kind_named(request_type.form), KindContext(school, type_name, request_type)


def kinds_of(school: School) -> Iterator[tuple[RequestKind, KindContext]]:
    """Every request type of the school with its kind, in school.yaml's order."""
    for name in school.config.request_types:
        found = context_for(school, name)
        if found is not None:
            yield found


def chosen_details(school: School, type_name: str) -> frozenset[str]:
    """The detail keys of a request type that are choices, dates or yes/no rather than free text
    (what an erasure keeps); none for a type the school no longer has."""
    found = context_for(school, type_name)
    if found is None:
        return frozenset()
    kind, context = found
    fields = (*kind.fields(context), *kind.approval_fields(context))
    return frozenset(spec.name for spec in fields if spec.type not in ("text", "long_text"))
