"""The three scoring heads: TF-IDF features + linear models, and their explanations.

* :class:`TextHead` — word and character n-gram TF-IDF (+ optional named cue features) feeding a
  logistic regression, optionally calibrated on out-of-fold scores (Platt scaling for binary
  heads, temperature scaling for multiclass ones). Used for
  topic (multiclass, documents), promotional tone (binary, documents) and sourcing (binary,
  sentences).
* :func:`extract_sources` — the sources named in an attributed sentence.

Linear models make explanations exact: the contribution of an n-gram to a class logit is its
tf-idf weight times the class coefficient.
"""
from __future__ import annotations

import re

import numpy as np
from scipy import sparse

from .fitted import Classifier, LinearModel, Transformer, expit, softmax

__all__ = ["CueFeatures", "SourcingCues", "TextFeatures", "TextHead", "document_sources", "extract_sources", "merge_sources", "REPORTING_VERBS"]

# ---------------------------------------------------------------------------------------------
# Named cue features (counted per 100 words so they do not depend on length)

REPORTING_VERBS = (
    # fr
    "a déclaré", "a affirmé", "a annoncé", "a indiqué", "a expliqué", "a précisé", "a ajouté",
    "a souligné", "a estimé", "a assuré", "a confié", "a dit", "a admis", "a reconnu", "a écrit",
    "a rapporté", "a dénoncé", "a averti", "a martelé", "a insisté", "a confirmé", "a révélé",
    "a-t-il", "a-t-elle", "ont déclaré", "ont affirmé", "ont indiqué", "déclare", "affirme",
    "estime", "explique", "souligne", "indique", "selon", "d'après", "d’après", "source :",
    "sources :", "rapporte", "cité par", "interrogé par", "communiqué",
    # en
    "said", "says", "told", "according to", "announced", "reported", "stated", "claimed",
    "added", "explained", "warned", "wrote", "confirmed", "noted", "argued", "estimated",
    "source:", "in a statement", "spokesman", "spokeswoman", "spokesperson",
)
_SUPERLATIVES = re.compile(
    r"\b(?:meilleur(?:e|s|es)?|incroyable(?:s)?|exceptionnel(?:le|s|les)?|révolutionnaire(?:s)?|"
    r"unique(?:s)?|ultime(?:s)?|idéal(?:e|es|s)?|parfait(?:e|es|s)?|époustouflant(?:e|es|s)?|"
    r"extraordinaire(?:s)?|imbattable(?:s)?|best|amazing|incredible|ultimate|perfect|"
    r"revolutionary|exclusive|exclusif|exclusive|unbeatable|stunning|must-have|game-changer)\b",
    re.I,
)
_CTA = re.compile(
    r"\b(?:achetez|commandez|inscrivez-vous|abonnez-vous|découvrez|profitez|réservez|"
    r"téléchargez|cliquez|essayez|contactez-nous|rendez-vous sur|code promo|offre|"
    r"buy|order now|sign up|subscribe|click|book now|shop|download|try it|get yours|"
    r"discount|promo code|limited time|free trial|don't miss|ne manquez pas)\b",
    re.I,
)
_SECOND_PERSON = re.compile(r"\b(?:vous|votre|vos|tu|ton|ta|tes|you|your|yours)\b", re.I)
_PRICE = re.compile(r"(?:\d[\d\s.,]*\s?(?:€|\$|£|euros?|dollars?|EUR|USD)|[€$£]\s?\d)", re.I)
_QUOTES = re.compile(r"[«»“”\"]")
# the same cues, matched on lower-cased text (case-insensitive matching is several times slower)
_REPORTING_ANY = re.compile("|".join(re.escape(v) for v in sorted(REPORTING_VERBS, key=len, reverse=True)))
_SUPERLATIVES_LOW = re.compile(_SUPERLATIVES.pattern)
_CTA_LOW = re.compile(_CTA.pattern)
_SECOND_PERSON_LOW = re.compile(_SECOND_PERSON.pattern)
_URL = re.compile(r"https?://\S+|www\.\S+")
_WORDS = re.compile(r"\w+")


