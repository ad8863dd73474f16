import json

import pytest

from scorer.evaluate import check_floors, update_floors

METRICS = {"topic": {"macro_f1": 0.91, "brier": 0.10, "n": 100}, "sourcing": {"f1": 0.80}}


@pytest.mark.parametrize("floors,failures", [
    ({"topic.macro_f1": 0.90}, 0),
    ({"topic.macro_f1": 0.95}, 1),
    ({"topic.brier": 0.05}, 1),  # brier is a ceiling
    ({"topic.brier": 0.20}, 0),
    ({"promotional.roc_auc": 0.9}, 1),  # not measured counts as a failure
])
def test_check_floors(tmp_path, floors, failures):
    f = tmp_path / "floors.json"
    f.write_text(json.dumps({"floors": floors}))
    assert len(check_floors(METRICS, f)) == failures


def test_ratchet_raises_and_refuses_silent_lowering(tmp_path):
    f = tmp_path / "floors.json"
    f.write_text(json.dumps({"floors": {"sourcing.f1": 0.7}, "margin": 0.01, "log": []}))
    spec = update_floors(METRICS, ["sourcing.f1"], f)
    assert spec["floors"]["sourcing.f1"] == 0.79
    with pytest.raises(ValueError, match="lower"):
        update_floors({"sourcing": {"f1": 0.5}}, ["sourcing.f1"], f)
    spec = update_floors({"sourcing": {"f1": 0.5}}, ["sourcing.f1"], f, allow_lower="new harder data")
    assert spec["floors"]["sourcing.f1"] == 0.49 and spec["log"][-1]["why"] == "new harder data"
    # within the margin above the floor: passes, and the floor stays (no silent loosening)
    spec = update_floors({"sourcing": {"f1": 0.495}}, ["sourcing.f1"], f, allow_lower="unused")
    assert spec["floors"]["sourcing.f1"] == 0.49 and spec["log"][-1]["why"] == "new harder data"


def test_shipped_floors_hold(shipped):
    """The evaluation gate itself (CI also runs `score eval --check`)."""
    from scorer.evaluate import default_floors_path, evaluate_model

    if not default_floors_path().exists():
        pytest.skip("no training/floors.json")
    assert check_floors(evaluate_model(shipped)) == []


def test_ratchet_treats_brier_as_a_ceiling(tmp_path):
    f = tmp_path / "floors.json"
    spec = update_floors({"topic": {"brier": 0.2}}, ["topic.brier"], f)
    assert spec["floors"]["topic.brier"] == 0.21
    spec = update_floors({"topic": {"brier": 0.1}}, ["topic.brier"], f)
    assert spec["floors"]["topic.brier"] == 0.11
    with pytest.raises(ValueError):
        update_floors({"topic": {"brier": 0.3}}, ["topic.brier"], f)
