"""The scenario schema and its YAML reader (errors name file, line and field)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from geolever.claims import ClaimSpec
from geolever.core.countries import normalise_country
from geolever.core.errors import GeoleverError, ScenarioError
from geolever.core.inputs import (
    MAX_SCENARIO_BYTES,
    load_yaml,
    non_finite_path,
    read_text,
    schema_error,
    yaml_line,
)
from geolever.levers import Lever, kind_names, lever_ids, lever_kinds

MAX_LEVERS = 20
MAX_DRAWS = 100_000
MAX_CLAIMS = 50


class Scenario(BaseModel):
    """A fully specified run: case, sender, target, year, levers, claims and Monte Carlo."""

    model_config = ConfigDict(extra="forbid")

    case: str | None = Field(None, description="Case pack name; default: the shipped pack of "
                             "the pair if there is one, else the store's datasets")
    sender: str = Field(..., description="ISO3 code of the country pulling the levers, a "
                        "group (EU27, G7) or a list of ISO3 codes")
    target: str = Field(..., description="ISO3 code of the country they act on (or a group)")
    year: int | None = Field(None, ge=1990, le=2100, description="Year; default: the pack's")
    allow_earlier_year: bool = Field(
        False, description="Where a value for the year is missing, use the latest earlier "
        "year (flagged in every output)")
    title: str | None = None
    seed: int = Field(0, ge=0, description="Monte Carlo seed")
    draws: int = Field(2000, ge=100, le=MAX_DRAWS, description="Monte Carlo draws")
    levers: list[Lever] = Field(..., min_length=1, max_length=MAX_LEVERS)
    directions: Literal["one", "both"] = Field(
        "one", description="'both': also assess the target's counter-levers on the sender "
        "(counter_levers) and the balance between the two sides")
    counter_levers: list[Lever] = Field(
        default_factory=list, max_length=MAX_LEVERS,
        description="Levers the target pulls on the sender (with directions: both); default: "
        "the standard levers every pair's datasets can assess")
    claims: list[ClaimSpec] = Field(default_factory=list, max_length=MAX_CLAIMS)

    @model_validator(mode="before")
    @classmethod
    def _finite(cls, data: Any) -> Any:
        bad = non_finite_path(data)  # JSON bodies may carry NaN/Infinity literals
        if bad is not None:
            raise ValueError(f"{bad}: NaN or infinity is not a number a scenario can use; "
                             "give a finite number")
        return data

    @field_validator("sender", "target", mode="before")
    @classmethod
    def _iso3(cls, v: object) -> str:
        if isinstance(v, list):  # a coalition given as its members
            v = "+".join(str(x) for x in v)
        if not isinstance(v, str):
            raise ValueError("give an ISO3 code, a group (EU27, G7) or a list of ISO3 codes")
        try:
            return normalise_country(v)
        except GeoleverError as err:  # ValueError so pydantic adds the location
            raise ValueError(f"{err.message} ({err.fix})") from None

    @field_validator("target")
    @classmethod
    def _not_sender(cls, v: str, info: ValidationInfo) -> str:
        if v == info.data.get("sender"):
            raise ValueError(f"target {v} is also the sender; a lever acts between two "
                             "countries (give another target)")
        return v

    @field_validator("levers", "counter_levers")
    @classmethod
    def _lever_ids(cls, levers: list[Lever]) -> list[Lever]:
        # the ids reports use (assessment numbers repeated kinds: kind, kind_2, ...)
        ids = lever_ids(levers)
        for i, lever_id in enumerate(ids):
            if lever_id in ids[:i]:
                raise ValueError(f"levers[{i}].id {lever_id!r} is also the id of "
                                 f"levers[{ids.index(lever_id)}]; give each lever its own id")
        for i, lever in enumerate(levers):
            alt = lever.alternative_to
            if alt is not None and (alt not in ids or alt == ids[i]):
                raise ValueError(f"levers[{i}].alternative_to {alt!r} names no other lever "
                                 f"(ids: {', '.join(ids)})")
        return levers


def parse_scenario(data: Any, *, origin: str = "scenario", root: yaml.Node | None = None,
                   ) -> Scenario:
    """Validate a scenario mapping (from YAML or a JSON body) into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        Naming the origin (file and line when known), the field and the fix.
    """
    if not isinstance(data, dict):
        raise ScenarioError("a scenario must be a mapping of fields", field=origin,
                            fix="start with 'sender:', 'target:' and 'levers:'")
    bad = non_finite_path(data)  # NaN/inf are never valid input (issue 14)
    if bad is not None:
        line = yaml_line(root, tuple(int(p) if p.isdecimal() else p
                                    for p in bad.replace("[", ".").replace("]", "").split(".")))
        where = f"{origin}, line {line}" if line else origin
        raise ScenarioError("NaN or infinity is not a number a scenario can use",
                            field=f"{where}, field {bad}", fix="give a finite number")
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise schema_error(err, origin, root, skip=lever_kinds(), error=ScenarioError,
                           fixes={"union_tag_invalid": f"kind must be one of {kind_names()}"},
                           ) from None


def load_scenario(path: Path) -> Scenario:
    """Read and validate a YAML scenario file."""
    # size checked before reading, UTF-8 and YAML depth/aliases checked before parsing
    text = read_text(path, "YAML scenario", field="SCENARIO", max_bytes=MAX_SCENARIO_BYTES)
    data, root = load_yaml(text, str(path))
    return parse_scenario(data, origin=str(path), root=root)