class CueFeatures(Transformer):
    """Counts of tone and attribution cues, per 100 words."""

    names = ("cue:quotes", "cue:reporting_verb", "cue:source_line", "cue:link", "cue:superlative",
             "cue:exclamation", "cue:second_person", "cue:call_to_action", "cue:price",
             "cue:question")

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        rows = []
        for item in X:
            text = _middle(item)
            low = text.lower()
            n = max(1, len(_WORDS.findall(text))) / 100.0
            rows.append([
                len(_QUOTES.findall(text)) / n,
                len(_REPORTING_ANY.findall(low)) / n,
                (low.count("source :") + low.count("source:") + low.count("sources :")) / n,
                len(_URL.findall(text)) / n,
                len(_SUPERLATIVES_LOW.findall(low)) / n,
                text.count("!") / n,
                len(_SECOND_PERSON_LOW.findall(low)) / n,
                len(_CTA_LOW.findall(low)) / n,
                len(_PRICE.findall(text)) / n,
                text.count("?") / n,
            ])
        # dampen: log scale keeps the linear model from chasing extreme counts
        return sparse.csr_matrix(np.log1p(np.asarray(rows, dtype=float)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray(self.names, dtype=object)


SEP = "\x1e"  # joins previous, current and next sentence in a context item


def sentence_contexts(sentences: list[str]) -> list[str]:
    """Each sentence with its neighbours, as one item: "previous␞sentence␞next"."""
    n = len(sentences)
    return [f"{sentences[i - 1] if i else ''}{SEP}{s}{SEP}{sentences[i + 1] if i + 1 < n else ''}"
            for i, s in enumerate(sentences)]


def _middle(item: str) -> str:
    parts = item.split(SEP)
    return parts[1] if len(parts) == 3 else item


def _middle_lower(item: str) -> str:
    return _middle(item).lower()


class SourcingCues(Transformer):
    """Attribution cues of a sentence: named sources, reporting verbs, quotes, roles, vagueness.

    Sentence-level indicators that n-grams capture poorly: whether a *named* source stands
    next to a reporting verb, whether a quote is closed by "a-t-il dit", whether the source is
    vague ("certains experts"). With ``context=True`` the items are "previous␞sentence␞next"
    and the previous and next sentences' cues follow the sentence's own (each distinct
    sentence is read once).
    """

    names = ("src:named_source", "src:selon", "src:reporting_verb", "src:pronoun_report",
             "src:quotes", "src:starts_with_quote", "src:quote_then_verb", "src:source_line",
             "src:capitalised_names", "src:role", "src:vague", "src:told_media")

    def __init__(self, context: bool = False):
        self.context = context

    def fit(self, X, y=None):
        return self

    def get_feature_names_out(self, input_features=None):
        names = list(self.names)
        if self.context:
            names += [n.replace("src:", "src:prev_") for n in self.names]
            names += [n.replace("src:", "src:next_") for n in self.names]
        return np.asarray(names, dtype=object)

    @staticmethod
    def _row(s: str) -> list[float]:
        if not s:
            return [0.0] * len(SourcingCues.names)
        return [
            1.0 if extract_sources(s) else 0.0,
            1.0 if _SELON_ANY.search(s) else 0.0,
            1.0 if _REPORTING.search(s) else 0.0,
            1.0 if _PRONOUN_REPORT.search(s) else 0.0,
            float(np.log1p(len(_QUOTES.findall(s)))),
            1.0 if _STARTS_QUOTE.match(s) else 0.0,
            1.0 if _QUOTE_THEN_VERB.search(s) else 0.0,
            1.0 if _SOURCE_LINE.match(s) else 0.0,
            float(np.log1p(len(_INNER_NAMES.findall(s)))),
            1.0 if _ROLE_WORD.search(s) else 0.0,
            1.0 if _VAGUE.search(s) else 0.0,
            1.0 if _TOLD_MEDIA.search(s) else 0.0,
        ]

    def transform(self, X):
        memo: dict[str, list[float]] = {}

        def row(s: str) -> list[float]:
            r = memo.get(s)
            if r is None:
                r = memo[s] = self._row(s)
            return r

        rows = []
        for item in X:
            parts = item.split(SEP)
            if len(parts) != 3:
                parts = ["", item, ""]
            r = row(parts[1])
            if self.context:
                r = r + row(parts[0]) + row(parts[2])
            rows.append(r)
        width = len(self.names) * (3 if self.context else 1)
        return sparse.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), width))


