"""Evidence of who wrote a page: a press release's layout, and what it does to the promotional score.

The promotional head reads tone from n-grams. A wire release or a corporate announcement is
written in a neutral voice, so its tone reads as news (session 8: real wire releases scored
0.03–0.17; session 13's blind readings: 0.00–0.21), but it is promotion by who wrote it. Its
layout gives it away: a wire service's tag in the dateline ("(GLOBE NEWSWIRE)", "/PRNewswire/"),
a "Press release" / « Communiqué de presse » label at the top, an "About <Company>" boilerplate
paragraph, a media-contact block, forward-looking statements, a stock ticker after the
company's name, "is pleased to announce" / « a le plaisir d'annoncer ».

:func:`find_press_release` returns the markers found. One strong marker (a wire tag, a label
at the top of the page) is enough; otherwise it takes two markers of different kinds, because
each alone also occurs in journalism ("Apple today announced", a ticker in a markets story, a
dateline).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["find_press_release", "promotional_score", "PRESS_RELEASE_MIN_MARKERS", "EVIDENCE_SCORE"]

# A page that says it is paid for (a disclosure in the article) or is laid out as a press
# release is promotional whatever its tone: its score is at least this. Not 1.0: each marker was
# measured on a few thousand pages, not proved (training/REPORT.md, session 14: neither fired on
# any of 5,668 real neutral documents of training/data).
EVIDENCE_SCORE = 0.9

# Two markers of different kinds, or one strong one (a wire tag, a label at the top, the
# organisation as a defined term). Session 14 (training/REPORT.md): found in 0 of the 5,668 real
# neutral documents of training/data except one AG News item that is a Business Wire release,
# in 4 of the 8 releases of session 13's blind readings, and in 25 of the 50 real releases and
# 0 of the 50 news reports on the same subjects of a development set read for it (its misses:
# government and NGO announcements with no release layout).
PRESS_RELEASE_MIN_MARKERS = 2
LABEL_LINES = 8  # a "Press release" label counts among the page's first lines only
MAX_MARKER_LINE = 90  # label and section lines are short; a longer line is prose
# a release's opening paragraph the text-dump cleaner removed still counts for its wire tag
WIRE_PARAGRAPH_CHARS = 100
WIRE_OPENING_CHARS = 150

_MONTHS_EN = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
              r"Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_MONTHS_FR = r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)"

# a wire service's tag, as it stands in a release's dateline (not inside a link): "/PRNewswire/",
# "(GLOBE NEWSWIRE)", "--(Marketwired - Aug. 12, 2015)", Business Wire's "PARIS--()--" with its
# name stripped, and the regulatory-news headers of stock exchanges ("RNS Number : 7764X")
_WIRE_NAMES = (r"GLOBE\s+NEWSWIRE|BUSINESS\s+WIRE|ACCESSWIRE|Marketwired?|MARKET\s+WIRE|PRNewswire|PR\s+Newswire|"
               r"Newsfile\s+Corp\.?|PRWEB|EQS\s+Newswire|Newsfile|CNW\s+Group|CNW")
_WIRE = re.compile(
    r"(?<![\w./])(?:/\s*(?:PRNewswire(?:-FirstCall|-USNewswire)?|EINPresswire(?:\.com)?|CNW(?:\s+Telbec)?|"
    r"PRWeb|PR\s?Newswire)\s*/|\(\s*(?:" + _WIRE_NAMES + r")(?:\s*[-–—,]\s*[^()]{1,30})?\s*\))|"
    r"(?<![A-Z])(?-i:[A-Z]{2,})--\s*\(\s*\)\s*--|^RNS\s+Number\s*:", re.I | re.M)
# a release's dateline with its wire tag, alone on a line the cleaner removed above the article
# ("PARIS LA DÉFENSE–(BUSINESS WIRE)–Regulatory News:")
_WIRE_DATELINE = re.compile(r"^(?-i:[A-ZÀ-Þ][A-ZÀ-Þ .,'’-]{1,40})\s*[-–—]{0,2}\s*\(\s*(?:" + _WIRE_NAMES + r")\s*\)", re.I)
# a wire service's name alone on a line under the headline ("PRNewswire" above the dateline)
_WIRE_LINE = re.compile(r"^\W*(?:PRNewswire|PR\s+Newswire|GlobeNewswire|Business\s+Wire|EIN\s?Presswire|"
                        r"ACCESSWIRE|Cision|Newsfile\s+Corp\.?)\W*$", re.I)
# a label: alone on a line ("Press release", « Communiqué de presse ») or in brackets
# ("[RÉACTION PRESSE]"), or opening a line before a date ("SNCF VOYAGEURS COMMUNIQUÉ – LE 25 MARS")
_LABEL_WORDS = (r"press\s+release|news\s+release|media\s+release|media\s+advisory|press\s+statement|media\s+statement|"
                r"media\s+information|information\s+(?:destin[ée]e\s+aux|pour\s+les)\s+m[ée]dias|communiqu[ée]\s+aux\s+m[ée]dias|"
                r"for\s+immediate\s+release|communiqu[ée]\s+de\s+presse|information\s+presse|"
                r"r[ée]action\s+presse|invitation\s+presse|avis\s+aux\s+m[ée]dias|pour\s+diffusion\s+imm[ée]diate|"
                r"pour\s+publication\s+imm[ée]diate|regulatory\s+news|communiqu[ée]\s+r[ée]glement[ée]|"
                r"information\s+r[ée]glement[ée]e")
_LABEL = re.compile(
    r"^\W*(?:" + _LABEL_WORDS + r")\b\W*(?:$|[-–—:|/]|\d)|^\s*\[\s*(?:" + _LABEL_WORDS + r"|communiqu[ée])\s*\]|"
    r"^(?-i:[A-ZÀ-Þ0-9' .&-]{2,40})\s+COMMUNIQU[ÉE]\s*[-–—:]\s*(?:LE\s+)?\d", re.I)
# "About Ocugen, Inc." followed by a paragraph about it; not "About us", "About the author"
_ABOUT = re.compile(
    r"^\W*(?:about|à\s+propos\s+(?:de\s+la\s+|de\s+l['’]\s*|de\s+|du\s+|des\s+|d['’]\s*))\s*"
    r"(?!(?:us|me|the\s+author|this|our|the\s+(?:site|blog|book|writer)|nous|moi|l['’]auteur|cet|ce|cette|"
    r"(?:thomson\s+)?reuters|the\s+associated\s+press|ap|afp|l['’]afp|bloomberg|dow\s+jones|bbc|cnn|"
    r"the\s+(?:guardian|times|new\s+york\s+times|washington\s+post)|le\s+monde|le\s+figaro)\b)"
    r"((?-i:[A-Z0-9ÀÂÉÈÊÎÔÛÇ])[\w&.,'’()\- ]{1,60}?)\s*:?\s*$", re.I)
# a media contact: in the article only (elsewhere "Investor relations" is a site's menu link)
_CONTACT = re.compile(
    r"^\W*(?:(?:media|press|investor|investors|pr)\s+(?:contacts?|relations|inquiries|enquiries)|"
    r"contacts?\s+(?:presse|m[ée]dias?|investisseurs)|relations?\s+(?:presse|m[ée]dias|investisseurs)|"
    r"service\s+(?:de\s+)?presse)\W*(?::.*)?$",
    re.I)
_SECTION = re.compile(
    r"^\W*(?:forward[-\s]looking\s+statements?|safe\s+harbou?r(?:\s+statement)?|cautionary\s+(?:note|statement)s?|"
    r"(?:d[ée]clarations|[ée]nonc[ée]s|informations)\s+prospecti(?:ves|fs)|"
    r"#{3})\W*(?::.*)?$", re.I)
# the organisation's own voice: announcing, an embargo, its spokespeople available to the press.
# "today announced" is also a markets story's ("Shares of Tesla (NASDAQ: TSLA) fell after it today
# announced a recall"): with a ticker alone it is not enough (``weak_pair`` below)
_WEAK_VOICE = re.compile(r"\b(?:today|recently)\s+announced\b|\bannounced\s+today\b|"
                         r"\b(?:annonce|annoncent|ont\s+annonc[ée]|a\s+annonc[ée])\s+aujourd['’]hui\b", re.I)
_VOICE = re.compile(
    _WEAK_VOICE.pattern + r"|\b(?:is|are)\s+(?:pleased|proud|delighted|excited|thrilled|honou?red)\s+to\s+announce|"
    r"\bannounces\s+the\s+(?:launch|release|appointment)\b|"
    r"\b(?:est|sont)\s+(?:heureu(?:x|se)s?|fi[eè]re?s?|ravie?s?)\s+d['’]annoncer|\ba\s+le\s+plaisir\s+d['’]annoncer|"
    r"\bsous\s+embargo\b|\bembargo(?:ed)?\s+(?:jusqu['’]|until|till)|"
    r"\b(?:available|disponibles?)\s+(?:for|pour)\s+(?:des\s+)?interviews?\b", re.I)
# the organisation naming itself as a defined term, as releases and regulatory announcements do
# ("GLG Life Tech Corporation (TSX:GLG) ("GLG" or the "Company")", « (la « Société ») »): strong
_DEFINED = re.compile(r"\bor\s+the\s+[\"“]Company[\"”]|\(\s*(?:the\s+)?[\"“](?:Company|Group|Issuer)[\"”]\s*\)|"
                      r"\(\s*(?:la|le|ci-après)\s+(?:[«\"“]\s*)(?:Soci[ée]t[ée]|Groupe|[ÉE]metteur)\s*(?:[»\"”])\s*\)", re.I)
_DATELINE = re.compile(
    r"^(?!(?:par|by|de|from|publié|published|posted|updated|mis\s+à\s+jour|modifié|le|on|written)\b)"
    r"[A-ZÀ-Þ][\w .'’-]{1,40},\s*(?:[A-Z][\w .]{1,20},?\s*)?(?:[-–—]{1,2}\s*)?(?:" + _MONTHS_EN + r"\s+\d{1,2},?\s+\d{4}|"
    r"(?:le\s+)?\d{1,2}(?:er)?\s+" + _MONTHS_FR + r"\s+\d{4}|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2}))\s*(?:[-–—/(:]|$)",
    re.I | re.M)
_TICKER = re.compile(r"\((?:NASDAQ|Nasdaq|NYSE(?:\s+American)?|AMEX|TSX(?:-?V)?|TSXV|AIM|LSE|ASX|OTCQ[XB]|"
                     r"OTC|Euronext(?:\s+[A-Z][a-z]+)?|CSE|SIX|Xetra|Paris|Bruxelles|Brussels|Amsterdam)\s*:\s*"
                     r"[A-Z][A-Z0-9.]{0,7}\)")
# what a short line must open with to be any of the line markers below (one cheap test per line)
_LINE_HINT = re.compile(r"\W*(?:about|à\s+propos|media|press|investor|pr\s|contact|relation|service|forward|safe|"
                        r"cautionary|d[ée]claration|[ée]nonc|information|#{3}|source|communiqu|news|for\s+immediate|"
                        r"pour\s+(?:diffusion|publication)|r[ée]action|invitation|avis|\[|(?-i:[A-ZÀ-Þ0-9' .&-]{2,40})\s+"
                        r"(?-i:COMMUNIQU))", re.I)
_SOURCE_LINE = re.compile(r"^SOURCE:?\s+(?-i:[A-Z])[\w&.,'’ -]{1,60}$")
DATELINE_CHARS = 600  # a dateline opens the text


# words each unanchored pattern cannot match without (lowercase)
_WIRE_KEYS = ("wire", "newsfile", "prweb", "cnw", "--", "rns", "regulatory", "glement")
_KEYS = {"voice": ("announc", "annonc", "embargo", "interview"),
         "defined": ("company", "group", "issuer", "société", "societe", "groupe", "émetteur", "emetteur")}


def promotional_score(tone: float, *, press_release: Sequence[str] | None, disclosure: str | None) -> float:
    """The promotional score: the head's reading of the tone, raised to :data:`EVIDENCE_SCORE`
    when the page is a press release or discloses in its article that it is paid for."""
    return max(tone, EVIDENCE_SCORE) if press_release or disclosure else tone


def find_press_release(lines: Sequence[str], rest: Sequence[str] = (), head: Sequence[str] = ()) -> list[str] | None:
    """The press-release markers of a page, or None.

    ``lines``: the article (headline and kept text, in order); ``rest``: the page's other lines
    (what the text-dump cleaner removed, where an "About <Company>" block or a media contact
    often ends up); ``head``: the lines the cleaner removed above the article, where a label
    ("Press release") often stands. A label counts in the last :data:`LABEL_LINES` lines of
    ``head`` and the first of the article, a dateline at the top of the article only. Returns the matched strings, strongest first, when the page reads as a release: a wire
    tag or a label, or :data:`PRESS_RELEASE_MIN_MARKERS` markers of different kinds.
    """
    found: dict[str, str] = {}
    article = [s for s in (" ".join(line.split()) for line in lines) if s]
    stripped = article + [s for s in (" ".join(line.split()) for line in rest) if s]
    text = "\n".join(article)
    low = text.lower()
    m = _WIRE.search(text) if any(k in low for k in _WIRE_KEYS) else None
    if m:
        found["wire"] = m.group(0).strip()
    else:
        # a wire's name alone under the headline; in a removed line, a tag in a paragraph's
        # opening only (a short line may be a link to a wire's page)
        m = next((w for w in (_WIRE.search(s[:WIRE_OPENING_CHARS]) for s in stripped[len(article):]
                              if len(s) >= WIRE_PARAGRAPH_CHARS) if w), None)
        if m:
            found["wire"] = m.group(0).strip()
        else:
            line = next((s for s in article[:LABEL_LINES] if len(s) <= MAX_MARKER_LINE and _WIRE_LINE.match(s)), None)
            if line:
                found["wire"] = line
    above = [s for s in (" ".join(line.split()) for line in head[-LABEL_LINES:]) if s]
    if "wire" not in found:
        line = next((s for s in above if _WIRE_DATELINE.match(s)), None)
        if line:
            found["wire"] = line
    label = next((s for s in above + article[:LABEL_LINES] if len(s) <= MAX_MARKER_LINE and _LABEL.match(s)), None)
    if label:
        found["label"] = label
    for k, s in enumerate(stripped):
        if len(s) > MAX_MARKER_LINE or not _LINE_HINT.match(s):
            continue
        if "about" not in found:
            m = _ABOUT.match(s)
            # the boilerplate paragraph after it is about the same name
            if m and k + 1 < len(stripped) and _same_subject(m.group(1), stripped[k + 1]):
                found["about"] = s
        if "section" not in found and (_SECTION.match(s) or (k < len(article) and _CONTACT.match(s))):
            found["section"] = s
        if "source" not in found and _SOURCE_LINE.match(s):
            found["source"] = s
    for kind, pattern, where in (("defined", _DEFINED, text), ("voice", _VOICE, text),
                                 ("dateline", _DATELINE, text[:DATELINE_CHARS]), ("ticker", _TICKER, text)):
        if kind in _KEYS and not any(k in low for k in _KEYS[kind]):
            continue  # none of the words the pattern needs (most pages: a substring test, not a scan)
        m = pattern.search(where)
        if m:
            found[kind] = m.group(0).strip(" -–—/") if kind == "dateline" else m.group(0)
    weak_pair = set(found) == {"voice", "ticker"} and _WEAK_VOICE.fullmatch(found["voice"]) is not None
    if "wire" in found or "label" in found or "defined" in found or (
            len(found) >= PRESS_RELEASE_MIN_MARKERS and not weak_pair):
        order = ("wire", "label", "defined", "about", "section", "source", "voice", "ticker", "dateline")
        return [found[k] for k in order if k in found]
    return None


def _same_subject(name: str, paragraph: str) -> bool:
    """The paragraph after "About X" opens with X's first word (or "The company", « La société »)."""
    first = name.split()[0].strip(".,()").lower()
    opening = paragraph[:120].lower()
    return len(paragraph) > MAX_MARKER_LINE and (
        first in opening.split()[:4] or opening.startswith((first, "the company", "la société", "le groupe",
                                                               "founded", "fondée", "fondé", "créée", "créé")))
