"""The schema of a case pack's YAML files (pack, infrastructure and parameters).

One pydantic model per file (:class:`PackMeta`, :class:`Infrastructure`,
:class:`ParametersFile`): the pack reader (:mod:`geolever.sources.packs`) validates each
file against it, and the case (:class:`geolever.world.case.Case`) holds the validated
objects. A bad file gives one line naming the file, its line, the field and the fix
(:func:`parse_pack_file`). ``facts.csv`` rows are :class:`geolever.core.facts.Fact`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from geolever.core.countries import normalise_country
from geolever.core.errors import GeoleverError, InvalidDataError
from geolever.core.inputs import load_yaml, schema_error

_STRICT = ConfigDict(extra="forbid", frozen=True)


class _ByKey(BaseModel):
    """A frozen model that can also be read by key (``meta["ge_world"]``), as its dict was."""

    def __getitem__(self, key: str) -> Any:
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)


def _country(value: str, what: str) -> str:
    """ISO3 code (or group) of ``value``; an unknown one is a validation error with its fix."""
    try:
        return normalise_country(str(value), field=what)
    except GeoleverError as err:  # the error's own fix (the nearest codes) travels with it
        raise PydanticCustomError("country_code", "{message}",
                                  {"message": err.message, "fix": err.fix or ""}) from None


#: An empty mapping in YAML (``parameters:`` with nothing under it) is None: read it as {}.
_NONE_IS_EMPTY = BeforeValidator(lambda raw: {} if raw is None else raw)


def _named(raw: Any) -> Any:
    """Give each parameter of a ``parameters`` mapping its key as its name."""
    if isinstance(raw, dict):
        return {k: {**v, "name": k} if isinstance(v, dict) else v for k, v in raw.items()}
    return raw


class ParameterSpec(BaseModel):
    """An uncertain parameter: a distribution with its unit and basis (assumption or sourced)."""

    model_config = _STRICT

    name: str = Field("", description="The parameter's name (its key in parameters.yaml)")
    description: str = Field(..., description="What the parameter is, in words")
    distribution: Literal["triangular", "uniform", "fixed"]
    low: float = Field(..., description="Lower bound, in ``unit``")
    high: float = Field(..., description="Upper bound, in ``unit``")
    mode: float | None = Field(None, description="Most likely value (triangular), in ``unit``")
    unit: str = Field(..., description="Unit symbol (share, USD/t, days, ...)")
    basis: Literal["assumption", "sourced"]
    rationale: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> ParameterSpec:
        mode = self.low if self.mode is None else self.mode
        if not self.low <= mode <= self.high:
            raise InvalidDataError(
                f"parameter {self.name}: need low <= mode <= high, got "
                f"{self.low}, {self.mode}, {self.high}",
                field=f"parameters.{self.name}",
                fix="order the bounds",
            )
        return self

    @property
    def central(self) -> float:
        """The mode (triangular), midpoint (uniform) or value (fixed)."""
        if self.mode is not None:
            return self.mode
        return (self.low + self.high) / 2


class ParametersFile(BaseModel):
    """``parameters.yaml``: uncertain parameters by name (a pack's override the generic ones)."""

    model_config = _STRICT

    parameters: Annotated[dict[str, ParameterSpec], BeforeValidator(_named), _NONE_IS_EMPTY] = (
        Field(default_factory=dict))


class GEWorld(_ByKey):
    """The regions and year of the world trade matrix of the GE model (``model: ge``)."""

    model_config = _STRICT

    year: int = Field(..., ge=1900, le=2100, description="Year of the trade totals")
    regions: list[str] = Field(..., min_length=1,
                               description="ISO3 codes or groups (EU27); ROW is added")


class PackMeta(_ByKey):
    """``pack.yaml``: what the case is (its pair, default year and title)."""

    model_config = _STRICT

    name: str = Field("", description="The pack's name (default: its folder's)")
    title: str = Field("", description="Title of the case's report")
    sender: str | None = Field(None, description="ISO3 code (or group) of the sender")
    target: str | None = Field(None, description="ISO3 code (or group) of the target")
    default_year: int | None = Field(None, ge=1900, le=2100,
                                     description="The case year when a scenario names none")
    description: str = ""
    ge_world: GEWorld | None = None
    basis: str = Field("", description="How the case was built (e.g. from the store alone)")

    @field_validator("sender", "target")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return None if value is None else _country(value, "code")


class EdgeSpec(BaseModel):
    """One link of a network (pipeline, rail or sea route, road, terminal) in its topology."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(..., description="Asset id; facts.csv keys its figures by it (entity)")
    name: str
    source: str = Field(..., alias="from", description="Node the link starts at")
    to: str = Field(..., description="Node the link ends at")
    mode: Literal["pipeline", "rail", "sea", "road", "port"]
    countries: tuple[str, ...] = Field(..., min_length=1,
                                       description="ISO3 codes crossed, in order")
    tariff_earners: tuple[str, ...] = Field((), description="Who earns its transit fees")
    length_km: float | None = Field(None, ge=0)
    cost_assumption: str | None = Field(None, description="Parameter of its cost (USD/t)")
    time_assumption: str | None = Field(None, description="Parameter of its transit time")
    volume_required: bool = Field(False, description="Its volume must be a sourced fact "
                                  "(a tracker gives capacity and status, not throughput)")
    gem_url: str | None = Field(None, description="Its Global Energy Monitor page")

    @field_validator("countries", "tariff_earners")
    @classmethod
    def _codes(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_country(v, "countries") for v in values)


class NetworkSpec(BaseModel):
    """A network of the case (e.g. the target's oil export routes) as a directed graph."""

    model_config = _STRICT

    title: str = ""
    commodity: str = ""
    origin: str = Field(..., description="Node the flow starts at")
    destination: str = Field(..., description="Node the flow goes to")
    origin_country: str = ""
    volume_indicator: str = Field("pipeline_throughput",
                                  description="Indicator of the volumes carried (facts.csv)")
    edges: tuple[EdgeSpec, ...] = Field(..., min_length=1)


class Infrastructure(BaseModel):
    """``infrastructure.yaml``: the case's networks by name."""

    model_config = _STRICT

    networks: Annotated[dict[str, NetworkSpec], _NONE_IS_EMPTY] = Field(default_factory=dict)

    def edges(self) -> list[tuple[str, EdgeSpec]]:
        """Every (network name, edge), networks sorted by name."""
        return [(n, e) for n in sorted(self.networks) for e in self.networks[n].edges]


#: One of the models of a pack file.
PackFile = TypeVar("PackFile", bound=BaseModel)


def parse_pack_file(model: type[PackFile], data: Any, origin: str,
                    root: yaml.Node | None = None) -> PackFile:
    """Validate one parsed YAML file of a pack against its ``model``.

    Parameters
    ----------
    model
        :class:`PackMeta`, :class:`Infrastructure` or :class:`ParametersFile`.
    data
        The parsed document (``None`` for an empty file: every field's default).
    origin
        The file as named in errors, e.g. ``russia-azerbaijan/pack.yaml``.
    root
        The YAML root node (for line numbers), if known.

    Raises
    ------
    InvalidDataError
        Naming ``origin``, the line, the field and the fix.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidDataError(f"{origin} must hold a mapping", field=origin,
                               fix="write 'key: value' lines (see geolever pack init)")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise schema_error(err, origin, root, field_first=True) from None
    except GeoleverError as err:  # a model's own check (e.g. the order of a parameter's bounds)
        raise type(err)(err.message, field=f"{origin}, {err.field}", fix=err.fix) from None


def read_pack_file(model: type[PackFile], text: str, origin: str) -> PackFile:
    """Parse the YAML ``text`` of a pack file (safely: :func:`load_yaml`) and validate it."""
    data, root = load_yaml(text, origin)
    return parse_pack_file(model, data, origin, root)