class TextFeatures(Transformer):
    """Word and character n-gram TF-IDF (:class:`~scorer.ngrams.NgramTfidf`) plus optional cues.

    Items may be context items ("previous␞sentence␞next"): the n-grams and tone cues read the
    sentence itself, the neighbours contribute their attribution cues only. Feature names are
    prefixed by block: ``word__``, ``char__``, ``cue__``, ``src__``.
    """

    def __init__(self, word_ngrams=(1, 2), char_ngrams=(2, 5), max_word_features=40000,
                 max_char_features=40000, min_df=2, cues=False, context=False):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.min_df = min_df
        self.cues = cues
        self.context = context

    def _blocks(self):
        from .ngrams import NgramTfidf

        blocks = [("word", NgramTfidf("word", tuple(self.word_ngrams), self.min_df, self.max_word_features))]
        if self.char_ngrams:
            blocks.append(("char", NgramTfidf("char_wb", tuple(self.char_ngrams), self.min_df,
                                              self.max_char_features)))
        if self.cues:
            blocks.append(("cue", CueFeatures()))
        if self.cues == "sourcing":
            blocks.append(("src", SourcingCues(context=bool(self.context))))
        return blocks

    def fit(self, items, y=None):
        items = list(items)
        middles = [_middle(x) for x in items]
        self.blocks_ = [(name, est.fit(items if name == "src" else middles)) for name, est in self._blocks()]
        return self

    def transform(self, items):
        items = list(items)
        middles = [_middle(x) for x in items]
        parts = [est.transform(items if name == "src" else middles) for name, est in self.blocks_]
        return sparse.hstack(parts, format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        return np.concatenate([np.asarray([f"{name}__{f}" for f in est.get_feature_names_out()], dtype=object)
                               for name, est in self.blocks_])


# ---------------------------------------------------------------------------------------------


class TextHead(Classifier):
    """TF-IDF (word + char n-grams, optional cue features) → logistic regression.

    ``calibrate=True`` fits, on out-of-fold decision values, a Platt scaler (binary) or a
    softmax temperature (multiclass: the winning label does not change), so that
    ``predict_proba`` is calibrated while contributions stay those of the linear model.
    """

    def __init__(self, word_ngrams=(1, 2), char_ngrams=(2, 5), max_word_features=40000,
                 max_char_features=40000, min_df=2, cues=False, C=4.0,
                 class_weight="balanced", calibrate=False, context=False, random_state=0):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_word_features = max_word_features
        self.max_char_features = max_char_features
        self.min_df = min_df
        self.cues = cues
        self.C = C
        self.class_weight = class_weight
        self.calibrate = calibrate
        self.context = context
        self.random_state = random_state

    def _make_features(self) -> TextFeatures:
        return TextFeatures(word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams,
                            max_word_features=self.max_word_features,
                            max_char_features=self.max_char_features, min_df=self.min_df,
                            cues=self.cues, context=self.context)

    def _make_model(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000,
                                  random_state=self.random_state)

    def fit(self, texts, y, sample_weight=None):
        texts = list(texts)
        y = np.asarray(y)
        self.features_ = self._make_features().fit(texts)
        X = self.features_.transform(texts)
        model = self._make_model().fit(X, y, sample_weight=sample_weight)
        self.classes_ = model.classes_
        self.calibrator_ = None
        self.temperature_ = None
        if self.calibrate and len(self.classes_) >= 2:
            # calibrated on out-of-fold decision values: Platt scaling for a binary head,
            # temperature scaling (one scalar on the logits; the winning label never changes)
            # for a multiclass one
            from sklearn.linear_model import LogisticRegression
            from sklearn.model_selection import StratifiedKFold, cross_val_predict

            cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=self.random_state)
            oof = cross_val_predict(self._make_model(), X, y, cv=cv, method="decision_function",
                                    params={"sample_weight": sample_weight} if sample_weight is not None else None)
            if len(self.classes_) == 2:
                target = (y == self.classes_[1]).astype(int)
                platt = LogisticRegression(C=1e4, max_iter=1000).fit(oof.reshape(-1, 1), target)
                self.calibrator_ = LinearModel.from_estimator(platt)
            else:
                self.temperature_ = _fit_temperature(oof, np.searchsorted(self.classes_, y))
        # scoring reads the coefficients only (scorer.fitted: no scikit-learn at serving time);
        # float32 coefficients halve the model files, predictions change below 1e-6
        self.model_ = LinearModel.from_estimator(model, dtype=np.float32)
        return self

    def transform(self, texts):
        return self.features_.transform(list(texts))

    def decision_function(self, texts):
        return self.model_.decision_function(self.transform(texts))

    def predict_proba(self, texts):
        return self.predict_proba_matrix(self.transform(texts))

    def predict_proba_matrix(self, X):
        """``predict_proba`` on features already computed by :meth:`transform`.

        Computed from the fitted coefficients (the formulas of
        ``LogisticRegression.predict_proba``, checked equal in tests/test_heads.py), then
        calibrated.
        """
        scores = self.model_.decision_function(X)
        if self.calibrator_ is not None:
            p1 = expit(self.calibrator_.decision_function(scores.reshape(-1, 1)))
            return np.column_stack([1 - p1, p1])
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1 - p1, p1])
        temperature = getattr(self, "temperature_", None)
        if temperature:
            scores = scores / temperature
        return softmax(scores)

    def predict(self, texts):
        return self.classes_[np.argmax(self.predict_proba(texts), axis=1)]

    def feature_names(self) -> np.ndarray:
        if not hasattr(self, "feature_names_"):
            self.feature_names_ = self.features_.get_feature_names_out()
        return self.feature_names_

    def contributions(self, text: str, label, top: int = 10, words_only: bool = False,
                      X=None) -> list[tuple[str, float]]:
        """The features that raised ``label``'s score most for ``text`` (tf-idf × coefficient).

        ``X``: ``transform([text])`` when the caller already has it (saves a second pass).
        """
        x = (self.transform([text]) if X is None else X).tocsr()
        classes = list(self.classes_)
        coef = self.model_.coef_
        if coef.shape[0] == 1:  # binary: one row for the positive class
            row = coef[0] if label == classes[1] else -coef[0]
        else:
            k = classes.index(label)
            row = coef[k] - np.delete(coef, k, axis=0).mean(axis=0)
        names = self.feature_names()
        vals = x.data * row[x.indices]
        order = np.argsort(-vals)
        out = []
        for j in order:
            if vals[j] <= 0:
                break
            name = str(names[x.indices[j]])
            if words_only and not (name.startswith("word__") or name.startswith("cue__") or name.startswith("src__")):
                continue
            out.append((_pretty(name), float(vals[j])))
            if len(out) >= top:
                break
        return out


def _fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature T minimising the log-loss of softmax(scores / T) (searched in 0.05..20)."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(y_index))

    def nll(log_t: float) -> float:
        p = softmax(scores / np.exp(log_t))
        return float(-np.mean(np.log(np.clip(p[rows, y_index], 1e-12, None))))

    res = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(res.x))


