"""The scenario schema and its YAML reader (errors name file, line and field)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from geolever.claims import ClaimSpec
from geolever.core.countries import normalise_country
from geolever.core.errors import GeoleverError, ScenarioError
from geolever.levers import Lever, kind_names, lever_kinds

MAX_LEVERS = 20
MAX_DRAWS = 100_000
MAX_CLAIMS = 50


class Scenario(BaseModel):
    """A fully specified run: case, sender, target, year, levers, claims and Monte Carlo."""

    model_config = ConfigDict(extra="forbid")

    case: str = Field("russia-azerbaijan", description="Case pack name")
    sender: str = Field(..., description="ISO3 code of the country pulling the levers")
    target: str = Field(..., description="ISO3 code of the country they act on")
    year: int | None = Field(None, ge=1990, le=2100, description="Year; default: the pack's")
    title: str | None = None
    seed: int = Field(0, ge=0, description="Monte Carlo seed")
    draws: int = Field(2000, ge=100, le=MAX_DRAWS, description="Monte Carlo draws")
    levers: list[Lever] = Field(..., min_length=1, max_length=MAX_LEVERS)
    claims: list[ClaimSpec] = Field(default_factory=list, max_length=MAX_CLAIMS)

    @field_validator("sender", "target")
    @classmethod
    def _iso3(cls, v: str) -> str:
        try:
            return normalise_country(v)
        except GeoleverError as err:  # ValueError so pydantic adds the location
            raise ValueError(f"{err.message} ({err.fix})") from None


def _line_of(node: yaml.Node | None, path: tuple[int | str, ...]) -> int | None:
    """Line (1-based) of the YAML node at ``path`` (the deepest one found)."""
    line = None if node is None else node.start_mark.line + 1
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
            node = match[0] if match else None
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in lever_kinds():
            continue  # the discriminator's tag, not a field
        else:
            out += f".{part}" if out else str(part)
    return out


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
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        loc = tuple(p for p in first["loc"] if p not in lever_kinds())
        line = _line_of(root, loc)
        where = f"{origin}, line {line}" if line else origin
        msg = first["msg"].removeprefix("Value error, ")
        fix = {
            "missing": "add this field",
            "extra_forbidden": "remove it or check its spelling",
            "union_tag_invalid": f"kind must be one of {kind_names()}",
        }.get(first["type"], "correct the value as described")
        extra = f" ({len(err.errors()) - 1} more problem(s) after this one)" if len(
            err.errors()) > 1 else ""
        raise ScenarioError(msg + extra, field=f"{where}, field {_field_path(loc)}",
                            fix=fix) from None


def load_scenario(path: Path) -> Scenario:
    """Read and validate a YAML scenario file."""
    if not path.is_file():
        raise ScenarioError(f"no such file {path}", field="SCENARIO",
                            fix="give the path of a YAML scenario, e.g. "
                            "examples/russia-azerbaijan.yaml")
    text = path.read_text("utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        raise ScenarioError(f"malformed YAML: {getattr(err, 'problem', err)}", field=where,
                            fix="check indentation, colons and quotes at that line") from None
    return parse_scenario(data, origin=str(path), root=root)
