import copy
import json
import shutil

import pytest

from scorer.evidence import EVIDENCE_SCORE
from scorer.model import ModelError, Scorer, load_model

from .conftest import seed_files

RECORD_KEYS = {"id", "path", "input", "language", "title", "chars", "lines_removed", "topic",
               "sourcing", "promotional", "warnings", "model"}


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.name)
def test_seeds_are_technology_in_french(shipped, path):
    s = shipped.score(path.read_text("utf-8"), id=path.stem, path=str(path))
    rec = s.to_dict()
    assert set(rec) == RECORD_KEYS
    assert rec["topic"]["label"] == "technology"
    assert rec["language"] == "fr"
    assert abs(sum(rec["topic"]["scores"].values()) - 1) < 1e-4
    assert 0 <= rec["sourcing"]["density"] <= 1 and 0 <= rec["promotional"]["score"] <= 1
    json.dumps(rec)  # serialisable


def test_sourcing_finds_named_sources(shipped):
    raw = next(p for p in seed_files() if p.name.startswith("001")).read_text("utf-8")
    src = shipped.score(raw).sourcing
    assert src["attributed_sentences"] >= 5
    names = " ".join(src["sources"])
    assert "Andrew Ng" in names and "Yann LeCun" in names


def test_a_quotation_set_off_after_its_intro_counts_with_its_speaker(shipped):
    """Seed 004 quotes Clément Delangue in a paragraph of its own after "D'après …, PDG de Hugging
    Face :", then credits him on the next line: the quoted sentences and the credit count."""
    raw = next(p for p in seed_files() if p.name.startswith("004")).read_text("utf-8")
    attributed = shipped.score(raw, explain=True).explain()["sourcing"]["attributed"]
    block = [a for a in attributed if a.get("rule") == "quote_block"]
    assert any(a["sentence"] == "Clément Delangue, sur Twitter" for a in block)
    assert any(a["sentence"].startswith("En quelques jours seulement") for a in block)
    # and Dean Ball's quotation further down, credited "Dean Ball, chercheur IA"
    assert {tuple(a["sources"]) for a in block} == {("Clément Delangue",), ("le chercheur Dean Ball",)}


def test_explain_lists_why(shipped):
    raw = next(p for p in seed_files() if p.name.startswith("001")).read_text("utf-8")
    s = shipped.score(raw, explain=True)
    ex = s.explain()
    assert ex["topic"]["ngrams"] and all(n["weight"] > 0 for n in ex["topic"]["ngrams"])
    assert ex["sourcing"]["attributed"] and ex["sourcing"]["attributed"][0]["sentence"]
    assert "explain" in s.to_dict()
    with pytest.raises(ValueError):
        shipped.score(raw).explain()


@pytest.mark.parametrize("text, promotional", [
    ("Achetez maintenant notre crème révolutionnaire ! Offre exceptionnelle, livraison gratuite, "
     "profitez-en vite : le meilleur prix garanti, cliquez ici pour commander.", True),
    ("Le gouvernement a annoncé mardi un plan de relance, a déclaré le ministre de l'Économie, "
     "selon un communiqué publié à Paris. Les syndicats ont réagi avec prudence.", False),
])
def test_promotional_cues_both_ways(shipped, text, promotional):
    """`cues` raised the score, `neutral_cues` lowered it; the side that won has cues."""
    p = shipped.score(text).promotional
    assert (p["score"] >= 0.5) is promotional
    assert p["cues"] if promotional else p["neutral_cues"]
    assert not set(p["cues"]) & set(p["neutral_cues"])


def test_no_text_is_data_not_an_exception(shipped):
    rec = shipped.score("   ").to_dict()
    assert "no_text" in rec["warnings"] and rec["topic"]["label"] is None
    assert abs(sum(rec["topic"]["scores"].values()) - 1) < 1e-4


def test_bytes_are_a_caller_mistake(shipped):
    with pytest.raises(TypeError, match="decode"):
        shipped.score(b"bytes")


def test_tiny_model_roundtrip_identical_predictions(tiny_model, tmp_path):
    docs = [p.read_text("utf-8") for p in seed_files()]
    before = [tiny_model.score(d).to_dict() for d in docs]
    out = copy.copy(tiny_model).save(tmp_path / "copy")
    again = Scorer.load(out)
    assert [again.score(d).to_dict() for d in docs] == before


def test_manifest_has_receipt(shipped):
    m = shipped.manifest
    for key in ("package_version", "sklearn_version", "labels", "data", "metrics", "files"):
        assert key in m
    assert set(m["files"]) == {"lines", "topic", "promotional", "sourcing"}
    assert len(m["data"]["sha256"]) == 64


