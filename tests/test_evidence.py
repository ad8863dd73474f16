"""Press-release markers and the promotional score's floor (scorer.evidence)."""
import pytest

from scorer.evidence import EVIDENCE_SCORE, find_press_release, promotional_score

RELEASES = [
    # a wire tag in the dateline is enough
    ("MALVERN, Pa., Feb. 03, 2025 (GLOBE NEWSWIRE) — Ocugen, Inc. today announced that the European "
     "Commission has provided a positive opinion.", "(GLOBE NEWSWIRE)"),
    ("BRISBANE, AUSTRALIA, November 1, 2019 /EINPresswire.com/ -- Award-winning voting company Horizon "
     "State today announced it is returning under new management.", "/EINPresswire.com/"),
    ("SAN JOSE, Calif., March 3, 2024 /PRNewswire/ -- Acme Corp. unveiled its new router.", "/PRNewswire/"),
    # a label at the top
    ("Communiqué de presse\nParis, le 12 mars 2024 – La société Dupont lance une nouvelle gamme.",
     "Communiqué de presse"),
    ("PRESS RELEASE\nThe Foundation opens its new library in Leeds.", "PRESS RELEASE"),
    # two markers of different kinds
    ("Symphony Environmental Technologies Plc (AIM: SYM) is pleased to announce its interim results.",
     "is pleased to announce"),
    ("Paris, le 3 février 2025 – Groupe Martin a le plaisir d'annoncer l'ouverture de son usine.",
     "a le plaisir d'annoncer"),
    ("Acme today announced record sales in Europe.\nAbout Acme\nAcme is a maker of tools founded in 1950 "
     "in Ohio, with 3,000 employees in twelve countries around the world.", "About Acme"),
    ("Globex annonce aujourd'hui son entrée en Bourse.\nContact presse : Marie Durand, 01 23 45 67 89",
     "Contact presse : Marie Durand, 01 23 45 67 89"),
    # wire tags with a date, Business Wire's stripped name, an exchange's regulatory header
    ("VANCOUVER, BRITISH COLUMBIA--(Marketwired - Aug. 12, 2015) - GLG Life Tech reports its results.",
     "(Marketwired - Aug. 12, 2015)"),
    ("PARIS--()--Regulatory News:\nCarrefour (Paris:CA): ventes en hausse au premier semestre.", "PARIS--()--"),
    ("RNS Number : 7764X\nRM PLC\n30 June 2008\nRM chosen as ICT supplier for the council.", "RNS Number :"),
    # the organisation as a defined term; a bracketed label; a label before the date
    ('Mountfield Group Plc ("Group") announced a contract award of £1.65m.', '("Group")'),
    ("Dissolution des Soulèvements de la Terre\n[RÉACTION PRESSE]\nMercredi 21 juin 2023", "[RÉACTION PRESSE]"),
    ("SNCF VOYAGEURS COMMUNIQUÉ – LE 25 MARS 2021\nSNCF Voyageurs adapte son offre.",
     "SNCF VOYAGEURS COMMUNIQUÉ – LE 25 MARS 2021"),
]

NOT_RELEASES = [
    # journalism that mentions releases, announcements, tickers or datelines, once each
    "Apple today announced a new iPhone, and analysts were unimpressed.",
    "Shares of ResMed (NYSE:RMD) fell 3% after the company missed estimates, traders said.",
    "Le groupe a indiqué dans un communiqué de presse que les ventes avaient reculé de 4 %.",
    "In a press release, the ministry said the plan would cost $2bn.",
    'The firm, known as "the Company" to its staff, said profits rose.',
    "Le communiqué publié mardi par la mairie annonce la fermeture du pont.",
    "Amnesty International a indiqué que ses porte-parole seraient disponibles, selon un communiqué.",
    # review of session 14: a byline with its date, a markets story's ticker, a news story that
    # mentions a regulated communiqué, a news agency's "About" footer, an all-caps headline
    "Par Jean Dupont, le 12 mars 2024\nLe groupe a annoncé aujourd'hui la fermeture de son usine de Lille.",
    "By Jane Smith, January 18, 2023\nThe company announced today that it would cut 500 jobs.",
    "Shares of Tesla (NASDAQ: TSLA) fell 3% after the carmaker today announced a recall of 2 million cars.",
    "Atos a publié lundi un communiqué réglementé annonçant un nouveau plan de restructuration de sa dette.",
    "The airline today announced new routes.\nAbout Reuters\nReuters, the news and media division of Thomson "
    "Reuters, is the world's largest multimedia news provider, reaching billions of people every day.",
    "L'USINE PUBLIE UN COMMUNIQUE : les salariés inquiets\nLes syndicats ont été reçus par la direction.",
    "LONDON, March 3, 2024 - Britain's economy shrank in the last quarter, official data showed.",
    # an "About" heading that is not a company's boilerplate
    "The show opens on Friday.\nAbout the author\nJane Doe writes about theatre for the Herald.",
    "The show opens on Friday.\nAbout Us\nWe are a small team of writers who love the stage and cinema.",
    # a wire's URL in a link is not a dateline tag
    "See http://www.prnewswire.com/news/acme/ for the company's side. Analysts doubted the figures.",
    "",
]