def _pretty(name: str) -> str:
    """'word__selon le' → 'selon le'; 'char__ incr' → '“ incr”'; 'cue__cue:price' → 'cue:price'."""
    kind, _, feat = name.partition("__")
    if kind == "char":
        return f"“{feat}”"
    return feat


# ---------------------------------------------------------------------------------------------
# Sources named in an attributed sentence

_UP = "A-ZÀ-ÖØ-Þ"
_CAP = rf"[{_UP}][\w’'\-.&/]*"  # a capitalised token: "Dr", "M.", "Heaton-Harris", "AT&T", "Nielsen/NetRatings"
_NAME = (rf"(?:{_CAP}(?:\s+(?:de|du|des|d[’']|la|le|of|the|for|van|von|der|den|da|dos|bin|al|el|ibn)?\s*"
         rf"{_CAP}){{0,4}})")
_ROLE = (r"(?:(?:le|la|l[’']|les|un|une|the|a|an)\s+)?(?:[\w’'\-]+\s+){0,2}?"
         r"(?:ministre|président(?:e)?|porte-parole|directeur|directrice|PDG|patron(?:ne)?|"
         r"chef|fondateur|fondatrice|professeur(?:e)?|chercheur(?:se)?|responsable|secrétaire|"
         r"gouverneur|maire|police|ministère|gouvernement|agence|ambassade|minister|president|"
         r"spokesman|spokeswoman|spokesperson|director|chief|founder|professor|researcher|"
         r"governor|mayor|ministry|government|agency|embassy|CEO|chairman|head|police)"
         # one adjective when a complement or a name follows: "le ministre guinéen de la Santé",
         # "le président élu Biden"
         r"(?:\s+(?!(?:de|du|des|à|au|aux|et|qui|que|lors|dans|en|sur|pour|par|avec|and|of|at|in|on|"
         r"who|that)\b)[a-zà-öø-ÿ][\w’'\-]*(?=\s+(?:de\b|du\b|des\b|d[’']|[A-ZÀ-ÖØ-Þ])))?"
         r"(?:\s+(?:de|du|des|d[’']|de la|de l[’']|of|of the|at|chez)\s*[\w’'\-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]*){0,3})?"
         r"(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]+){0,2})?")
# a French institution named with lower-case words: "l'Agence nationale de la statistique",
# "l'Organisation mondiale de la santé", "le ministère de l'Intérieur", "la Banque centrale"
_INSTITUTION = (r"(?:(?:le|la|les|Le|La|Les)\s+|[lL][’']\s*)?"
                r"(?:Agence|Office|Institut|Banque|Fonds|Fédération|[Mm]inistère|Organisation|Conseil|"
                r"Commission|Cour|Université|Fondation|Autorité|Direction|Syndicat|Assemblée|"
                r"Observatoire|Haut-Commissariat|Parquet|Tribunal|Caisse|Comité|Centre|Confédération)"
                r"(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]+){0,3}"  # "l'Université Johns Hopkins"
                r"(?:\s+[a-zà-öø-ÿ\-]+(?:al|ale|ales|aux|el|elle|elles|els|ien|ienne|iennes|ain|aine|"
                r"aines|ais|aise|aises|ique|iques|aire|aires|é|ée|ées|és|ive|ives|if|ifs|unies|unis|eur|enne|ennes|éen|"
                r"eure|ial|iale)\b){0,2}"
                r"(?:\s+(?:de la|de l[’']|du|des|de|d[’']|pour la|pour le|pour l[’'])\s*[\wÀ-ÿ’'\-]+"
                r"(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w’'\-]+|unies|publique|nationale|sociale|humains|étrangères))?)?")
_SOURCE_LINE = re.compile(r"^\s*\(?\s*(?:sources?|crédits?|via)\s*:\s*(.+?)\s*\)?\s*$", re.I)
# a noun phrase ending in a proper name: "le journal kenyan Star", "la société de recrutement
# Careerbuilder", "Chief Constable Pam Kelly" (no clause word such as "que"/"that" inside)
_LOWER_WORD = (r"(?!(?:que|qu|that|if|si|in|on|at|dans|en|sur|to|with|avec|lors|when|after|before|à|au|aux|par|by|"
               r"après|avant|it|il|elle|he|she|they|ils|elles|who|qui|which|dont|and|et|or|ou|but|mais)\b)"
               r"[a-zà-öø-ÿ][\w’'\-]*\s+")
_DET = r"(?:(?:le|la|les|un|une|the|a|an|Le|La|Les|The)\s+|[lL][’']\s*)"
_NP = rf"(?:{_DET}?(?:{_LOWER_WORD}){{0,4}}?{_NAME})"
_SELON = re.compile(
    r"(?:\b[Ss]elon|\b[Dd][’']après|\b[Aa]ccording to|\b[Cc]ité par|\b[Qq]uoted by|\b[Rr]apporte|"
    r"\b[Rr]eported by|\b[Pp]ubliée?s? par|\b[Pp]ublished by)\s+"
    rf"({_INSTITUTION}|(?:(?:le|la|les|the)\s+|l[’']\s*)?(?:{_NAME}|{_NP}|{_ROLE}))",
)
_VERBS_FR = (r"(?:a|ont|avait|aurait)\s+(?:déclaré|affirmé|annoncé|indiqué|expliqué|précisé|ajouté|souligné|"
             r"estimé|assuré|confié|dit|admis|reconnu|écrit|rapporté|dénoncé|averti|martelé|insisté|"
             r"confirmé|révélé|soutenu|prévenu|réagi|noté|lancé|raconté|déploré|plaidé)|"
             r"(?:déclare|affirme|estime|explique|souligne|indique|assure|ajoute|précise|rapporte|"
             r"annonce|prévient|dénonce|reconnaît|admet|confie|juge|écrit)")
