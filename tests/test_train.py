import json

import pytest

from scorer.model import Scorer
from scorer.train import TrainingDataError, build_datasets, compare, load_rows, split_of, train

from .conftest import TINY_PARAMS


def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    "utf-8")
    return path


BAD_ROWS = [
    ('{"id": "a", "text": "x", "topic": "nope"}', "unknown topic label 'nope'"),
    ('{"id": "a", "text": "", "topic": "sports"}', "empty text"),
    ('{"text": "du texte", "topic": "sports"}', "missing field 'id'"),
    ('{"id": "a", "topic": "sports"}', "missing field 'text'"),
    ('{"id": "a", "text": "du texte"}', "no label"),
    ('{"id": "a", "text": "t", "promotional": 2}', "promotional must be"),
    ('{"id": "a", "sourcing_sentences": [{"text": "s"}]}', "attributed must be"),
    ('{"id": "a", "lines": [{"text": "l", "label": "menu"}]}', "label must be one of"),
    ("not json", "not valid JSON"),
]


@pytest.mark.parametrize("line,message", BAD_ROWS)
def test_invalid_rows_are_reported_with_file_and_line(tmp_path, line, message):
    f = _write(tmp_path / "d.jsonl", ['{"id": "ok", "text": "bien", "topic": "sports"}', line])
    with pytest.raises(TrainingDataError) as exc:
        load_rows([f], topic_labels={"sports", "politics"})
    assert f"{f}:2: " in str(exc.value) and message in str(exc.value)


def test_duplicate_id_names_both_places(tmp_path):
    f = _write(tmp_path / "d.jsonl", [{"id": "x", "text": "a", "topic": "sports"},
                                      {"id": "x", "text": "b", "topic": "sports"}])
    with pytest.raises(TrainingDataError, match=r"d.jsonl:2: duplicate id 'x' \(first at .*d.jsonl:1\)"):
        load_rows([f])


def test_split_is_stable_and_about_one_fifth():
    ids = [f"doc-{i}" for i in range(5000)]
    first = [split_of(i) for i in ids]
    assert first == [split_of(i) for i in ids]
    assert 0.17 < first.count("test") / len(ids) < 0.23


def test_adding_rows_does_not_reshuffle(tmp_path):
    rows = [{"id": f"r{i}", "text": f"texte {i}", "topic": "sports" if i % 2 else "politics"} for i in range(50)]
    a = build_datasets(load_rows([_write(tmp_path / "a.jsonl", rows)]))["topic"]
    b = build_datasets(load_rows([_write(tmp_path / "b.jsonl", rows + [
        {"id": "new", "text": "nouveau", "topic": "sports"}])]))["topic"]
    before = dict(zip(a.ids, a.split))
    assert all(before[i] == s for i, s in zip(b.ids, b.split) if i in before)


def test_group_keeps_translations_together(tmp_path):
    rows = [{"id": f"{lang}-{i}", "group": f"g{i}", "text": "t", "topic": "sports", "lang": lang}
            for i in range(40) for lang in ("fr", "en")]
    d = build_datasets(load_rows([_write(tmp_path / "g.jsonl", rows)]))["topic"]
    split = dict(zip(d.ids, d.split))
    assert all(split[f"fr-{i}"] == split[f"en-{i}"] for i in range(40))


def test_compare_flags_regressions_and_flips():
    new = {"topic": {"macro_f1": 0.80, "_predictions": {"a": "x", "b": "y"}}}
    old = {"topic": {"macro_f1": 0.85, "_predictions": {"a": "x", "b": "z"}}}
    c = compare(new, old, tolerance=0.02)
    assert c["deltas"]["topic.macro_f1"] == -0.05
    assert c["regressions"] and c["flip_share"]["topic"] == 0.5


def test_retrain_same_data_same_seed_same_predictions(tiny_data, tiny_model, tmp_path):
    r = train([tiny_data], only=True, out=tmp_path / "again", compare_with=None, params=TINY_PARAMS)
    seeds = ["Le gouvernement a annoncé un plan. « Il faut agir », a déclaré le ministre.",
             "Achetez maintenant ! Offre exceptionnelle, livraison gratuite."]
    assert [r.scorer.score(s).to_dict() | {"model": ""} for s in seeds] == \
           [tiny_model.score(s).to_dict() | {"model": ""} for s in seeds]


