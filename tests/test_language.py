"""Language id: the unpacked py3langid cache gives the shipped model's answers."""
import pytest

from scorer import language

TEXTS = [
    "Le gouvernement a présenté mardi un projet de loi sur la sécurité des données personnelles.",
    "The central bank left interest rates unchanged on Thursday, citing slowing inflation.",
    "El presidente anunció nuevas medidas económicas para las familias durante la rueda de prensa.",
    "Die Regierung hat am Dienstag einen neuen Gesetzentwurf vorgestellt.",
]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORER_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_cache_is_built_once_per_model_and_answers_like_the_shipped_model(cache_dir):
    cached = language._load_cached()
    shipped = language._load_shipped()
    assert cached is not None
    assert [cached.classify(t)[0] for t in TEXTS] == [shipped.classify(t)[0] for t in TEXTS] == ["fr", "en", "es", "de"]
    links = [p for p in cache_dir.iterdir() if p.is_symlink()]
    dirs = [p for p in cache_dir.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(links) == 1 and len(dirs) == 1 and dirs[0].name.startswith(f"langid-v{language.CACHE_LAYOUT}-")
    assert links[0].resolve() == dirs[0].resolve()
    mtime = (dirs[0] / "ptc.npy").stat().st_mtime_ns
    assert language._load_cached() is not None  # found again: not rebuilt
    assert (dirs[0] / "ptc.npy").stat().st_mtime_ns == mtime


def test_old_layout_directories_are_removed(cache_dir):
    for name in ("langid-4586720-1795409715", "langid-123-456"):
        (cache_dir / name).mkdir()
        (cache_dir / name / "ptc.npy").write_bytes(b"old")
    (cache_dir / "other").mkdir()  # not ours: left alone
    assert language._load_cached() is not None
    left = sorted(p.name for p in cache_dir.iterdir() if p.is_dir() and not p.is_symlink())
    assert left[0].startswith("langid-v") and left[1:] == ["other"]


def test_an_unusable_cache_falls_back_to_the_shipped_loader(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("SCORER_CACHE_DIR", str(blocker / "scorer"))
    assert language._load_cached() is None
    assert language._load_shipped().classify(TEXTS[0])[0] == "fr"


@pytest.mark.parametrize("damage", ["missing", "truncated", "empty", "no_record"])
def test_a_damaged_cache_is_rebuilt_once(cache_dir, damage):
    assert language._load_cached() is not None
    (target,) = [p for p in cache_dir.iterdir() if p.name.startswith("langid-v")]
    ptc = target / "ptc.npy"
    if damage == "missing":
        ptc.unlink()
    elif damage == "truncated":
        ptc.write_bytes(ptc.read_bytes()[:1000])
    elif damage == "empty":
        for f in target.iterdir():
            f.write_bytes(b"")
    else:
        (target / "complete.json").unlink()
    assert not language._complete(target)
    ident = language._load_cached()
    assert ident is not None and ident.classify(TEXTS[1])[0] == "en"
    assert language._complete(target)
    mtime = (target / "complete.json").stat().st_mtime_ns
    assert language._load_cached() is not None  # repaired: not rebuilt again
    assert (target / "complete.json").stat().st_mtime_ns == mtime


def test_pruning_leaves_what_is_not_ours(cache_dir):
    import os
    import time

    (cache_dir / "my-link").symlink_to("/nonexistent")  # a user's dangling link
    (cache_dir / "langid-123-456").mkdir()
    (cache_dir / "langid-123-456" / "notes.txt").write_text("mine")  # not only our files
    old_tmp = cache_dir / ".langid.abc"
    old_tmp.mkdir()
    (old_tmp / "ptc.npy").write_bytes(b"partial")
    day_ago = time.time() - 86400
    os.utime(old_tmp, (day_ago, day_ago))
    fresh_tmp = cache_dir / ".langid.def"  # another process unpacking now
    fresh_tmp.mkdir()
    assert language._load_cached() is not None
    names = {p.name for p in cache_dir.iterdir()}
    assert {"my-link", "langid-123-456", ".langid.def"} <= names and ".langid.abc" not in names


def test_the_three_letter_codes_are_the_identifiers():
    from scorer.language import THREE_LETTER_CODES, _get

    assert {c for c in _get().nb_classes if len(c) != 2} == THREE_LETTER_CODES