_VERBS_EN = (r"(?:said|says|told|announced|reported|stated|claimed|added|explained|warned|wrote|"
             r"confirmed|noted|argued|estimated|insisted|admitted|revealed|tweeted|posted)")
# Verbs that report what a source says, for finding names (wider than _VERBS_FR/_VERBS_EN, which
# also feed the attribution cues of the fitted model and so stay as they are).
_PART_FR = (r"(?:déclaré|affirmé|annoncé|indiqué|expliqué|précisé|ajouté|souligné|estimé|assuré|confié|dit|"
            r"admis|reconnu|écrit|rapporté|dénoncé|averti|martelé|insisté|confirmé|révélé|soutenu|prévenu|"
            r"réagi|noté|lancé|raconté|déploré|plaidé|appelé|exprimé|démenti|rejeté|salué|réitéré|répondu|"
            r"demandé|réclamé|recommandé|accusé|promis|proposé|nié|contesté|qualifié|jugé|signalé|"
            r"fait savoir|fait valoir|laissé entendre|évoqué|rappelé|regretté|critiqué|condamné|mis en garde|"
            r"publié|constaté|conclu|observé|prédit|menacé|exhorté|tweeté|posté|reproché|témoigné|"
            r"mentionné|suggéré|répliqué|relevé|commenté|décrit|assuré|affirmé|expliqué|estimé|"
            r"tenu à (?:préciser|souligner|rappeler))")
_PRES_FR = (r"(?:dit|disent|déclarent|déclare|affirment|affirme|estiment|estime|expliquent|explique|"
            r"soulignent|souligne|indiquent|indique|assurent|assure|ajoutent|ajoute|précisent|précise|"
            r"rapportent|rapporte|annoncent|annonce|préviennent|prévient|dénoncent|dénonce|reconnaissent|"
            r"reconnaît|admettent|admet|confient|confie|jugent|juge|écrivent|écrit|relèvent|relève|"
            r"regrettent|regrette|notent|note|racontent|raconte|rappellent|rappelle|poursuit|insistent|"
            r"insiste|soutiennent|soutient|confirment|confirme|révèlent|révèle|signalent|signale|observent|"
            r"observe|constatent|constate|concluent|conclut|martèle|avertissent|avertit|déplorent|déplore|"
            r"réclament|réclame|demandent|demande|recommandent|recommande|accusent|accuse|appellent|"
            r"appelle|pensent|pense|croient|croit|considèrent|considère|craignent|craint|témoignent|"
            r"témoigne|répondent|répond|réagit|plaident|plaide|promettent|promet|démentent|dément|nient|"
            r"nie|contestent|conteste|exigent|exige|espèrent|espère|maintient|réitère|mentionne|"
            r"suggère|réplique|commente|résume|tranche|ironise|conseille|souhaite|salue|saluent|"
            r"déclara|affirma|expliqua|ajouta|répondit|lança|précisa|poursuivit|"
            r"s[’']inquiète|s[’']inquiètent|se félicite|se félicitent|se dit|se disent|se réjouit|"
            r"s[’']est (?:dit|dite|prononcée?|exprimée?|félicitée?|inquiétée?|montrée?|déclarée?)|"
            r"se sont (?:dits|dites|prononcés|exprimés|félicités|inquiétés|montrés|déclarés))")
_ADV_FR = r"(?:également|aussi|notamment|encore|déjà|ensuite|alors|pourtant|toutefois|lui-même|elle-même|\w+ment)"
_SAY_FR = (rf"(?:(?:a|ont|avait|avaient|aurait|auraient)(?:\s+{_ADV_FR}){{0,2}}\s+{_PART_FR}|{_PRES_FR})")
_SAY_EN_WORD = (r"(?:said|says|say|told|tells|announced|announces|reported|stated|claimed|"
                r"added|adds|explained|explains|warned|warns|wrote|writes|confirmed|confirms|noted|"
                r"argued|argues|estimated|insisted|insists|admitted|admits|revealed|reveals|"
                r"tweeted|posted|reiterated|reiterates|denied|denies|urged|urges|accused|accuses|appealed|"
                r"called for|calls for|called on|calls on|believes|believe|thinks|predicted|predicts|"
                r"recommended|recommends|acknowledged|acknowledges|suggested|suggests|described|describes|"
                r"asked|replied|responded|concluded|concludes|agreed|pointed out|points out|found|"
                r"showed|indicated|indicates|disclosed|discloses|alleged|alleges|stressed|stresses|"
                r"emphasi[sz]ed|cautioned|complained|conceded|declared|declares|maintained|maintains|"
                r"recalled|recalls|testified|blamed|blames|critici[sz]ed|welcomed|"
                r"welcomes|questioned|promised|vowed|vows|expressed|raised concerns)")