def test_model_name_follows_data_and_settings():
    """Same data and settings, same name; another seed or another setting, another name."""
    from scorer.train import HEAD_PARAMS, settings_hash

    base = settings_hash(HEAD_PARAMS, 0)
    assert settings_hash(dict(HEAD_PARAMS), 0) == base
    assert settings_hash(HEAD_PARAMS, 1) != base
    changed = {**HEAD_PARAMS, "sourcing": {**HEAD_PARAMS["sourcing"], "quote_state": False}}
    assert settings_hash(changed, 0) != base


def test_model_name_follows_the_feature_code(monkeypatch):
    """A retrain after the cue code changed (new source-name rules) gets another name."""
    import scorer.train as T

    base, code = T.settings_hash(T.HEAD_PARAMS, 0), T.feature_code_hash()
    assert len(code) == 64 and T.feature_code_hash() == code  # stable between calls
    monkeypatch.setattr(T, "feature_code_hash", lambda: "0" * 64)
    assert T.settings_hash(T.HEAD_PARAMS, 0) != base


def test_trained_model_name_carries_both_hashes(tiny_model):
    import re

    assert re.fullmatch(r"scorer-[\w.]+\+[0-9a-f]{8}\.[0-9a-f]{4}", tiny_model.name)


def test_damaging_retrain_is_refused_unless_forced(tiny_data, tiny_model, tmp_path):
    # Mislabelled copies of the training rows (ids that fall in the train split): the new model
    # learns the wrong topics and is worse on the unchanged test split.
    rows = [json.loads(line) for line in tiny_data.read_text("utf-8").splitlines()]
    labels = sorted({r["topic"] for r in rows if "topic" in r})
    noise = []
    for r in rows:
        if "topic" in r:
            for k in range(50):
                ident = f"{r['id']}-noise-{k}"
                if split_of(ident) == "train":
                    break
            wrong = labels[(labels.index(r["topic"]) + 1) % len(labels)]
            for copy in range(3):
                noise.append({"id": f"{ident}-{copy}", "group": ident, "text": r["text"], "topic": wrong})
    bad = _write(tmp_path / "bad.jsonl", rows + noise)
    res = train([bad], only=True, out=tmp_path / "out", compare_with=tiny_model.path, params=TINY_PARAMS)
    assert not res.promoted and "refused" in res.message and "topic.macro_f1" in res.message
    assert not (tmp_path / "out" / "manifest.json").exists()
    forced = train([bad], only=True, out=tmp_path / "out", compare_with=tiny_model.path,
                   params=TINY_PARAMS, force=True)
    assert forced.promoted and (tmp_path / "out" / "manifest.json").exists()


def test_own_topic_label_set_with_only(tiny_data, tmp_path):
    rows = [json.loads(line) for line in tiny_data.read_text("utf-8").splitlines()]
    for r in rows:
        if "topic" in r:
            r["topic"] = "sport" if r["topic"] == "sports" else "autre"
    f = _write(tmp_path / "own.jsonl", rows)
    res = train([f], only=True, out=tmp_path / "own", compare_with=None, params=TINY_PARAMS)
    assert res.scorer.topic_labels == ["autre", "sport"]


def test_only_with_some_heads_keeps_the_others_from_the_current_model(tiny_data, tiny_model, tmp_path):
    # rows that label topics only: promotional, sourcing and lines come from the current model
    rows = [json.loads(line) for line in tiny_data.read_text("utf-8").splitlines()]
    topic_rows = [{"id": r["id"], "text": r["text"], "topic": r["topic"]} for r in rows if "topic" in r]
    f = _write(tmp_path / "topics.jsonl", topic_rows)
    res = train([f], only=True, out=tmp_path / "m", compare_with=tiny_model.path, params=TINY_PARAMS,
                force=True)
    assert res.promoted
    assert res.scorer.manifest["inherited"] == {h: tiny_model.name for h in ("lines", "promotional", "sourcing")}
    text = "Selon le ministre, le projet avance. Achetez maintenant, offre exceptionnelle !"
    loaded = Scorer.load(tmp_path / "m")
    assert loaded.score(text).promotional == tiny_model.score(text).promotional
    assert loaded.score(text).sourcing == tiny_model.score(text).sourcing