def test_tampered_file_is_refused(tiny_model, tmp_path):
    saved = copy.copy(tiny_model)
    out = saved.save(tmp_path / "m")
    f = out / saved.manifest["files"]["topic"]["name"]
    f.write_bytes(f.read_bytes() + b"x")
    with pytest.raises(ModelError, match="sha256"):
        Scorer.load(out)


def test_lazy_load_reads_heads_on_first_use_with_the_same_results(tiny_model, tmp_path):
    out = copy.copy(tiny_model).save(tmp_path / "lazy")
    lazy = Scorer.load(out, lazy=True)
    assert lazy._heads is None and lazy.topic_labels == tiny_model.topic_labels  # from the manifest
    doc = seed_files()[0].read_text("utf-8")
    assert lazy.score(doc).to_dict() == Scorer.load(out).score(doc).to_dict()
    assert lazy._heads is not None


def test_lazy_load_checks_the_files_again_when_it_reads_them(tiny_model, tmp_path):
    out = copy.copy(tiny_model).save(tmp_path / "lazy")
    lazy = Scorer.load(out, lazy=True)
    f = out / lazy.manifest["files"]["lines"]["name"]
    f.write_bytes(f.read_bytes() + b"x")  # changed after the check at load time
    with pytest.raises(ModelError, match="sha256"):
        _ = lazy.heads


def test_missing_dir_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no such model directory"):
        load_model(tmp_path / "nope")


def test_other_package_version_is_refused(tiny_model, tmp_path):
    out = copy.copy(tiny_model).save(tmp_path / "m")
    man = json.loads((out / "manifest.json").read_text())
    man["package_version"] = "9.9.0"
    (out / "manifest.json").write_text(json.dumps(man))
    with pytest.raises(ModelError, match="retrain"):
        Scorer.load(out)


def test_score_many_accepts_str_dict_document(shipped):
    from scorer.document import Document

    seed = seed_files()[0].read_text("utf-8")
    out = list(shipped.score_many([seed, {"id": "x", "text": seed}, Document(id="d", raw=seed),
                                   {"id": "bad"}]))
    assert [s.id for s in out] == ["0", "x", "d", "bad"]
    assert out[0].topic == out[1].topic == out[2].topic
    assert out[3].error


def test_save_replaces_old_files(tiny_model, tmp_path):
    out = copy.copy(tiny_model).save(tmp_path / "m")
    copy.copy(tiny_model).save(out)
    named = {e["name"] for e in json.loads((out / "manifest.json").read_text())["files"].values()}
    assert {p.name for p in out.iterdir()} == named | {"manifest.json"}  # nothing left over
    shutil.rmtree(out)


def test_scorer_clean_stays_a_function_after_scoring():
    # the submodule used to be scorer/clean.py: importing it rebound scorer.clean to the module
    import scorer

    scorer.score("Le gouvernement a présenté un projet de loi sur l'énergie solaire.")
    assert scorer.clean("<html><body><p>x</p></body></html>").kind == "html"
    assert scorer.clean("hello").text == "hello"


@pytest.mark.parametrize("docs,match", [("one document", "single str"), ([42], "item 0 is a int")])
def test_score_many_rejects_wrong_types(docs, match):
    import scorer

    with pytest.raises(TypeError, match=match):
        list(scorer.load_model().score_many(docs))


def test_prepared_list_scores_as_each_document_alone(shipped):
    raws = [p.read_text("utf-8") for p in seed_files()] + ["", "Le ministre a dit : « Non. »"]
    together = shipped.score_prepared([shipped.prepare(r, id=str(i)) for i, r in enumerate(raws)], explain=True)
    alone = [shipped.score(r, id=str(i), explain=True) for i, r in enumerate(raws)]
    assert [s.to_dict() for s in together] == [s.to_dict() for s in alone]
    assert [s.to_dict() for s in shipped.score_many(raws)] == [shipped.score(r, id=str(i)).to_dict()
                                                              for i, r in enumerate(raws)]


def test_disclosure_label_at_the_head_of_a_dump_counts_a_widget_heading_does_not(shipped):
    body = ["Le nouveau smartphone de la marque Kelvo est arrivé en France cette semaine avec un écran plus grand.",
            "Il coûte 499 euros et sera vendu dans toutes les boutiques de la marque à partir de lundi prochain.",
            "Les premiers acheteurs recevront une coque offerte et un an de garantie supplémentaire."]
    head = shipped.score("\n".join(["Contenu sponsorisé", *body]))
    assert head.promotional["disclosure"] == "Contenu sponsorisé"
    widget = shipped.score("\n".join([*body, "Partager", "Contenu sponsorisé", "Vous ne croirez jamais ce qui suit"]))
    assert widget.promotional["disclosure"] is None


