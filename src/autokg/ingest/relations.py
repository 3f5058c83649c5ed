"""Rules for competition (positioning, rivalry, resemblance), variants and successors, launch plans
and market entries."""

from __future__ import annotations

import re

from .cues import cue
from .context import MODEL_ANAPHOR, ORG_ANAPHOR, SentenceContext, claim_kind
from .gazetteer import ORG_KINDS, Mention
from .model import Candidate, Period
from .periods import FORWARD

__all__ = ["competition_candidates", "variant_candidates", "launch_candidates", "market_candidates", "MARKET_WORDS"]

_RESEMBLANCE = cue("resemblance")
_POSITIONING = cue("positioning")
# "takes aim at", "rivals", "competes with": a rivalry.
_RIVALRY = re.compile(
    r"\btak(?:es|e|ing) aim at\b|\bgo(?:es|ing)? (?:directly |squarely )?after\b|\brival(?:s|led|ling|ing)?\b|"
    r"\bcompet(?:es|e|ing|itor|itors|ition)\b|\bchalleng(?:er|ers|es|e|ing)\b|\bbattl(?:es|e|ing)\b|"
    r"\btak(?:es|e|ing) on\b|\bup against\b|\banswer to\b|\bcompared (?:\w+ ){0,3}(?:with|to)\b|"
    r"\bcomparisons? with\b|\bpressure (?:\w+ ){0,3}from\b|\bsame (?:segment|class) as\b|\bversus\b|\bvs\.? |"
    r"\bfights?\b|\bfighting\b|\bslug it out\b|\bheadwinds from\b|\balternative to\b", re.I)
_DESIGN = re.compile(r"\b(?:silhouette|design|styling|looks|face|profile|interior|exterior|shape|lines|visually)\b", re.I)
_VARIANT = re.compile(
    r"\b(?:an?|the|its) (?P<words>(?:[\w-]+ ){0,4}?)(?:version|variant|derivative|edition|iteration|spin-off|offshoot)"
    r" of (?:the |its )?", re.I)
_SUCCESSOR = re.compile(r"\b(?:the )?successor (?:to|of) (?:the |its )?|\b(?:will |to )?replace[sd]? (?:the |its )", re.I)
_VARIANT_KINDS = [
    ("long-wheelbase", r"long[- ]wheelbase|lwb|stretched|longer|extended-wheelbase"),
    ("performance", r"performance|sportier|sports?|faster|more powerful|hot"),
    ("body-derivative", r"coupe|wagon|estate|shooting brake|convertible|cabriolet|pickup"),
    ("powertrain-derivative", r"extended-range|range-extender|range extender|plug-in hybrid|hybrid|electric|erev|phev"),
    ("facelift", r"facelifted|refreshed|updated|revised"),
    ("rebadge", r"rebadged|badge-engineered"),
]
_FUTURE = r"(?:will|to|plans? to|planning to|is set to|are set to|set to|is due to|due to|intends? to|aims? to|" \
          r"is preparing to|prepares to|is poised to|is expected to|are expected to|expects? to|is going to|would|" \
          r"is scheduled to|is slated to|hopes? to|is to|are to|hopes? (?:we|it|they) (?:can|will|could))"
_LAUNCH_ACTIVE = re.compile(
    rf"\b{_FUTURE}\s+(?:\w+ ){{0,2}}?(?:launch|unveil|introduce|debut|release|roll out|bring out|reveal|premiere|"
    r"start (?:selling|deliveries of|sales of|production of)|begin (?:selling|deliveries of|sales of))\b|"
    r"\bis (?:preparing|readying)\b|\b(?:next|upcoming) (?:releases?|models?|launches) (?:will )?include\b|"
    r"\b(?:line-?up|pipeline) (?:will )?includes?\b", re.I)
_LAUNCH_PASSIVE = re.compile(
    rf"\b(?:{_FUTURE}|should)\s+(?:\w+ ){{0,2}}?(?:go on sale|launch|arrive|debut|hit (?:the )?(?:market|showrooms|roads)|"
    r"be (?:launched|unveiled|introduced|released|revealed|presented)|reach (?:customers|showrooms)|make its debut)\b", re.I)
