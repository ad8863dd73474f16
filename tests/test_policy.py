import pytest

from scorer.policy import DROP_REASONS, KeepPolicy, KeepPolicyError


def record(promo=0.1, density=0.3, label="politics", language="fr", chars=1500, warnings=(), error=None):
    rec = {"id": "x", "language": language, "chars": chars, "topic": {"label": label, "scores": {}},
           "sourcing": {"density": density}, "promotional": {"score": promo}, "warnings": list(warnings)}
    if error is not None:
        rec["error"] = error
    return rec


@pytest.mark.parametrize("policy, rec, reasons", [
    (KeepPolicy(), record(), []),                                                     # no threshold: kept
    (KeepPolicy(max_promotional=0.5), record(promo=0.5), []),                         # at the limit: kept
    (KeepPolicy(max_promotional=0.5), record(promo=0.51), ["promotional_above_max"]),
    (KeepPolicy(min_sourcing=0.2), record(density=0.2), []),
    (KeepPolicy(min_sourcing=0.2), record(density=0.0), ["sourcing_below_min"]),
    (KeepPolicy(topics=("politics", "society")), record(label="society"), []),
    (KeepPolicy(topics="sports"), record(label="politics"), ["topic_not_allowed"]),  # one label as a str
    (KeepPolicy(languages=("fr",)), record(language="und"), ["language_not_allowed"]),
    (KeepPolicy(min_chars=2000), record(chars=1999), ["too_short"]),
    (KeepPolicy(max_promotional=0.2, min_sourcing=0.5, languages=("en",)),             # every failing check
     record(promo=0.9, density=0.1, language="fr"),
     ["language_not_allowed", "promotional_above_max", "sourcing_below_min"]),
    (KeepPolicy(), record(error="not UTF-8"), ["error"]),                             # never kept
    (KeepPolicy(min_chars=0), record(chars=0, warnings=["no_text"]), ["no_text"]),
])
def test_drop_reasons(policy, rec, reasons):
    assert policy.drop_reasons(rec) == reasons
    assert policy.keeps(rec) is (not reasons)
    assert set(reasons) <= set(DROP_REASONS)
    annotated = policy.annotate(rec)
    assert annotated["keep"] is (not reasons) and annotated["drop_reasons"] == reasons and "keep" not in rec


@pytest.mark.parametrize("kwargs, message", [
    ({"max_promotional": 1.5}, "max_promotional must be a number from 0 to 1"),
    ({"min_sourcing": -0.1}, "min_sourcing must be a number from 0 to 1"),
    ({"min_sourcing": "0.2"}, "min_sourcing must be a number from 0 to 1"),
    ({"min_chars": -1}, "min_chars must be a whole number"),
    ({"min_chars": 2.5}, "min_chars must be a whole number"),
    ({"topics": ("sports", "")}, "topics must be non-empty names"),
    ({"max_promotional": True}, "max_promotional must be a number from 0 to 1"),      # a bool is no threshold
    ({"max_promotional": float("nan")}, "max_promotional must be a number from 0 to 1"),
    ({"min_chars": True}, "min_chars must be a whole number"),
    ({"languages": ("french",)}, "languages must be language codes"),
])
def test_caller_mistakes_are_errors_that_say_what_to_do(kwargs, message):
    with pytest.raises(ValueError, match=message):
        KeepPolicy(**kwargs)


def test_active_and_unknown_topics():
    assert not KeepPolicy().active and KeepPolicy(min_chars=0).active and KeepPolicy(topics=("sports",)).active
    KeepPolicy(topics=("sports",)).check_topics(["sports", "politics"])
    with pytest.raises(ValueError, match="unknown topic 'sport': the model's topics are sports, politics"):
        KeepPolicy(topics=("sport",)).check_topics(["sports", "politics"])


def test_a_score_is_read_like_its_record(shipped):
    from .conftest import seed_files

    s = shipped.score(seed_files()[-1].read_text("utf-8"))
    policy = KeepPolicy(topics=("technology",), max_promotional=0.5, languages=("fr",))
    assert policy.keeps(s) and policy.drop_reasons(s) == policy.drop_reasons(s.to_dict()) == []
    assert KeepPolicy(topics=("sports",)).drop_reasons(s) == ["topic_not_allowed"]


def test_names_are_normalised_and_numbers_of_any_kind_accepted():
    import numpy as np

    policy = KeepPolicy(topics=(" politics",), languages=("FR", " en"), max_promotional=np.float32(0.5),
                        min_chars=np.int64(10))
    assert policy.topics == ("politics",) and policy.languages == ("fr", "en")
    assert policy.max_promotional == 0.5 and isinstance(policy.max_promotional, float)
    assert KeepPolicy(topics=None).topics == () and KeepPolicy(languages="und").languages == ("und",)


def test_a_missing_score_fails_its_threshold_and_other_objects_are_refused():
    rec = record()
    rec["promotional"] = {"score": None}
    del rec["sourcing"]
    assert KeepPolicy(max_promotional=0.5, min_sourcing=0.0).drop_reasons(rec) == [
        "promotional_above_max", "sourcing_below_min"]
    with pytest.raises(TypeError, match="reads an output record \\(dict\\) or a Score, not list"):
        KeepPolicy().drop_reasons([1, 2])


@pytest.mark.parametrize("code,ok", [("fr", True), ("und", True), ("ext", True), ("fra", False), ("eng", False)])
def test_language_codes_are_those_records_can_carry(code, ok):
    if ok:
        assert KeepPolicy(languages=(code,)).languages == (code,)
    else:
        with pytest.raises(KeepPolicyError):
            KeepPolicy(languages=(code,))