_SAY_EN = (r"(?:(?:has|have|had|also|previously|earlier|later|then|would|will|further|publicly|"
           rf"repeatedly|separately)\s+){{0,2}}{_SAY_EN_WORD}")
_SAY = rf"(?:{_SAY_FR}|{_SAY_EN})"
_WHEN = (r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|lundi|mardi|mercredi|"
         r"jeudi|vendredi|samedi|dimanche|hier|yesterday|today|aujourd[’']hui|ce\s+\w+|this\s+\w+|last\s+\w+)")
_SUBJECT_VERB = re.compile(
    rf"(?P<name>{_NAME})(?:\s*\([^()]{{1,60}}\))?(?:\s*,(?P<appos>[^,«»“”\"]{{2,120}}),)?(?:\s+{_WHEN})?"
    rf"\s+{_SAY}\b")
# a possessive noun phrase as subject: "Nadia Cruz's office said", "China's foreign ministry
# said", "Bolivia's public defender's office said"
_POSSESSIVE_SUBJECT = re.compile(
    rf"(?!(?:It|That|There|What|Here|Let|Who|He|She)[’']s)(?P<name>{_NAME}[’']s"
    r"(?:\s+(?!(?:has|have|had|been|is|was|are|were|be|and|or|but|on|to|in|at|of|for|with|that|which|"
    r"who|will|would|could|should|may|might|can|not|also)\b)[a-z][\w’'\-]*){1,3})"
    rf"(?:\s+{_WHEN})?\s+{_SAY}\b")
# an organisation or role as subject: "La Fédération américaine de gymnastique a déclaré",
# "Le ministère américain de la justice confirme", "Le laboratoire chinois DeepSeek affirme" (at
# the start of a clause; lower-case words before the name only after an organisation noun, so
# that "Le choc Deepseek révèle" is not a source)
_ORG_NOUN = (r"(?:société|groupe|entreprise|firme|compagnie|laboratoire|start-?up|fédération|association|"
             r"organisation|ONG|banque|constructeur|opérateur|géant|fabricant|cabinet|institut|agence|"
             r"company|firm|group|lab|laboratory|bank|organi[sz]ation|federation|association|agency|"
             r"carmaker|maker|giant|operator|institute|think\s+tank|charity|union|syndicat)")
_NP_SUBJECT = re.compile(
    rf"(?:^|[:;]\s+|,\s+(?:et|and|mais|but)\s+|\b(?:et|and|mais|but)\s+)(?P<name>{_DET}"
    rf"(?:{_ORG_NOUN}\s+(?:{_LOWER_WORD}){{0,2}})?"
    rf"(?:[{_UP}][\w’'\-]*|(?:ministère|gouvernement|police|agence|ambassade|ministry|government|agency|"
    rf"embassy))(?:\s+[\w’'\-]+){{0,5}}?)(?:\s*\([^()]{{1,60}}\))?\s+{_SAY}\b")
# inversion after a quote or a clause: "», a déclaré le ministre X", ", said Chancellor X",
# "comme l'a dit l'analyste X"; an outlet that only received the words ("a expliqué à la BBC",
# "told Reuters") is skipped
_INV_VERB = (rf"(?:(?:a|ont|avait|aurait)(?:\s+{_ADV_FR}){{0,2}}\s+{_PART_FR}|{_PRES_FR}|said|says|added|"
             r"adds|wrote|writes|explained|explains|asked|replied|continued|recalled|noted|warned|insisted|"
             r"admitted|argued|tweeted|posted|stated|declared|concluded|reported|confirmed|announced)")
_VERB_SUBJECT = re.compile(
    rf"(?:[,»”\"“:]|''|[’']{{2}}|\bl[’']a|\bl[’']ont|^)\s*{_INV_VERB}"
    rf"(?:\s+(?:à|au|aux|to)\s+(?:la\s+|le\s+|les\s+|l[’']\s*|the\s+)?{_CAP}(?:\s+{_CAP}){{0,3}}(?:\s+{_NAME})??)??"
    rf"(?:\s+{_WHEN})?\s+(?P<name>{_INSTITUTION}|{_ROLE}|{_NP})")
# news-agency datelines: "AFP - The African Union…", "MOSCOW, Aug. 18 (Xinhuanet) -- …", "(Reuters) -"
_DATELINE = re.compile(r"(?:^|\s)\(?(?P<name>AFP|AP|Reuters|Xinhua(?:net)?|Bloomberg|Belga|ATS|APS|"
                       r"Agence France-Presse|Associated Press|[A-Z][A-Za-z]+\.com)\)?\s+--?\s")