_ENTRY = re.compile(
    rf"\b{_FUTURE}\s+(?:\w+ ){{0,2}}?(?:enter|expand (?:into|to|in)|move into|launch in|break into|push into|export to|"
    r"roll out in|(?:start|begin) (?:selling|sales|exports?|exporting|deliveries)(?: \w+){0,4}? (?:in|to)|sell(?: \w+){0,2}? in|"
    r"(?:launch|introduce|bring|roll out) (?:its |the |their )?(?:[\w-]+ ){0,2}?brand(?: \w+){0,2}? (?:in|to)|"
    r"(?:expand|go|move|venture) (?:overseas|abroad|internationally)|"
    r"(?:introduce|bring|take|ship) (?:its |the |their )?(?:[\w()-]+ ){0,4}?(?:to|into)(?= (?:the )?[A-Z])|"
    r"sell (?:its |the |their )?(?:[\w()-]+ ){0,4}?(?:overseas|abroad|internationally)|"
    r"go on sale in|arrive in|debut in|expand (?:its )?(?:\w+ ){0,2}(?:to|into))\b", re.I)
_CODE_NAME = re.compile(r"\b(?:code-?named |dubbed |called |named )?(?P<name>[A-Z][A-Za-z]{0,3}-?\d{1,3}[A-Za-z+]{0,2})\b")
_NOT_A_CODE = re.compile(r"^(?:Q[1-4]|H[12]|[1-4]Q\d*|CO2|\d.*)$")

#: Market names not in the scheme's labels: demonyms and shorthands, to concept notations.
MARKET_WORDS = {
    "japanese": "JP", "chinese": "CN", "german": "DE", "french": "FR", "british": "GB", "uk": "GB", "italian": "IT",
    "spanish": "ES", "dutch": "NL", "norwegian": "NO", "swedish": "SE", "danish": "DK", "belgian": "BE",
    "swiss": "CH", "austrian": "AT", "polish": "PL", "turkish": "TR", "korean": "KR", "south korean": "KR",
    "indian": "IN", "thai": "TH", "malaysian": "MY", "indonesian": "ID", "vietnamese": "VN", "australian": "AU",
    "brazilian": "BR", "mexican": "MX", "american": "US", "us": "US", "u.s.": "US", "canadian": "CA",
    "saudi": "SA", "emirati": "AE", "israeli": "IL", "european": "europe", "middle eastern": "middle-east",
    "latin american": "latin-america", "southeast asian": "southeast-asia", "global": "world",
}
_OUTSIDE_CHINA = re.compile(r"\b(?:markets? outside (?:of )?(?:mainland )?China|outside (?:of )?(?:mainland )?China|"
                            r"overseas|abroad|international markets?|global markets?|foreign markets?)\b", re.I)


def _anaphor_model(ctx: SentenceContext, a: int, b: int) -> str | None:
    return ctx.discourse.model if MODEL_ANAPHOR.search(ctx.text, a, b) else None


def _cand(ctx: SentenceContext, kind: str, subject: str, value, rule: str, confidence: float, claim: str,
          **fields) -> Candidate:
    return Candidate(kind=kind, subject=subject, value=value, sentence=ctx.text, start=ctx.sentence.start,
                     end=ctx.sentence.end, rule=rule, confidence=confidence, claim_kind=claim, **fields)


