"""Episode packs: a past use of a lever, with the figures before it and the outcome after.

An episode is a folder in the case-pack format (``pack.yaml``, ``facts.csv``,
``scenario.yaml``, optional ``parameters.yaml``) plus ``outcomes.csv``:

- ``facts.csv`` holds the pre-episode figures of the year before the measure (the target's
  exports of the goods to the sender and to the world, GDP ...). The assessment sees only
  these: outcomes are kept in a separate store so nothing after the base year can leak in.
- ``outcomes.csv`` (same columns) holds what happened: the target's exports of each good to
  the sender (``partner`` = sender) and to the world (``partner`` = WLD) in the outcome years,
  as ``exports`` (money) or ``exports_volume`` (tonnes), any period.
- ``pack.yaml`` names sender, target, the base year (``default_year``) and an ``episode``
  block: ``horizons`` (``{1y: YEAR, 3y: YEAR}``), the ``measures`` with their dates and
  sources, ``published_losses`` and what is ``not_scored`` and why.
- ``scenario.yaml`` holds the levers as announced, one good per lever.

Episodes shipped with geolever live under ``geolever/packs/episodes/``; a user's episode is
any folder with these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from geolever.core.countries import normalise_country
from geolever.core.errors import InvalidDataError, UnknownCodeError
from geolever.core.facts import Fact
from geolever.core.inputs import load_yaml, read_text
from geolever.core.pack_schema import (
    Infrastructure,
    PackMeta,
    ParametersFile,
    ParameterSpec,
    parse_pack_file,
    read_pack_file,
)
from geolever.scenario import Scenario, load_scenario
from geolever.sources.packs import read_facts_file
from geolever.store import FactStore
from geolever.world import Case

#: Files every episode folder must hold.
REQUIRED_FILES = ("pack.yaml", "facts.csv", "outcomes.csv", "scenario.yaml")
#: Horizons scored, in years after the measure.
HORIZONS = ("1y", "3y")


def episodes_root() -> Path:
    """Folder of the episodes shipped with geolever."""
    return Path(str(resources.files("geolever.packs").joinpath("episodes")))


def shipped_episodes() -> list[str]:
    """Names of the shipped episodes (sorted)."""
    root = episodes_root()
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and all((p / f).is_file() for f in REQUIRED_FILES))


def _yaml(path: Path) -> dict[str, Any]:
    data = load_yaml(read_text(path, path.name, field=str(path)), str(path))[0] or {}
    if not isinstance(data, dict):
        raise InvalidDataError(f"{path.name} must hold a mapping", field=str(path),
                               fix="write 'key: value' lines")
    return data


def _parameters(path: Path) -> dict[str, ParameterSpec]:
    if not path.is_file():
        return {}
    text = read_text(path, path.name, field=str(path))
    return read_pack_file(ParametersFile, text, str(path)).parameters


def default_parameters() -> dict[str, ParameterSpec]:
    """Return the prior parameters every episode starts from (``episodes/parameters.yaml``)."""
    return _parameters(episodes_root() / "parameters.yaml")


@dataclass(frozen=True)
class Episode:
    """One episode as read from its folder (validated)."""

    name: str
    folder: Path
    meta: dict[str, Any]  # pack.yaml: the case's fields and the ``episode`` block
    facts: tuple[Fact, ...]
    outcomes: tuple[Fact, ...]
    parameters: dict[str, ParameterSpec]
    scenario: Scenario
    case_meta: PackMeta  # pack.yaml without the episode block: what the case is

    @property
    def sender(self) -> str:
        """ISO3 code of the country that pulled the lever."""
        return normalise_country(str(self.meta["sender"]), field="sender")

    @property
    def target(self) -> str:
        """ISO3 code of the country it was pulled on."""
        return normalise_country(str(self.meta["target"]), field="target")

    @property
    def base_year(self) -> int:
        """The year before the measure: the year the assessment is run for."""
        return int(self.meta["default_year"])

    @property
    def info(self) -> dict[str, Any]:
        """The ``episode`` block of pack.yaml (horizons, measures, losses, what is not scored)."""
        block = self.meta.get("episode") or {}
        return block if isinstance(block, dict) else {}

    def horizon_years(self) -> dict[str, int]:
        """Outcome year of each horizon (``{"1y": 2007, "3y": 2009}``)."""
        return {h: int(y) for h, y in (self.info.get("horizons") or {}).items()}

    def case(self, store: FactStore, parameters: dict[str, ParameterSpec] | None = None) -> Case:
        """Return the assessment's case: the pre-episode facts loaded into ``store``.

        ``parameters`` replaces the episode's parameters (used by the calibration).
        """
        store.add_facts(self.facts, dataset=f"episode:{self.name}", kind="pack",
                        origin=str(self.folder / "facts.csv"))
        return Case(name=self.name, sender=self.sender, target=self.target,
                    year=self.base_year, store=store, meta=self.case_meta,
                    infrastructure=Infrastructure(),
                    parameters=dict(parameters if parameters is not None else self.parameters))

    def outcome_store(self) -> FactStore:
        """Return an in-memory store with the base-year facts and the outcomes."""
        store = FactStore(":memory:")
        store.add_facts(self.facts, dataset=f"episode:{self.name}", kind="pack")
        store.add_facts(self.outcomes, dataset=f"outcomes:{self.name}", kind="pack")
        return store


def read_episode(where: str | Path) -> Episode:
    """Read the episode named ``where`` (a shipped episode) or stored in folder ``where``.

    Raises
    ------
    UnknownCodeError
        When it is neither a shipped episode nor a folder.
    InvalidDataError
        Naming the file (line, column) of the first problem and the fix.
    """
    folder = Path(where)
    if not folder.is_dir():
        if str(where) not in shipped_episodes():
            raise UnknownCodeError(
                f"unknown episode {str(where)!r}", field="EPISODE",
                fix=f"give a folder with {', '.join(REQUIRED_FILES)}, or one of: "
                f"{', '.join(shipped_episodes())}")
        folder = episodes_root() / str(where)
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if missing:
        raise InvalidDataError(f"episode folder {folder} lacks {', '.join(missing)}",
                               field=str(folder),
                               fix="an episode holds pack.yaml, facts.csv, outcomes.csv and "
                               "scenario.yaml (see README, 'Backtest episodes')")
    meta = _yaml(folder / "pack.yaml")
    for key in ("sender", "target", "default_year"):
        if key not in meta:
            raise InvalidDataError(f"pack.yaml lacks {key!r}", field=f"{folder}/pack.yaml",
                                   fix=f"add '{key}:'")
    case_meta = parse_pack_file(PackMeta, {k: v for k, v in meta.items() if k != "episode"},
                                f"{folder}/pack.yaml")
    horizons = (meta.get("episode") or {}).get("horizons") or {}
    if not isinstance(horizons, dict) or not set(horizons) <= set(HORIZONS) or not horizons:
        raise InvalidDataError("episode.horizons must map 1y and/or 3y to outcome years",
                               field=f"{folder}/pack.yaml, episode.horizons",
                               fix="write e.g. 'horizons: {1y: 2007, 3y: 2009}'")
    late = {h: y for h, y in horizons.items() if int(y) <= int(meta["default_year"])}
    if late:
        raise InvalidDataError(
            f"outcome years {late} are not after the base year {meta['default_year']}",
            field=f"{folder}/pack.yaml, episode.horizons",
            fix="default_year is the year before the measure; horizons are later years")
    params = {**default_parameters(), **_parameters(folder / "parameters.yaml")}
    scenario = load_scenario(folder / "scenario.yaml")
    if int(scenario.year or 0) != int(meta["default_year"]):
        raise InvalidDataError(
            f"scenario year {scenario.year} differs from the base year {meta['default_year']}",
            field=f"{folder}/scenario.yaml, field year",
            fix="the scenario is assessed as of the year before the measure: use the "
            "pack's default_year")
    return Episode(
        name=str(meta.get("name") or folder.name), folder=folder, meta=meta,
        facts=tuple(read_facts_file(folder / "facts.csv")),
        outcomes=tuple(read_facts_file(folder / "outcomes.csv")),
        parameters=params, scenario=scenario, case_meta=case_meta)
