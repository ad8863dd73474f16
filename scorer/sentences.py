"""Sentence splitting shared by training (labelling) and serving (sourcing head).

A deliberately small rule-based splitter: paragraphs are split on newlines, then on
sentence-final punctuation followed by whitespace and a capital letter, a digit or an
opening quote. Common French and English abbreviations are protected.
"""
from __future__ import annotations

import re

__all__ = ["split_paragraph_sentences", "split_sentences"]

# Abbreviations that end in a period but do not end a sentence (fr + en).
_ABBREVIATIONS = {
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "mr", "mrs", "ms",
    "prof", "gen", "gén", "sen", "rep", "gov", "lt", "col", "capt", "sgt", "jr", "sr",
    "inc", "ltd", "co", "corp", "vs", "etc", "cf", "p", "pp", "no", "n°", "art", "av",
    "bd", "fig", "vol", "éd", "ed", "env", "approx", "min", "max", "jan", "fév", "feb",
    "mar", "avr", "apr", "aug", "sept", "sep", "oct", "nov", "déc", "dec", "u.s", "u.k",
}

# A candidate boundary: end punctuation (optionally closed by a quote or bracket), spaces,
# then something that can start a sentence.
# Or no space at all between a lower-case word and a capitalised word ("l'internet sur le
# continent.Facebook affirme", "technology.This is"): a page whose markup put each sentence in
# its own element, flattened. 72 in the texts of training/data, all real sentence ends (read);
# "M.Dupont", "U.S.Army", "p.m.The" do not match, and _glued_sentence_end keeps "cf.Figure",
# "Math.Max" and "Yahoo!Finance" whole (the word before must be lower case, 3+ letters, no
# abbreviation).
_BOUNDARY = re.compile(
    r"""(?<=[.!?…])(?:\s?[»"”’)\]]+)?\s+(?=[«"“'‘(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])"""
    r"""|(?<=[a-zà-öø-ÿ]{2}[.!?])(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ])""",
)
_CLOSING = re.compile(r"""\s?[»"”’)\]]+(?=\s|$)""")
_LAST_WORD = re.compile(r"([\w.°]+)\.\s*$")
MAX_SENTENCE_CHARS = 2000  # longer "sentences" are cut (lists, tables, run-on dumps)


def _ends_with_abbreviation(chunk: str) -> bool:
    m = _LAST_WORD.search(chunk)
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # Single capital initials ("J. K. Rowling", "G. W. Bush").
    return len(word) == 1 and word.isalpha()


_WORD_BEFORE = re.compile(r"(\w+)[.!?]$")


def _glued_sentence_end(par: str, at: int) -> bool:
    """A full stop glued to the next sentence ("continent.Facebook") ends a sentence when the word
    before it is a lower-case word of three letters or more that is not an abbreviation."""
    m = _WORD_BEFORE.search(par, max(0, at - 40), at)
    return bool(m) and len(m.group(1)) >= 3 and m.group(1).islower() and m.group(1) not in _ABBREVIATIONS


def _split_paragraph(par: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(par):
        end = m.start()
        if m.end() == end and not _glued_sentence_end(par, end):
            continue  # "cf.Figure", "Math.Max", "Yahoo!Finance": not two sentences
        if _ends_with_abbreviation(par[start:end + 1].rstrip()) and par[end - 1:end] == ".":
            continue
        # keep closing quotes with the sentence they close
        closing = _CLOSING.match(par, end)
        cut = closing.end() if closing else end
        sentence = par[start:cut].strip()
        if sentence:
            out.append(sentence)
        start = m.end()
    tail = par[start:].strip()
    if tail:
        out.append(tail)
    return out


# A list marker alone ("1.", "12)", "(3)", "•", "-"): not a sentence, it opens the next one
_LIST_MARKER = re.compile(r"^(?:\(?\d{1,3}[.)]|[ivxIVX]{1,4}[.)]|[-–—•*·▪►✓✔])$")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, in order. Newlines always end a sentence, except after a
    list marker standing alone ("1." on its line, or "1. Item" split at its period): the marker
    opens the next sentence, so a listicle's numbers are not counted as sentences."""
    return split_paragraph_sentences(text)[0]


def split_paragraph_sentences(text: str) -> tuple[list[str], list[bool]]:
    """:func:`split_sentences`, and for each sentence whether it ends its paragraph (its line).

    A quotation set off as its own paragraph after "X said:" is told from the narration around
    it by these ends (:func:`scorer.sources.quote_blocks`)."""
    sentences: list[str] = []
    ends: list[bool] = []
    marker = ""
    for s, last in _sentences(text):
        if _LIST_MARKER.match(s):
            marker = f"{marker} {s}".strip()
            continue
        sentences.append(f"{marker} {s}" if marker else s)
        ends.append(last)
        marker = ""
    if marker:
        sentences.append(marker)
        ends.append(True)
    return sentences, ends


def _sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, ends its paragraph) in order."""
    sentences: list[tuple[str, bool]] = []
    for par in text.splitlines():
        par = par.strip()
        if not par:
            continue
        pieces: list[str] = []
        for s in _split_paragraph(par):
            while len(s) > MAX_SENTENCE_CHARS:
                pieces.append(s[:MAX_SENTENCE_CHARS])
                s = s[MAX_SENTENCE_CHARS:]
            if s:
                pieces.append(s)
        sentences.extend((piece, i == len(pieces) - 1) for i, piece in enumerate(pieces))
    return sentences