def competition_candidates(ctx: SentenceContext) -> list[Candidate]:
    """"A takes aim at B", "positioned as a rival to B, the A ...", "A, which resembles B"."""
    out = []
    for a, b in ctx.clauses:
        clause = ctx.text[a:b]
        for relation, pattern in (("resemblance", _RESEMBLANCE), ("positioning", _POSITIONING), ("rivalry", _RIVALRY)):
            cue = pattern.search(clause)
            if cue is None:
                continue
            if relation == "rivalry" and _DESIGN.search(clause):
                relation = "resemblance"
            cue_start, cue_end = a + cue.start(), a + cue.end()
            others = _listed(ctx, [m for m in ctx.mentions if cue_end <= m.start < b and (m.kind == "model" or _new_model(m))])
            if not others:
                break
            # The subject: a model named in this clause before the cue, else "it"/"the car" in it,
            # else a model named earlier in the sentence, else one after ("Positioned as ..., the YU7").
            in_clause = ctx.nearest_before(cue_start, kinds=("model",), floor=a)
            new_model = next((m for m in reversed(ctx.mentions) if _new_model(m) and a <= m.start < cue_start), None)
            if new_model is not None and (in_clause is None or new_model.start > in_clause.start):
                in_clause = new_model
            earlier = ctx.nearest_before(cue_start, kinds=("model",))
            confidence = 0.8
            if in_clause is not None:
                subject_iri = in_clause.iri
            elif (iri := _anaphor_model(ctx, a, cue_start)) is not None:
                subject_iri, confidence = iri, 0.65
            elif earlier is not None:
                subject_iri = earlier.iri
            else:
                later = [m for m in ctx.after(others[-1].end, kinds=("model",))]
                if not later:
                    break
                subject_iri = later[0].iri
            kind, by = claim_kind(ctx.text, ctx, default="analyst-view", plans_are_statements=False)
            if kind == "company-statement" and by is None and not re.search(r"\b(?:company|maker|brand)\b", ctx.text, re.I):
                kind = "analyst-view"
            for other in others:
                if other.iri != subject_iri and not _same_family(ctx, subject_iri, other.iri):
                    out.append(_cand(ctx, "competition", subject_iri, other.iri, f"competition/{relation}", confidence,
                                     kind, relation=relation, stated_by=by))
            ctx.discourse.model = subject_iri
            break
    return out


def _same_family(ctx: SentenceContext, a: str, b: str) -> bool:
    """A variant set against its own base ("six seats, compared to the standard Model Y's five") is
    no rivalry: the graph links them, or one's name is the other's and more (a new variant)."""
    base = ctx.gaz.base
    if b in base.get(a, ()) or a in base.get(b, ()):
        return True
    names = [ctx.gaz.label(x) if not x.startswith("new:") else x[4:] for x in (a, b)]
    short, long = sorted(names, key=len)
    return bool(short) and long.startswith(short + " ")


def _listed(ctx: SentenceContext, models: list[Mention]) -> list[Mention]:
    """The first model after a cue and those listed with it ("the Volvo EX30 and the BYD Atto 3",
    "the YU9, the YU7 GT and the SU7 L"), but not a name after a comma that ends the list."""
    if not models:
        return []
    listed = [models[0]]
    gaps = [ctx.text[x.end:y.start] for x, y in zip(models, models[1:])]
    item = r"(?:the |its |a |an )?(?:[\w-]+ ){0,2}"
    for i, gap in enumerate(gaps):
        if re.fullmatch(rf"\s*(?:,\s*|;\s*)?(?:and|or|as well as|plus) {item}", gap):
            listed.append(models[i + 1])
            break
        if re.fullmatch(rf"\s*[,;]\s*{item}", gap) and any(
                re.fullmatch(rf"\s*[,;]?\s*(?:and|or|as well as) {item}", g) for g in gaps[i + 1:]):
            listed.append(models[i + 1])
            continue
        break
    return listed


def variant_candidates(ctx: SentenceContext) -> list[Candidate]:
    """"A, a long-wheelbase version of the B" and "A, the successor to the B"."""
    out = []
    for relation, pattern in (("variant", _VARIANT), ("successor", _SUCCESSOR)):
        for cue in pattern.finditer(ctx.text):
            base = ctx.after(cue.end(), kinds=("model",), limit=cue.end() + 40)
            subject = ctx.nearest_before(cue.start(), kinds=("model",))
            subject_iri = subject.iri if subject is not None else _anaphor_model(ctx, 0, cue.start())
            if not base or subject_iri is None or subject_iri == base[0].iri:
                continue
            variant_kind = None
            if relation == "variant":
                words = cue.group("words").lower()
                variant_kind = next((k for k, p in _VARIANT_KINDS if re.search(rf"\b(?:{p})\b", words)), None)
            kind, by = claim_kind(ctx.text, ctx, default="media-report", plans_are_statements=False)
            out.append(_cand(ctx, "variant", subject_iri, base[0].iri, f"lineage/{relation}", 0.8 - 0.15 * (subject is None), kind,
                             relation=relation, variant_kind=variant_kind, stated_by=by))
    return out