_ON_PLATFORM = re.compile(rf"^(?P<name>{_NAME})\s*,\s*(?:sur|on|dans|in)\s+[A-Z]\w+\s*$")
_STOP_NAMES = {"Le", "La", "Les", "L'", "Il", "Elle", "Ils", "Elles", "Mais", "Et", "Pour", "Selon",
               # pronouns and discourse markers before a verb: "Cela dit, …", "Tout le monde dit"
               "Cela", "Ceci", "Ça", "Celui-ci", "Celle-ci", "Ceux-ci", "Tout", "Rien", "Personne",
               "Chacun", "Chacune", "Aucun", "Aucune", "Everyone", "Everybody", "Nobody", "Someone",
               "Somebody", "Anyone", "One", "You", "Vous",
               "The", "He", "She", "They", "It", "But", "And", "Cette", "Ce", "Cet", "Ces", "Un",
               "Une", "This", "That", "These", "We", "Nous", "On", "Je", "I", "Si", "If", "En",
               "In", "Dans", "Au", "Aux", "A", "À", "Monday", "Tuesday", "Wednesday", "Thursday",
               "Friday", "Saturday", "Sunday", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi",
               "Samedi", "Dimanche", "Today", "Yesterday", "Hier", "Aujourd'hui",
               # months and quantifiers: "said in October", "Others said", "Plusieurs ont déclaré"
               "January", "February", "March", "April", "June", "July", "August",
               "September", "October", "November", "December", "Janvier", "Février",
               "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre", "Novembre",
               "Décembre", "Others", "Many", "Some", "Most", "Several", "All", "Both", "Each",
               "Plusieurs", "Certains", "Certaines", "Beaucoup", "Tous", "Toutes", "D'autres",
               "D’autres",
               # sentence adverbs and connectives before a comma: "Cependant, X a déclaré"
               "Cependant", "Pourtant", "Toutefois", "Néanmoins", "Ainsi", "Enfin", "Alors", "Puis",
               "Indirectement", "Finalement", "Désormais", "However", "Meanwhile", "Still", "Yet", "So",
               "Then", "Later", "Also", "Now", "Here", "There", "What", "Who", "When", "While",
               "Mr", "Mrs", "Ms", "Dr", "M.", "Mme", "Pr", "Sir", "Lord"}
_FULL_NAME = re.compile(rf"\s*{_NAME}\s*")
# a name after a preposition is a place or an object, not the subject: "un camp au Darfour
# affirme" / "a camp in Darfur tells", "sur Facebook indique"
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|from|to|of|on|for|with|by|into|near|à|au|aux|de|du|des|dans|en|"
                                 r"sur|pour|par|avec|vers|chez|comme|like)\s*$", re.I)


_CONJUNCTIONS = {"And", "But", "So", "Or", "Yet", "Then", "Et", "Mais", "Ou", "Donc", "Alors", "Puis"}


def _clean_name(name: str) -> str | None:
    name = name.strip(" ,.;:«»\"“”()")
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"[’']s$", "", name)  # "The We Company’s statement" → "The We Company"
    words = name.split(" ")
    while len(words) > 1 and words[0] in _CONJUNCTIONS:  # "And I said" → "I" (then refused)
        words = words[1:]
    name = " ".join(words)
    if not name or name in _STOP_NAMES or len(name) < 2:
        return None
    first = name.split(" ")[0]
    if first in _STOP_NAMES and len(name.split(" ")) == 1:
        return None
    # "L’entreprise", "D’autres": an elided article before a common noun is not a name
    if re.match(r"^[LlDdQqJj][’']\s*[a-zà-öø-ÿ]", name) and " " not in name:
        return None
    return name[:80]


def merge_sources(names: list[str]) -> list[str]:
    """Deduplicate source names of one document: "M. Ng" and "Ng" fold into "Andrew Ng"."""
    out: list[str] = []
    for name in names:
        last = name.split()[-1].lower()
        match = next((i for i, o in enumerate(out)
                      if o.lower() == name.lower() or (o.split()[-1].lower() == last and o[:1].isupper()
                                                       and name[:1].isupper())), None)
        if match is None:
            out.append(name)
        elif len(name) > len(out[match]) and not name.startswith(("M. ", "Mr ", "Mme ", "Ms ", "Mrs ", "Dr ")):
            out[match] = name
    return out


def extract_sources(sentence: str) -> list[str]:
    """Names of the sources an attributed sentence cites, in order of appearance.

    Recognises "Source : X", "selon X" / "d'après X" / "according to X" (also "selon le journal
    X"), "X a déclaré" / "X dit" / "X has said" (with an apposition between commas, an acronym in
    brackets or a day in between; "le patron de Y, X, a déclaré" gives X; not after a preposition),
    an organisation or role opening a clause ("Le ministère de la Santé confirme"), "», a déclaré
    X" / ", said X" after a quote or comma (skipping the outlet that received the words: "a
    expliqué à la BBC X"), a possessive subject ("China's foreign ministry said"), and "X, sur
    Twitter".
    """
    found: list[tuple[int, int, str]] = []
    m = _SOURCE_LINE.match(sentence)
    if m:
        value = m.group(1)
        url = re.match(r"https?://(?:www\.)?([^/\s]+)", value)
        found.append((m.start(1), m.end(1), url.group(1) if url else value))
    for rx in (_SELON, _SUBJECT_VERB, _POSSESSIVE_SUBJECT, _NP_SUBJECT, _VERB_SUBJECT, _ON_PLATFORM, _DATELINE):
        if ((rx is _DATELINE and "-" not in sentence) or (rx is _ON_PLATFORM and "," not in sentence)
                or (rx is _POSSESSIVE_SUBJECT and "’s" not in sentence and "'s" not in sentence)):
            continue  # cheap pre-checks: these rules need a dash / a comma / a possessive
        for m in rx.finditer(sentence):
            key = "name" if "name" in rx.groupindex else 1
            if rx is _SUBJECT_VERB:
                if m.group("appos") and _FULL_NAME.fullmatch(m.group("appos")):
                    key = "appos"  # "l'avocat de Zuma, Dan Mantsha, a déclaré": the name is the apposition
                elif _PREPOSITION_BEFORE.search(sentence, max(0, m.start() - 8), m.start()):
                    continue
            found.append((m.start(key), m.end(key), m.group(key)))
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for start, end, name in sorted(found, key=lambda f: (f[0], f[0] - f[1])):
        if any(s <= start and end <= e for s, e in spans):
            continue  # inside a longer name already taken ("le ministre X" / "X")
        clean = _clean_name(name)
        if clean and not any(clean.lower() == o.lower() for o in out):
            out.append(clean)
            spans.append((start, end))
    return out