def test_disclosure_and_press_release_raise_the_score_not_the_tone(shipped):
    body = ["Le nouveau smartphone de la marque Kelvo est arrivé en France cette semaine avec un écran plus grand.",
            "Il coûte 499 euros et sera vendu dans toutes les boutiques de la marque à partir de lundi prochain."]
    plain = shipped.score("\n".join(body)).promotional
    assert plain["press_release"] is None and plain["score"] == plain["tone"]
    for raw in ("\n".join(["Contenu sponsorisé", *body]),
                "\n".join(["Communiqué de presse", "Paris, le 3 février 2025 – Kelvo annonce aujourd'hui", *body])):
        promo = shipped.score(raw).promotional
        assert promo["score"] == max(promo["tone"], EVIDENCE_SCORE)
    release = shipped.score("\n".join(["Communiqué de presse", *body]), explain=True)
    assert release.promotional["press_release"] == ["Communiqué de presse"]
    raised = release.promotional["score"] > release.promotional["tone"]
    assert release.explain()["promotional"]["raised_by"] == ("press_release" if raised else None)
    # a disclosure outside the article (a widget heading) is reported but does not raise the score
    widget = shipped.score("\n".join([*body, "Partager", "Article sponsorisé par Kelvo", "Vous ne croirez jamais"]))
    assert widget.promotional["score"] == widget.promotional["tone"]


@pytest.mark.parametrize("removed, speaks_for_article", [
    ("Cet article a été réalisé en partenariat avec la marque Renault.", True),  # a statement: raises
    ("Sponsorisé par Renault", False),  # a label naming a sponsor elsewhere: may be a widget's heading
])
def test_a_disclosure_the_cleaner_removed(removed, speaks_for_article):
    from scorer.model import _disclosure
    from scorer.result import Cleaned, RemovedLine

    cleaned = Cleaned(text="Le conseil municipal a voté mardi.", kind="text",
                      removed=[RemovedLine(5, removed, "boilerplate")])
    assert _disclosure(cleaned.text, cleaned) == (removed, speaks_for_article)


def test_interview_answers_count_with_their_speaker(shipped):
    raw = ("THE MODERATOR: Good afternoon, everybody. Questions, please.\n"
           "Q. Many congratulations. Are you changing your mind on that at all?\n"
           "ANDY MURRAY: Yeah, I also said that, you know. I worked so hard in that last game.\n"
           "And, yeah, I still can't believe it was a different match to the US Open.\n"
           "Q. Has it sunk in yet?\n"
           "ANDY MURRAY: I mean, who knows. I think my head was kind of everywhere.")
    s = shipped.score(raw, explain=True)
    attributed = s.explain()["sourcing"]["attributed"]
    assert {a["sentence"] for a in attributed} >= {
        "I think my head was kind of everywhere.", "And, yeah, I still can't believe it was a different match to the US Open."}
    assert not any(a["sentence"].startswith(("Q.", "THE MODERATOR")) for a in attributed)
    assert "ANDY MURRAY" in s.sourcing["sources"]


def test_score_many_keeps_the_records_before_a_bad_document(shipped):
    from scorer.document import Document

    seed = seed_files()[0].read_text("utf-8")
    out = []
    with pytest.raises(TypeError, match="decode bytes first"):
        for s in shipped.score_many([seed, Document(id="y", raw=b"\x00abc"), seed]):
            out.append(s)
    assert [s.id for s in out] == ["0"]


def test_module_level_score_takes_a_model_directory(tiny_model):
    import scorer

    text = "Selon le ministre, le projet avance. Achetez maintenant, offre exceptionnelle !"
    assert scorer.score(text, model=tiny_model.path).to_dict() == tiny_model.score(text).to_dict()
    with pytest.raises(TypeError, match="model must be a Scorer or a model directory"):
        scorer.score(text, model=3)


def test_saving_is_byte_reproducible(tiny_model, tmp_path):
    import json

    tiny_model.save(tmp_path / "a")
    Scorer.load(tmp_path / "a").save(tmp_path / "b")
    files = [json.loads((tmp_path / d / "manifest.json").read_text("utf-8"))["files"] for d in ("a", "b")]
    assert files[0] == files[1]