def _org_subject(ctx: SentenceContext, pos: int) -> tuple[str | None, bool]:
    """The company a plan belongs to: named before the cue, or the one the article is about."""
    known = ctx.nearest_before(pos, kinds=ORG_KINDS + ("model",))
    new = next((m for m in reversed(ctx.mentions) if _new_company(m) and m.end <= pos), None)
    m = max((x for x in (known, new) if x is not None), key=lambda x: x.start, default=None)
    if m is not None and (m.is_org or _new_company(m)):
        return m.iri, False
    if m is not None:
        return None, False  # a model is the subject: "the ES90 will go on sale in Europe"
    if ORG_ANAPHOR.search(ctx.text, 0, pos) or ctx.discourse.org:
        return ctx.discourse.org, True
    return None, False


def _planned_period(ctx: SentenceContext, start: int, end: int) -> Period | None:
    after = [p for p in ctx.periods if start <= p.start < end] + [p for p in ctx.periods if p.end <= start]
    for p in after:
        if re.search(r"\breports?\s+(?:from|in)\s+$|\bsaid (?:on|in)\s+$", ctx.text[max(0, p.start - 14):p.start], re.I):
            continue
        period = p.resolve(FORWARD)
        if period is not None:  # "by the end of next year" is a plan's last day
            return period
    return None


def _stated_on(ctx: SentenceContext) -> str | None:
    for p in ctx.periods:
        if re.search(r"\breports?\s+(?:from|in|of)\s+$", ctx.text[max(0, p.start - 14):p.start], re.I):
            period = p.resolve()
            if period is not None:
                return period.start[:7] if period.kind == "month" else period.start[:4] if period.kind == "year" else period.start
    return None


def _code_name(ctx: SentenceContext, start: int, end: int) -> re.Match | None:
    """The first model-like name ("ES90", "MX11") between start and end that the graph does not know."""
    for c in _CODE_NAME.finditer(ctx.text, start, end):
        if _NOT_A_CODE.match(c.group("name")):
            continue
        if any(p.start <= c.start() < p.end for p in ctx.periods) or any(
                m.start <= c.start("name") < m.end for m in ctx.mentions if m.kind != "new"):
            continue
        return c
    return None


def _market_follows(text: str, market_names: dict[str, str]) -> bool:
    m = re.match(r"^(?:\s[\w-]+){0,2}?\s(?:in|into|to) (?:the )?([A-Z][\w.]*(?: [A-Z][\w]*){0,2})", text)
    return bool(m) and any(n.lower() in market_names or n.lower() in MARKET_WORDS for n in _names_in(m.group(1)))


def _new_company(m: Mention) -> bool:
    """A name the graph lacks that reads as a company ("Avatr"), not a model ("ES9", "Avatr 12")."""
    return m.kind == "new" and not any(ch.isdigit() for ch in m.text)


def _new_model(m: Mention) -> bool:
    return m.kind == "new" and any(ch.isdigit() for ch in m.text)


def _model_first(ctx: SentenceContext, a: int, b: int) -> bool:
    """Whether the first name of the clause before ``b`` is a model (named or new), not a company."""
    firsts = [m.start for m in ctx.mentions if a <= m.start < b and (m.is_org or _new_company(m))]
    firsts += [m.start() for m in ORG_ANAPHOR.finditer(ctx.text, a, b)]
    models = [m.start for m in ctx.mentions if a <= m.start < b and m.kind == "model"]
    code = _code_name(ctx, a, b)
    if code is not None:
        models.append(code.start())
    return bool(models) and (not firsts or min(models) < min(firsts))