# An attributed sentence with no name of its own ("« … », a-t-il ajouté", "She added that …", a
# quote running over several sentences, "the company said") takes the source named last in the
# document, if that was at most this many sentences back (a resolved sentence counts as naming
# it, so a long quote carries its speaker along). The labelling guideline attributes quote
# continuations and pronoun speakers, with the names resolved from the neighbours in `sources`.
# First swept 0–3 with four definitions of "needs an antecedent" (quotes and pronoun reports
# only): name F1 0.44 (no resolution: recall 0.30, precision 0.85) → 0.51 at 1 (recall 0.37,
# precision 0.82). With the wider extract_sources (recall 0.38, precision 0.90 before any
# resolution), swept 0, 1, 2, 3, 5, 10 × {quote/pronoun reports, also "dit-il", any attributed
# sentence without a name} × {chained, own names only}, train split: quotes/pronouns only peak at
# recall 0.51, precision 0.80 (window 3); any attributed sentence, chained: 1 → recall 0.52,
# precision 0.81; 2 → 0.57 / 0.77 (best F1, 0.66); 3 → 0.58 / 0.75; 10 → 0.58 / 0.72.
RESOLVE_WINDOW = 2
def document_sources(sentences: list[str], attributed: list[bool]) -> list[list[str]]:
    """The sources of each attributed sentence of one document, pronouns and quotes resolved.

    A sentence's own names come from :func:`extract_sources`; an attributed sentence without
    one (a quote, a pronoun report, a role such as "the company said") takes the last source
    named within :data:`RESOLVE_WINDOW` sentences before it. Shared by scoring and by evaluation.
    """
    out: list[list[str]] = []
    last: str | None = None
    last_at = -RESOLVE_WINDOW - 1
    for i, (sentence, attr) in enumerate(zip(sentences, attributed)):
        names = extract_sources(sentence) if attr else []
        if attr and not names and last is not None and i - last_at <= RESOLVE_WINDOW:
            names = [last]
        if names:
            last, last_at = names[0], i
        out.append(names)
    return out


_SELON_ANY = re.compile(r"\b(?:selon|d[’']après|according to|cité par|quoted by|as reported by|"
                        r"rapporte|reports?)\b", re.I)
_REPORTING = re.compile(rf"\b(?:{_VERBS_FR}|{_VERBS_EN})\b", re.I)
_PRONOUN_REPORT = re.compile(
    r"\b(?:a-t-(?:il|elle)|ont-(?:ils|elles)|(?:il|elle|ils|elles)\s+(?:a|ont|avait)\s+\w+é|"
    r"(?:he|she|they)\s+(?:said|says|added|told|explained|wrote|warned))\b", re.I)
_STARTS_QUOTE = re.compile(r"^\s*[«“\"]")
_QUOTE_THEN_VERB = re.compile(r"[»”\"]\s*,?\s*(?:a|ont|affirme|estime|explique|ajoute|said|says|added|"
                              r"he|she|they|told|a-t-)", re.I)
_INNER_NAMES = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]+)+")
_ROLE_WORD = re.compile(
    r"\b(?:ministre|président(?:e)?|porte-parole|directeur|directrice|PDG|patron(?:ne)?|fondat(?:eur|rice)|"
    r"professeur(?:e)?|chercheu(?:r|se)|responsable|secrétaire|gouverneur|maire|avocat(?:e)?|"
    r"minister|president|spokes(?:man|woman|person)|director|chief|founder|professor|researcher|"
    r"governor|mayor|lawyer|CEO|chairman|analyst)\b", re.I)
_VAGUE = re.compile(
    r"\b(?:certains|plusieurs|des|de nombreux)\s+(?:experts|observateurs|analystes|spécialistes|sources|"
    r"médias|responsables)|\bsources? proches?|\bon (?:dit|estime|pense)|\bsome (?:experts|analysts|"
    r"observers|sources)|\bsources close|\bit is (?:said|believed)|\bexperts (?:say|believe)", re.I)
_TOLD_MEDIA = re.compile(r"\b(?:told|a (?:confié|déclaré|indiqué|expliqué) à|interrogé par|"
                         r"in an interview with|dans un entretien (?:à|avec)|speaking to)\b", re.I)
