"""The evaluation gate: metrics of a model on the fixed test split, and pinned floors.

``training/floors.json`` maps dotted metric names to floors::

    {"floors": {"topic.macro_f1_fr": 0.9, ...}, "margin": 0.01, "log": [...]}

``check_floors`` lists every metric below its floor. ``update_floors`` is the ratchet: it
raises floors to (measured - margin) and never lowers one unless ``allow_lower`` is given
with a reason, which is written into the log.
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["evaluate_model", "check_floors", "update_floors", "default_floors_path", "flatten"]

LOWER_IS_BETTER = {"brier"}  # pinned as ceilings
FLOOR_MARGIN = 0.01  # floors sit this far below the measured value: the run-to-run noise of a retrain


def default_floors_path() -> Path:
    from .train import repo_path

    return repo_path("training", "floors.json")


def evaluate_model(scorer, data: list[str | os.PathLike[str]] | None = None, *,
                   all_rows: bool = False) -> dict[str, Any]:
    """Metrics of ``scorer`` on the test split of ``data`` (default: the shipped data)."""
    from .train import build_datasets, evaluate, load_rows, shipped_data_files

    files = data or shipped_data_files()
    if not files:
        raise ValueError("no evaluation data: the shipped test data (training/data) comes with the "
                         "source repository, not the wheel; pass --data FILE or run from a clone")
    rows = load_rows(files)
    datasets = build_datasets(rows)
    if all_rows:
        for d in datasets.values():
            d.split = ["test"] * len(d.split)
    metrics = evaluate(scorer.heads, datasets, details=True)
    return {h: {k: v for k, v in m.items() if not k.startswith("_")} for h, m in metrics.items()}


def flatten(metrics: dict[str, Any]) -> dict[str, float]:
    out = {}
    for head, m in metrics.items():
        for k, v in m.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and not k.startswith("n"):
                out[f"{head}.{k}"] = float(v)
    return out


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"floors": {}, "margin": FLOOR_MARGIN, "log": []}
    return json.loads(path.read_text("utf-8"))


def check_floors(metrics: dict[str, Any], floors_path: str | os.PathLike[str] | None = None) -> list[str]:
    """Every pinned metric that is missing or below its floor, as readable lines."""
    path = Path(floors_path) if floors_path else default_floors_path()
    if not path.is_file():
        return [f"{path}: no floors file (nothing to check against)"]
    spec = _read(path)
    flat = flatten(metrics)
    lower_is_better = LOWER_IS_BETTER
    failures = []
    for key, floor in sorted(spec.get("floors", {}).items()):
        value = flat.get(key)
        if value is None:
            failures.append(f"{key}: not measured (floor {floor})")
        elif key.split(".")[-1] in lower_is_better:
            if value > floor:
                failures.append(f"{key} = {value:.4f} > ceiling {floor:.4f}")
        elif value < floor:
            failures.append(f"{key} = {value:.4f} < floor {floor:.4f}")
    return failures


def update_floors(metrics: dict[str, Any], keys: list[str], floors_path: str | os.PathLike[str] | None = None,
                  *, allow_lower: str | None = None) -> dict[str, Any]:
    """Raise the floors of ``keys`` to measured - margin (never loosen one the model still passes);
    a floor the model fails is lowered only with ``allow_lower`` (a reason, logged)."""
    path = Path(floors_path) if floors_path else default_floors_path()
    spec = _read(path)
    margin = float(spec.get("margin", FLOOR_MARGIN))
    flat = flatten(metrics)
    floors = spec.setdefault("floors", {})
    log = spec.setdefault("log", [])
    today = _dt.date.today().isoformat()
    for key in keys:
        if key not in flat:
            raise KeyError(f"{key}: not a measured metric ({', '.join(sorted(flat))})")
        ceiling = key.split(".")[-1] in LOWER_IS_BETTER
        new = round(flat[key] + margin, 3) if ceiling else round(flat[key] - margin, 3)
        old = floors.get(key)
        tighter = old is None or (new < old if ceiling else new > old)
        # below the floor (the check fails): only an explicit reason lowers it; within the
        # margin above it: the floor stays where it is (a ratchet never loosens on its own)
        failing = old is not None and (flat[key] > old if ceiling else flat[key] < old)
        if tighter:
            floors[key] = new
            log.append({"date": today, "metric": key, "from": old, "to": new, "why": "ratchet"})
        elif failing:
            if not allow_lower:
                raise ValueError(f"{key}: measured {flat[key]:.4f} is past the floor {old}; lowering it to "
                                 f"{new} needs a reason (--allow-lower REASON)")
            floors[key] = new
            log.append({"date": today, "metric": key, "from": old, "to": new, "why": allow_lower})
    path.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return spec