def launch_candidates(ctx: SentenceContext, market_names: dict[str, str] = {}) -> list[Candidate]:
    """"Li Auto will launch the i6 in September", "the next releases will include the YU9; ...",
    "the Model Y L is expected to go on sale later this year"."""
    out: list[Candidate] = []
    text = ctx.text
    planned: list[tuple[str, int, int, str | None]] = []  # model, cue start, end of its clause, maker
    for cue in _LAUNCH_ACTIVE.finditer(text):
        a, b = ctx.clause_of(cue.start())
        if re.search(r"include", cue.group(0), re.I):
            b = len(text)
        models = [m for m in ctx.after(cue.end(), kinds=("model",), limit=b)]
        if models and re.search(r"\b(?:version|variant|edition|generation|update|facelift|refresh|successor) of\b",
                                text[cue.end():models[0].start]):
            continue  # "unveil a cheaper version of the Model Y": a new model, not the Model Y
        if not re.search(r"include", cue.group(0), re.I):
            models = _listed(ctx, models)
        if models and _market_follows(ctx.text[models[-1].end:b], market_names):
            continue  # "begin selling its G6 SUV in the UK": a market entry, not a launch
        code = _code_name(ctx, cue.end(), b)
        if code is not None and (not models or code.start() < models[0].start):
            planned.append(("new:" + code.group("name"), cue.start(), b, None))  # a name the graph lacks
            continue
        for m in models:
            planned.append((m.iri, cue.start(), b, None))
    for cue in _LAUNCH_PASSIVE.finditer(text):
        if any(s <= cue.start() < e for _, s, e, _ in planned):
            continue
        m = ctx.nearest_before(cue.start(), kinds=("model",))
        if m is not None and not re.search(r"\b(?:in|into|to) (?:the )?[A-Z]", text[cue.end():cue.end() + 4] + " "):
            planned.append((m.iri, cue.start(), ctx.clause_of(cue.start())[1], ctx.gaz.maker_of(m.iri)))
    seen = set()
    for model, start, end, maker in planned:
        if model in seen:
            continue
        seen.add(model)
        subject, from_discourse = _org_subject(ctx, start)
        if subject is None or (maker and ctx.gaz.maker_of(subject) != maker):
            subject = maker or (ctx.gaz.maker_of(model) if not model.startswith("new:") else subject)
        if subject is None:
            continue
        kind, by = claim_kind(text, ctx, default="media-report")
        cand = _cand(ctx, "launch", subject, model, "launch", 0.75 - 0.1 * from_discourse, kind,
                     period=_planned_period(ctx, start, end), stated_on=_stated_on(ctx), stated_by=by)
        out.append(cand)
    return out


def market_candidates(ctx: SentenceContext, market_names: dict[str, str]) -> list[Candidate]:
    """"From 2027, Xiaomi plans to expand into markets outside China", "BYD will enter Japan in 2026"."""
    out = []
    text = ctx.text
    for cue in _ENTRY.finditer(text):
        subject, from_discourse = _org_subject(ctx, cue.start())
        brand = next((m for m in ctx.mentions if cue.start() <= m.start < cue.end() and m.kind == "brand"), None)
        if brand is not None and re.search(r"\bbrand\b", cue.group(0)):
            subject, from_discourse = brand.iri, False
        a, b = ctx.clause_of(cue.start())
        if subject is None or _model_first(ctx, a, cue.start()):
            continue  # a model, named or new, goes on sale: not a company entering a market
        if from_discourse and re.search(r"go on sale|arrive|debut", cue.group(0), re.I):
            continue
        rest = text[cue.end():b]
        if re.match(r"\s*,\s*starting with", text[b:]):  # "the Middle East from 2026, starting with the UAE"
            rest = text[cue.end():ctx.clause_of(b + 1)[1]] if b < len(text) else rest
        markets, excluded = [], []
        if _OUTSIDE_CHINA.match(rest.lstrip()[:60]) or _OUTSIDE_CHINA.search(rest[:40]) and not re.search(
                r"\b(?:in|to|into) (?:the )?[A-Z]", rest[:80]):
            markets, excluded = ["world"], ["CN"]
        else:
            for m in re.finditer(r"[A-Z][\w.]*(?:\s(?:Arab\s)?[A-Z][\w]*)*", rest[:160]):
                for name in _names_in(m.group(0)):
                    code = market_names.get(name.lower()) or MARKET_WORDS.get(name.lower())
                    if code and code not in markets:
                        markets.append(code)
        if not markets and re.search(r"overseas|abroad|internationally", cue.group(0)):
            markets, excluded = ["world"], ["CN"]
        if not markets:
            continue
        kind, by = claim_kind(text, ctx, default="media-report")
        value = " ".join([f"market:{m}" for m in markets] + [f"-market:{m}" for m in excluded])
        out.append(_cand(ctx, "market-entry", subject, value, "market-entry", 0.75 - 0.1 * from_discourse, kind,
                         markets=tuple(markets), excluded_markets=tuple(excluded),
                         period=_planned_period(ctx, cue.start(), len(text)), stated_by=by))
        break
    return out


def _names_in(phrase: str) -> list[str]:
    """A capitalised phrase and its parts: "United Arab Emirates", "Japanese", "Middle East"."""
    words = phrase.split()
    return [" ".join(words[i:j]).rstrip(".,") for i in range(len(words)) for j in range(len(words), i, -1)]