def test_a_head_with_no_test_example_is_not_saved_over_a_checked_one(tiny_data, tiny_model, tmp_path):
    # topic rows, plus one sourcing row whose id falls in the train split: the new sourcing
    # head cannot be evaluated, so it must not replace the current model's unchecked
    rows = [json.loads(line) for line in tiny_data.read_text("utf-8").splitlines()]
    topic_rows = [{"id": r["id"], "text": r["text"], "topic": r["topic"]} for r in rows if "topic" in r]
    ident = next(f"one-sourcing-row-{k}" for k in range(100) if split_of(f"one-sourcing-row-{k}") == "train")
    sourcing_row = {"id": ident, "lang": "fr", "sourcing_sentences": [
        {"text": "Le ministre a déclaré que le projet avançait.", "attributed": 1},
        {"text": "Il fait beau.", "attributed": 0}]}
    f = _write(tmp_path / "mine.jsonl", topic_rows + [sourcing_row])
    res = train([f], only=True, out=tmp_path / "m", compare_with=tiny_model.path, params=TINY_PARAMS)
    assert not res.promoted and "sourcing (2 training examples) has no example in the test split" in res.message
    assert not (tmp_path / "m" / "manifest.json").exists()
    forced = train([f], only=True, out=tmp_path / "m", compare_with=tiny_model.path, params=TINY_PARAMS,
                   force=True)
    assert forced.promoted


def test_only_with_some_heads_and_no_model_to_inherit_from_is_an_error(tiny_data, tmp_path):
    rows = [json.loads(line) for line in tiny_data.read_text("utf-8").splitlines()]
    f = _write(tmp_path / "topics.jsonl", [{"id": r["id"], "text": r["text"], "topic": r["topic"]}
                                           for r in rows if "topic" in r])
    with pytest.raises(TrainingDataError, match="no row labels this head and there is no current model"):
        train([f], only=True, out=tmp_path / "m", compare_with=None, params=TINY_PARAMS)


def test_own_topic_labels_do_not_replace_the_default_model_unless_forced(tiny_data, tiny_model, tmp_path,
                                                                         monkeypatch):
    import scorer.model

    monkeypatch.setattr(scorer.model, "default_model_dir", lambda: tmp_path / "default")
    rows = [json.loads(line) for line in tiny_data.read_text("utf-8").splitlines()]
    for r in rows:
        if "topic" in r:
            r["topic"] = "sport" if r["topic"] == "sports" else "autre"
    f = _write(tmp_path / "own.jsonl", rows)
    res = train([f], only=True, compare_with=tiny_model.path, params=TINY_PARAMS)
    assert not res.promoted and "topic labels differ" in res.message and "--out" in res.message
    assert not (tmp_path / "default").exists()
    # the heads with the same labels are still compared
    assert "promotional.roc_auc" in res.comparison["deltas"] and "topic.macro_f1" not in res.comparison["deltas"]
    res = train([f], only=True, out=tmp_path / "own", compare_with=tiny_model.path, params=TINY_PARAMS, force=True)
    assert res.promoted and res.message.startswith("saved to ")


def test_compare_with_a_missing_model_is_an_error(tiny_data, tmp_path):
    with pytest.raises(TrainingDataError, match="--compare-with .*nowhere"):
        train([tiny_data], only=True, out=tmp_path / "m", compare_with=tmp_path / "nowhere", params=TINY_PARAMS)


@pytest.mark.parametrize("weight", ["NaN", "Infinity", "true", "0"])
def test_weight_must_be_a_finite_positive_number(tmp_path, weight):
    f = _write(tmp_path / "d.jsonl", ['{"id": "a", "text": "bien", "topic": "sports", "weight": ' + weight + '}'])
    with pytest.raises(TrainingDataError, match=r"d.jsonl:1: weight must be a positive number"):
        load_rows([f])


def test_gzipped_training_data(tiny_data, tmp_path):
    import gzip

    gz = tmp_path / "d.jsonl.gz"
    gz.write_bytes(gzip.compress(tiny_data.read_bytes()))
    assert [r.data for r in load_rows([gz])] == [r.data for r in load_rows([tiny_data])]
    gz.write_bytes(gzip.compress(tiny_data.read_bytes())[:-30])  # cut short
    with pytest.raises(TrainingDataError, match="d.jsonl.gz:.*cannot read"):
        load_rows([gz])


def test_unknown_head_in_params_is_an_error(tiny_data, tmp_path):
    with pytest.raises(ValueError, match="unknown head"):
        train([tiny_data], only=True, out=tmp_path / "m", params={"nohead": {}})


def test_training_reports_its_progress_on_the_scorer_train_logger(tiny_data, tmp_path, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="scorer.train"):
        train([tiny_data], only=True, out=tmp_path / "m", compare_with=None, params=TINY_PARAMS)
    messages = [r.getMessage() for r in caplog.records if r.name == "scorer.train"]
    assert any(m.startswith("topic: fitting on") for m in messages)
    assert any(m.startswith("lines: fitting on") for m in messages) and "evaluating on the test split" in messages
