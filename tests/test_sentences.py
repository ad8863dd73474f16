import pytest

from scorer.sentences import split_paragraph_sentences, split_sentences

CASES = [
    ("Il pleut. Il fait froid.", ["Il pleut.", "Il fait froid."]),
    ("M. Dupont est arrivé. Il a parlé.", ["M. Dupont est arrivé.", "Il a parlé."]),
    ("« C'est fini. » Puis il est parti.", ["« C'est fini. »", "Puis il est parti."]),
    ('Oui. "Yes." He said.', ["Oui.", '"Yes."', "He said."]),
    ("Selon J. K. Rowling, c'est vrai! Non?", ["Selon J. K. Rowling, c'est vrai!", "Non?"]),
    ("ligne un\nligne deux", ["ligne un", "ligne deux"]),
    ("Il a 3,5 millions d'euros. En 2024 aussi.", ["Il a 3,5 millions d'euros.", "En 2024 aussi."]),
    ("Source : Techcrunch", ["Source : Techcrunch"]),
    ("", []),
    ("   \n\n  ", []),
    # a listicle's numbers open their item, they are not sentences
    ("1.\nLe premier. Suite.\n2.\nLe second.", ["1. Le premier.", "Suite.", "2. Le second."]),
    ("3. Sleepy Co sells pillows.", ["3. Sleepy Co sells pillows."]),
    ("•\nA bullet item.", ["• A bullet item."]),
    ("It ends with 4.", ["It ends with 4."]),
    # no space after the full stop (a flattened page): still two sentences, but not after an initial
    ("blockchain technology.This is an advantage.", ["blockchain technology.", "This is an advantage."]),
    ("M.Dupont est là. La base U.S.Army aussi.", ["M.Dupont est là.", "La base U.S.Army aussi."]),
    ("Voir cf.Figure 3. Chelsea vs.Manchester ce soir.", ["Voir cf.Figure 3.", "Chelsea vs.Manchester ce soir."]),
    ("Math.Max est une fonction de Yahoo!Finance.", ["Math.Max est une fonction de Yahoo!Finance."]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_long_run_on_is_cut():
    s = split_sentences("a" * 5000)
    assert all(len(x) <= 2000 for x in s) and "".join(s) == "a" * 5000


@pytest.mark.parametrize("text, sentences, ends", [
    ("Il a dit :\nUne phrase. Une autre.\nFin", ["Il a dit :", "Une phrase.", "Une autre.", "Fin"],
     [True, False, True, True]),
    ("1.\nPremier point. Suite.", ["1. Premier point.", "Suite."], [False, True]),  # the marker joins its item
    ("", [], []),
])
def test_split_paragraph_sentences_marks_the_last_sentence_of_each_line(text, sentences, ends):
    assert split_paragraph_sentences(text) == (sentences, ends)
    assert split_sentences(text) == sentences