@pytest.mark.parametrize("text, marker", RELEASES)
def test_press_releases_are_found_with_their_marker(text, marker):
    found = find_press_release(text.splitlines())
    assert found is not None and marker in found


@pytest.mark.parametrize("text", NOT_RELEASES)
def test_journalism_is_not_a_press_release(text):
    assert find_press_release(text.splitlines()) is None


def test_a_wire_dateline_the_cleaner_removed_just_above_the_article_counts():
    article = ["Vicat group (Paris:VCT) :", "Nette progression de la rentabilité au premier semestre."]
    assert find_press_release(article, head=["PARIS LA DÉFENSE–(BUSINESS WIRE)–Regulatory News:"])[0] == \
        "PARIS LA DÉFENSE–(BUSINESS WIRE)–Regulatory News:"
    assert find_press_release(["Britain's economy shrank."], head=["Latest (BUSINESS WIRE) releases"]) is None


def test_a_label_the_cleaner_removed_just_above_the_article_counts():
    article = ["UC Riverside's department of biology receives a grant", "The grant will help outreach."]
    assert find_press_release(article, head=["Menu", "News Release"]) == ["News Release"]
    assert find_press_release(article, head=["News Release"] + ["Menu"] * 9) is None  # too far above


@pytest.mark.parametrize("text, marker", [
    ("RIVERSIDE, Calif.-- May 13, 2003 -- UC Riverside biologists have received a grant.\nMedia contact: Jane Doe",
     "RIVERSIDE, Calif.-- May 13, 2003"),
    ("Berne, 21.05.2007 - L'Office fédéral de la santé publique annonce aujourd'hui une campagne.",
     "Berne, 21.05.2007"),
])
def test_datelines_in_other_shapes(text, marker):
    found = find_press_release(text.splitlines())
    assert found is not None and marker in found


def test_removed_lines_count_for_sections_and_for_wire_tags_only_in_an_opening_paragraph():
    article = ["Acme today announced record sales in Europe."]
    about = ["About Acme", "Acme is a maker of tools founded in 1950 in Ohio, with 3,000 employees worldwide "
                           "and offices in twelve countries."]
    assert find_press_release(article, about) == ["About Acme", "today announced"]
    # a menu link to a wire service, removed by the cleaner, is not the page's dateline tag
    assert find_press_release(["Britain's economy shrank, data showed."], ["(BUSINESS WIRE) Latest releases"]) is None
    # but a release's opening paragraph the cleaner removed keeps its tag
    opening = ("VANCOUVER, BRITISH COLUMBIA--(Marketwired - Aug. 12, 2015) - GLG Life Tech Corporation announces "
               "financial results for the six months ended June 30, 2015.")
    assert find_press_release(["FINANCIAL HIGHLIGHTS", "GLG doubles its revenues."], [opening]) == [
        "(Marketwired - Aug. 12, 2015)"]


@pytest.mark.parametrize("tone, press, disclosure, expected", [
    (0.1, None, None, 0.1),
    (0.1, ["(GLOBE NEWSWIRE)"], None, EVIDENCE_SCORE),
    (0.1, None, "Sponsored by Acme", EVIDENCE_SCORE),
    (0.97, ["(GLOBE NEWSWIRE)"], None, 0.97),  # never lowered
])
def test_promotional_score_is_raised_by_evidence_only(tone, press, disclosure, expected):
    assert promotional_score(tone, press_release=press, disclosure=disclosure) == expected
