"""training/agreement.py: the blind second reading matches the shipped data it was made on."""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOPICS = {"business", "entertainment", "health", "politics", "sports", "technology"}


def _agreement():
    spec = importlib.util.spec_from_file_location("agreement", ROOT / "training" / "agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(name):
    return [json.loads(line) for line in (ROOT / "training" / "labels" / name).read_text(encoding="utf-8").splitlines()]


def test_reading_files_are_well_formed():
    topic = _rows("agreement_topic.jsonl")
    assert len({r["id"] for r in topic}) == len(topic) == 170
    assert all(r["label"] in TOPICS and r["second"] in TOPICS | {None} for r in topic)
    sourcing = _rows("agreement_sourcing.jsonl")
    assert len({r["id"] for r in sourcing}) == len(sourcing) == 21
    for r in sourcing:
        assert set(r["labels"]) <= {0, 1} and len(r["labels"]) == len(r["sources"])
        # an attributed sentence names its source(s); the others none
        assert all(bool(src) == bool(lab) for lab, src in zip(r["labels"], r["sources"]))


def test_agreement_runs_on_the_shipped_model_and_data(shipped):
    agreement = _agreement()
    from scorer.train import build_datasets, load_rows, shipped_data_files

    datasets = build_datasets(load_rows(shipped_data_files()))
    topic = agreement.topic_agreement(shipped, datasets)
    sourcing = agreement.sourcing_agreement(shipped, datasets)
    # every read item is found in the test split (the counts the reading was made on)
    assert (topic["fr"]["n"], topic["en"]["n"]) == (90, 80)
    assert (sourcing["fr"]["n"], sourcing["en"]["n"]) == (350, 346)
    for block in (*topic.values(), *sourcing.values()):
        assert all(0.0 <= v <= 1.0 for k, v in block.items() if not k.startswith(("n", "attributed")))
    # the reader agrees with the sourcing labels far above the model's level: the labels hold
    assert sourcing["fr"]["reader_vs_labels_f1"] > 0.9 and sourcing["en"]["reader_vs_labels_f1"] > 0.9


@pytest.mark.parametrize("label,expected", [("entertainment", "culture"), ("politics", "politics"), (None, None)])
def test_dataset_labels_map_to_the_models(label, expected):
    assert _agreement()._topic(label) == expected
