"""A deterministic synthetic graph in the bilateral vocabulary, for benchmarks.

    python bench/generate.py OUT_DIR --triples 100000 [--seed 6]

writes OUT_DIR/entities/*.ttl (definitions, default graph) and
OUT_DIR/sources/NNN-slug.trig (one named graph per bl:Source), laid out,
named and modelled as docs/curation.md says, so that `bilateral --data
OUT_DIR validate` passes.  The same seed and size give byte-identical files.

The shape is skewed the way real chronologies are: a handful of hub states
(Japan and South Korea take part in most events, the United States in many),
a few hundred people, organisations and issues (a SKOS scheme with
skos:broader) chosen with Zipf-like weights, and many events (meetings,
statements, measures, mediations, rulings) whose density grows towards the
present, with response links (bl:respondsTo / retaliatesAgainst / reverses)
mostly to recent earlier events; positions and observations beside them;
about 20 sources, most claims in one source, some in two.

It also writes OUT_DIR/generator.json: the counts, and the entities the
benchmark suite uses (two issues for paths, a chained event, a name to search).
It is not an input file (only .ttl/.trig are read).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import random
import shutil
import sys
from pathlib import Path

__all__ = ["PREFIXES", "generate", "generate_events"]

PREFIXES = """@prefix bl:      <https://w3id.org/bilateral/ontology#> .
@prefix id:      <https://w3id.org/bilateral/id/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .

"""

# ------------------------------------------------------------------ name material

STATES = [  # slug, English, Korean, Japanese, hub weight
    ("japan", "Japan", "일본", "日本", 100.0),
    ("south-korea", "South Korea", "대한민국", "大韓民国", 100.0),
    ("united-states", "United States", "미국", "アメリカ合衆国", 30.0),
    ("china", "China", "중국", "中国", 12.0),
    ("north-korea", "North Korea", "조선민주주의인민공화국", "朝鮮民主主義人民共和国", 10.0),
    ("russia", "Russia", "러시아", "ロシア", 3.0),
    ("australia", "Australia", "오스트레일리아", "オーストラリア", 1.5),
    ("india", "India", "인도", "インド", 1.0),
]

KO_FAMILY = [
    ("Kim", "김"),
    ("Lee", "이"),
    ("Park", "박"),
    ("Choi", "최"),
    ("Jung", "정"),
    ("Kang", "강"),
    ("Cho", "조"),
    ("Yoon", "윤"),
    ("Jang", "장"),
    ("Lim", "임"),
    ("Han", "한"),
    ("Shin", "신"),
]
KO_GIVEN = [
    ("min", "민"),
    ("jun", "준"),
    ("seo", "서"),
    ("ji", "지"),
    ("hyun", "현"),
    ("woo", "우"),
    ("young", "영"),
    ("soo", "수"),
    ("jin", "진"),
    ("ho", "호"),
    ("eun", "은"),
    ("sung", "성"),
]
JA_FAMILY = [
    ("Sato", "佐藤"),
    ("Suzuki", "鈴木"),
    ("Takahashi", "高橋"),
    ("Tanaka", "田中"),
    ("Watanabe", "渡辺"),
    ("Ito", "伊藤"),
    ("Yamamoto", "山本"),
    ("Nakamura", "中村"),
    ("Kobayashi", "小林"),
    ("Kato", "加藤"),
    ("Yoshida", "吉田"),
    ("Yamada", "山田"),
]
JA_GIVEN = [
    ("Hiroshi", "博"),
    ("Takeshi", "武"),
    ("Akira", "明"),
    ("Kenji", "健二"),
    ("Yuki", "由紀"),
    ("Haruto", "陽翔"),
    ("Yoko", "洋子"),
    ("Naoki", "直樹"),
    ("Makoto", "誠"),
    ("Daisuke", "大輔"),
    ("Emi", "恵美"),
    ("Shiro", "四郎"),
]
EN_GIVEN = [
    "John",
    "Mary",
    "Robert",
    "Susan",
    "David",
    "Linda",
    "Michael",
    "Karen",
    "James",
    "Laura",
    "Daniel",
    "Helen",
]
EN_FAMILY = [
    "Smith",
    "Johnson",
    "Brown",
    "Miller",
    "Davis",
    "Wilson",
    "Moore",
    "Taylor",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
]

ORG_KINDS = [  # pattern, needs a state
    ("Ministry of Foreign Affairs of {s}", True),
    ("Ministry of Defense of {s}", True),
    ("Ministry of Trade of {s}", True),
    ("Supreme Court of {s}", True),
    ("National Assembly of {s}", True),
    ("{s} Institute for Strategic Studies", True),
    ("{s} Business Federation", True),
    ("{s} Broadcasting Corporation", True),
    ("{s} Victims' Association", True),
]
ORG_EXTRA = [
    "Asia Policy Forum",
    "Pacific Trade Council",
    "East Asia Security Dialogue",
    "Northeast Asia Institute",
    "Regional Cooperation Secretariat",
    "Harbour Shipping Company",
    "Semiconductor Materials Group",
    "Peninsula Research Centre",
    "Maritime Law Society",
    "History Reconciliation Fund",
]

ISSUE_TOPS = [  # slug, English, Korean, Japanese
    ("history", "History issues", "역사 문제", "歴史問題"),
    ("trade", "Trade issues", "무역 문제", "貿易問題"),
    ("security", "Security issues", "안보 문제", "安全保障問題"),
    ("territory", "Territorial issues", "영토 문제", "領土問題"),
    ("diplomacy", "Diplomacy", "외교", "外交"),
    ("exchange", "People-to-people exchange", "인적 교류", "人的交流"),
]
ISSUE_WORDS = {  # top → (English word, Korean, Japanese)
    "history": [
        ("forced labour", "강제징용", "徴用工"),
        ("comfort women", "위안부", "慰安婦"),
        ("textbooks", "교과서", "教科書"),
        ("shrine visits", "신사 참배", "神社参拝"),
        ("colonial records", "식민지 기록", "植民地記録"),
        ("apologies", "사과", "謝罪"),
    ],
    "trade": [
        ("export controls", "수출 규제", "輸出規制"),
        ("semiconductors", "반도체", "半導体"),
        ("fisheries", "어업", "漁業"),
        ("tariffs", "관세", "関税"),
        ("boycotts", "불매 운동", "不買運動"),
        ("investment", "투자", "投資"),
    ],
    "security": [
        ("intelligence sharing", "정보 공유", "情報共有"),
        ("missiles", "미사일", "ミサイル"),
        ("alliances", "동맹", "同盟"),
        ("naval incidents", "해상 사건", "海上事件"),
        ("nuclear programmes", "핵 계획", "核計画"),
        ("cost sharing", "방위비 분담", "防衛費分担"),
    ],
    "territory": [
        ("island sovereignty", "도서 영유권", "島嶼領有権"),
        ("sea names", "바다 명칭", "海の名称"),
        ("exclusive economic zones", "배타적 경제수역", "排他的経済水域"),
        ("maritime surveys", "해양 조사", "海洋調査"),
    ],
    "diplomacy": [
        ("summits", "정상회담", "首脳会談"),
        ("ambassadors", "대사", "大使"),
        ("trilateral cooperation", "한미일 협력", "日米韓協力"),
        ("visas", "비자", "ビザ"),
    ],
    "exchange": [
        ("tourism", "관광", "観光"),
        ("students", "유학생", "留学生"),
        ("culture", "문화", "文化"),
        ("sports", "스포츠", "スポーツ"),
    ],
}
ISSUE_ASPECTS = [
    "compensation",
    "negotiations",
    "public opinion",
    "court cases",
    "legislation",
    "enforcement",
    "monitoring",
    "funding",
    "media coverage",
    "local governments",
    "verification",
    "timelines",
]

OFFICE_TITLES = [
    ("head-of-government", "Head of government of {s}"),
    ("foreign-minister", "Foreign minister of {s}"),
    ("defense-minister", "Defence minister of {s}"),
    ("trade-minister", "Trade minister of {s}"),
    ("ambassador", "Ambassador of {s}"),
]

CITIES = [
    "Seoul",
    "Tokyo",
    "Washington",
    "Beijing",
    "Busan",
    "Osaka",
    "Nagoya",
    "Jeju",
    "Hiroshima",
    "Geneva",
    "New York",
    "Singapore",
    "Bangkok",
    "Hanoi",
    "Jakarta",
]

EVENT_TYPES = [
    ("Meeting", 0.34),
    ("Statement", 0.25),
    ("Measure", 0.20),
    ("Mediation", 0.07),
    ("Ruling", 0.04),
    ("Event", 0.10),
]
VERBS = {
    "Meeting": [
        "hold talks with",
        "meet",
        "hold a summit with",
        "hold a phone call with",
        "hold working-level talks with",
    ],
    "Statement": ["protest to", "issue a statement to", "call on", "criticise", "welcome a step by"],
    "Measure": [
        "impose restrictions on",
        "lift restrictions on",
        "file a complaint against",
        "sanction",
        "tighten controls on",
    ],
    "Mediation": ["press", "urge", "host talks for"],
    "Ruling": ["rule against", "rule in favour of"],
    "Event": ["mark an anniversary with", "co-host an event with", "exchange delegations with"],
}
UNITS = ["percent", "persons", "USD million", "JPY billion", "days", "categories"]


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _lit(text: str, lang: str = "en") -> str:
    return f'"{_esc(text)}"@{lang}'


def _date(d: dt.date) -> str:
    return f'"{d.isoformat()}"^^xsd:date'


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


class _Writer:
    """Collects Turtle subject blocks per file and counts triples as they are added."""

    def __init__(self) -> None:
        self.files: dict[str, list[str]] = {}
        self.triples = 0

    def block(self, file: str, subject: str, pairs: list[tuple[str, list[str] | str]]) -> None:
        parts = []
        for predicate, objects in pairs:
            if isinstance(objects, str):
                objects = [objects]
            if not objects:
                continue
            self.triples += len(objects)
            parts.append(f"{predicate} {', '.join(objects)}")
        if parts:
            self.files.setdefault(file, []).append(f"{subject} " + " ;\n    ".join(parts) + " .\n")


class _Zipf:
    """Weighted choice over a list (weights fixed at construction), deterministic given the rng."""

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = items
        self.cum: list[float] = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total - 1e-12)]

    def sample(self, rng: random.Random, k: int, exclude=()) -> list:
        chosen: list = []
        for _ in range(k * 8):
            if len(chosen) >= k:
                break
            item = self.pick(rng)
            if item not in chosen and item not in exclude:
                chosen.append(item)
        for item in self.items:  # rare: the heavy items kept coming up; fill in order
            if len(chosen) >= k:
                break
            if item not in chosen and item not in exclude:
                chosen.append(item)
        return chosen


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


def generate(out_dir: Path, triples: int = 10_000, seed: int = 6) -> dict:
    """Write a data directory of about `triples` input triples; return the stats (also in generator.json)."""
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    w = _Writer()
    scale = max(0.2, triples / 10_000)
    root = math.sqrt(scale)
    n_persons = min(600, max(24, int(40 * root)))
    n_orgs = min(360, max(20, int(30 * root)))
    n_issues = min(300, max(18, int(22 * root)))
    n_accords = min(80, max(8, int(8 * root)))
    n_sources = 20 if triples >= 5_000 else 8

    labels: dict[str, str] = {}

    # ---- states
    states = []
    for slug, en, ko, ja, _weight in STATES:
        iri = f"id:{slug}"
        states.append(iri)
        labels[iri] = en
        w.block(
            "entities/states.ttl",
            iri,
            [
                ("a", "bl:State"),
                ("rdfs:label", [_lit(en), _lit(ko, "ko"), _lit(ja, "ja")]),
                ("dcterms:description", _lit(f"A state; synthetic benchmark data ({en}).")),
            ],
        )
    state_w = [s[4] for s in STATES]

    # ---- offices (every title for the five most active states)
    offices = []
    for state_iri, (slug, en, *_rest) in zip(states[:5], STATES[:5], strict=False):
        for title_slug, title in OFFICE_TITLES:
            iri = f"id:office-{title_slug}-of-{slug}"
            offices.append((iri, state_iri))
            labels[iri] = title.format(s=en)
            w.block(
                "entities/offices.ttl",
                iri,
                [
                    ("a", "bl:Office"),
                    ("rdfs:label", _lit(title.format(s=en))),
                    ("bl:officeOf", state_iri),
                ],
            )

    # ---- people: Korean, Japanese and others; unique names, family name first for ko/ja
    persons = []  # (iri, nationality state iri)
    seen_names: set[str] = set()
    nationalities = [("ko", 0.4), ("ja", 0.4), ("en", 0.2)]
    while len(persons) < n_persons:
        r = rng.random()
        kind = "ko" if r < nationalities[0][1] else "ja" if r < 0.8 else "en"
        if kind == "ko":
            fam, fam_ko = rng.choice(KO_FAMILY)
            (g1, g1k), (g2, g2k) = rng.choice(KO_GIVEN), rng.choice(KO_GIVEN)
            en = f"{fam} {g1.capitalize()}-{g2}"
            extra = [
                ("rdfs:label", _lit(fam_ko + g1k + g2k, "ko")),
                ("skos:altLabel", _lit(f"{g1.capitalize()}-{g2} {fam}")),
            ]
            state = "id:south-korea"
        elif kind == "ja":
            (fam, fam_ja), (giv, giv_ja) = rng.choice(JA_FAMILY), rng.choice(JA_GIVEN)
            en = f"{fam} {giv}"
            extra = [("rdfs:label", _lit(fam_ja + giv_ja, "ja")), ("skos:altLabel", _lit(f"{giv} {fam}"))]
            state = "id:japan"
        else:
            en = f"{rng.choice(EN_GIVEN)} {rng.choice(EN_FAMILY)}"
            extra = []
            state = rng.choice(["id:united-states", "id:united-states", "id:china", "id:australia"])
        if en in seen_names:
            # a second person of the same name: tell them apart as curators do
            en = f"{en} ({len(persons)})"
        seen_names.add(en)
        iri = f"id:{_slug(en)}"
        persons.append((iri, state))
        labels[iri] = en
        pairs = [("a", "bl:Person"), ("rdfs:label", _lit(en))]
        for p, o in extra:
            pairs.append((p, o))
        if rng.random() < 0.6:
            pairs.append(("dcterms:description", _lit(f"An official or scholar named in the sources ({en}).")))
        w.block("entities/people.ttl", iri, pairs)
    person_iris = [p for p, _ in persons]

    # ---- organisations
    orgs = []
    combos = [(k, s) for k in ORG_KINDS for s in STATES[:5]]
    rng.shuffle(combos)
    names = [pattern.format(s=s[1]) for (pattern, _), s in combos] + ORG_EXTRA
    i = 0
    while len(orgs) < n_orgs:
        base = names[i % len(names)]
        en = base if i < len(names) else f"{base} branch {i // len(names)}"
        i += 1
        iri = f"id:org-{_slug(en)}"
        orgs.append(iri)
        labels[iri] = en
        pairs = [("a", "bl:Organization"), ("rdfs:label", _lit(en))]
        if rng.random() < 0.3:
            pairs.append(("skos:altLabel", _lit("".join(wd[0] for wd in en.split() if wd[0].isupper()))))
        if rng.random() < 0.7:
            pairs.append(("dcterms:description", _lit(f"An organisation the sources name ({en}).")))
        w.block("entities/organizations.ttl", iri, pairs)

    # ---- the issue scheme: six top concepts, narrower issues, some a level deeper
    w.block(
        "entities/issues.ttl",
        "id:issue-scheme",
        [
            ("a", "skos:ConceptScheme"),
            ("rdfs:label", _lit("Issues (synthetic benchmark scheme)")),
            ("skos:hasTopConcept", [f"id:issue-{t[0]}" for t in ISSUE_TOPS]),
        ],
    )
    issues = []
    for slug, en, ko, ja in ISSUE_TOPS:
        iri = f"id:issue-{slug}"
        issues.append(iri)
        labels[iri] = en
        w.block(
            "entities/issues.ttl",
            iri,
            [
                ("a", "bl:Issue"),
                ("skos:inScheme", "id:issue-scheme"),
                ("skos:topConceptOf", "id:issue-scheme"),
                ("rdfs:label", [_lit(en), _lit(ko, "ko"), _lit(ja, "ja")]),
            ],
        )
    # round robin over the top concepts, so that even a small scheme has narrower issues under each
    longest = max(len(v) for v in ISSUE_WORDS.values())
    words = [(top, ISSUE_WORDS[top][i]) for i in range(longest) for top in ISSUE_WORDS if i < len(ISSUE_WORDS[top])]
    made = 0
    level2: list[tuple[str, tuple]] = []
    while len(issues) < n_issues:
        if made < len(words):
            top, (en, ko, ja) = words[made]
            iri = f"id:issue-{_slug(en)}"
            broader = f"id:issue-{top}"
            level2.append((iri, (en, ko, ja)))
            label_pairs = [_lit(en.capitalize()), _lit(ko, "ko"), _lit(ja, "ja")]
            labels[iri] = en.capitalize()
        else:
            parent, (pen, pko, pja) = level2[(made - len(words)) % len(level2)]
            aspect = ISSUE_ASPECTS[((made - len(words)) // len(level2)) % len(ISSUE_ASPECTS)]
            en = f"{pen.capitalize()}: {aspect}"
            iri = f"id:issue-{_slug(pen)}-{_slug(aspect)}"
            broader = parent
            label_pairs = [_lit(en)]
            labels[iri] = en
        made += 1
        issues.append(iri)
        pairs = [
            ("a", "bl:Issue"),
            ("skos:inScheme", "id:issue-scheme"),
            ("skos:broader", broader),
            ("rdfs:label", label_pairs),
        ]
        if rng.random() < 0.5:
            pairs.append(("dcterms:description", _lit(f"A matter between the two states: {labels[iri].lower()}.")))
        w.block("entities/issues.ttl", iri, pairs)
    # skewed attention: a few issues dominate; top concepts are rarely the direct subject
    issue_pick = _Zipf(issues[6:], _zipf_weights(len(issues) - 6, 0.9))

    # ---- accords
    accords = []
    for n in range(n_accords):
        year = 1965 + (n * 59) // n_accords
        a, b = states[0], states[1] if n % 3 else rng.choice(states[2:5])
        topic = issue_pick.pick(rng)
        en = f"{year} agreement on {labels[topic].lower()}" + (f" ({n})" if n >= 8 else "")
        iri = f"id:accord-{year}-{_slug(labels[topic])}-{n}"
        accords.append(iri)
        labels[iri] = en
        w.block(
            "entities/accords.ttl",
            iri,
            [
                ("a", "bl:Accord" if n % 4 else "bl:Declaration"),
                ("rdfs:label", _lit(en.capitalize())),
                ("bl:startDate", _date(dt.date(year, 1 + n % 12, 1))),
                ("bl:datePrecision", '"month"'),
                ("bl:party", [a, b]),
                ("bl:concerns", topic),
                ("dcterms:description", _lit(f"An accord between {labels[a]} and {labels[b]}.")),
            ],
        )

    # ---- actors, weighted: states are hubs, people and organisations Zipf-distributed
    actor_pick = _Zipf(
        states + person_iris + orgs,
        [x * 4 for x in state_w]
        + [3.0 * v for v in _zipf_weights(len(person_iris), 0.8)]
        + [2.0 * v for v in _zipf_weights(len(orgs), 0.8)],
    )
    target_pick = _Zipf(states, state_w)
    mediator_pick = _Zipf(
        ["id:united-states", "id:china", "id:australia"] + person_iris[:20], [10, 2, 1] + [1.0] * len(person_iris[:20])
    )

    # ---- sources: ~20 documents, each covering an era; authors and publishers drawn from the actors
    first_year, last_year = 1965, 2024
    sources = []
    for n in range(n_sources):
        author = person_iris[(n * 7) % len(person_iris)]
        publisher = orgs[(n * 5) % len(orgs)]
        era_end = first_year + (n + 1) * (last_year - first_year) // n_sources
        issued = dt.date(min(2024, era_end + 1), 1 + n % 12, 1)
        slug = f"src-{n:03d}-{_slug(labels[author]).split('-')[0]}-{issued.year}"
        iri = f"id:{slug}"
        sources.append((iri, f"sources/{n:03d}-{_slug(labels[author]).split('-')[0]}-{issued.year}.trig"))
        labels[iri] = f"{labels[author]}, chronicle {n} ({issued.year})"
        w.block(
            sources[-1][1],
            iri,
            [
                ("a", "bl:Source"),
                ("rdfs:label", _lit(labels[iri])),
                ("dcterms:title", _lit(f"Relations in review, part {n + 1}")),
                ("dcterms:creator", author),
                ("dcterms:publisher", publisher),
                ("dcterms:issued", _date(issued)),
                ("bl:datePrecision", '"month"'),
                ("bl:mentions", sorted(set(actor_pick.sample(rng, 12)))),
            ],
        )

    # ---- offices held and affiliations: claims in some source
    for n, (iri, state) in enumerate(persons):
        src = sources[n % n_sources][1]
        # every person works for an organisation (so no organisation stands alone), and their state
        pairs = [("bl:affiliation", [state, orgs[n % len(orgs)]])]
        if rng.random() < 0.3:
            candidates = [o for o, s in offices if s == state] or [o for o, _ in offices]
            pairs.append(("bl:holdsOffice", rng.choice(candidates)))
        w.block(src, iri, pairs)

    base = w.triples
    # ---- dated items: events (most), positions, observations
    avg_item = 9.4  # measured: events, positions and observations together
    n_items = max(50, int((triples - base) / avg_item * 1.04))
    year_w = [math.exp((y - first_year) / 18.0) for y in range(first_year, last_year + 1)]
    year_pick = _Zipf(list(range(first_year, last_year + 1)), year_w)
    dates = sorted(
        dt.date(y, 1, 1) + dt.timedelta(days=rng.randrange(365)) for y in (year_pick.pick(rng) for _ in range(n_items))
    )
    type_pick = _Zipf([t for t, _ in EVENT_TYPES], [p for _, p in EVENT_TYPES])
    precision_pick = _Zipf(["day", "month", "year"], [0.7, 0.22, 0.08])
    events: list[str] = []  # in date order
    event_types: dict[str, str] = {}
    event_dates: dict[str, dt.date] = {}
    measures: list[str] = []
    chunk = 4000
    counts = {"Event": 0, "Position": 0, "Observation": 0, "respondsTo": 0, "retaliatesAgainst": 0, "reverses": 0}
    ko_ja = 0
    for n, day in enumerate(dates):
        if w.triples >= triples:
            break
        era = min(n_sources - 1, (day.year - first_year) * n_sources // (last_year - first_year + 1))
        src_iri, src_file = sources[era]
        precision = precision_pick.pick(rng)
        when = (
            day if precision == "day" else day.replace(day=1) if precision == "month" else day.replace(month=1, day=1)
        )
        when_slug = (
            when.isoformat() if precision == "day" else when.isoformat()[:7] if precision == "month" else str(when.year)
        )
        kind = rng.random()
        concerns = issue_pick.sample(rng, 1 if rng.random() < 0.7 else 2)
        if kind < 0.78:
            etype = type_pick.pick(rng)
            pairs: list[tuple[str, list[str] | str]] = [
                ("a", f"bl:{etype}"),
                ("bl:startDate", _date(when)),
                ("bl:datePrecision", f'"{precision}"'),
            ]
            if etype == "Mediation":
                mediator = mediator_pick.pick(rng)
                agent = mediator
                target = target_pick.sample(rng, 1, exclude=(mediator,))[0]
                pairs.append(("bl:mediator", mediator))
            else:
                agent = actor_pick.pick(rng)
                target = target_pick.sample(rng, 1, exclude=(agent,))[0]
            pairs.append(("bl:agent", agent))
            if rng.random() < 0.75 or etype == "Mediation":
                pairs.append(("bl:target", target))
            extra = actor_pick.sample(rng, rng.choice((0, 0, 1, 2)), exclude=(agent, target))
            if extra:
                pairs.append(("bl:participant", extra))
            pairs.append(("bl:concerns", concerns))
            # response links, mostly to recent events
            link = None
            if events and rng.random() < 0.4:
                if rng.random() < 0.8:
                    earlier = events[max(0, len(events) - 60) + rng.randrange(min(60, len(events)))]
                else:
                    earlier = events[rng.randrange(len(events))]
                r = rng.random()
                if etype == "Measure" and r < 0.35:
                    link = ("bl:retaliatesAgainst", earlier)
                elif etype == "Measure" and r < 0.55 and measures:
                    link = ("bl:reverses", measures[max(0, len(measures) - 30) + rng.randrange(min(30, len(measures)))])
                else:
                    link = ("bl:respondsTo", earlier)
                if event_dates.get(link[1], when) > when:  # never answer something later
                    link = None
            if link:
                pairs.append(link)
                counts[link[0][3:]] += 1
            if rng.random() < 0.05 and accords:
                pairs.append(
                    (
                        "bl:reverses" if etype == "Measure" and rng.random() < 0.3 else "bl:relatesTo",
                        rng.choice(accords),
                    )
                )
            if rng.random() < 0.3:
                pairs.append(("bl:location", _lit(rng.choice(CITIES))))
            if etype == "Statement" and rng.random() < 0.5:
                pairs.append(("bl:quote", _lit(f"we {rng.choice(['regret', 'welcome', 'reject', 'urge'])} this step")))
            verb = rng.choice(VERBS[etype])
            label = f"{labels[agent]} {verb} {labels[target]} over {labels[concerns[0]].lower()}"
            iri = f"id:ev-{when_slug}-{_slug(etype)}-{n:06d}"
            labels[iri] = label
            w.block(src_file, iri, pairs)
            second = rng.random() < 0.12
            if second:  # a second document reports the core facts too
                other = sources[(era + 1 + rng.randrange(n_sources - 1)) % n_sources][1]
                w.block(other, iri, pairs[:4] + [("bl:concerns", concerns)])
            def_pairs = [("rdfs:label", _lit(label[0].upper() + label[1:]))]
            if rng.random() < 0.05:
                ko_ja += 1
                def_pairs.append(
                    ("rdfs:label", _lit(f"사건 {n}", "ko") if rng.random() < 0.5 else _lit(f"出来事 {n}", "ja"))
                )
            if rng.random() < 0.5:
                def_pairs.append(
                    ("dcterms:description", _lit(f"{label[0].upper() + label[1:]}, as the sources report it."))
                )
            w.block(f"entities/events-{len(events) // chunk:03d}.ttl", iri, def_pairs)
            events.append(iri)
            event_types[iri] = etype
            event_dates[iri] = when
            if etype == "Measure":
                measures.append(iri)
            counts["Event"] += 1
        elif kind < 0.91:
            holder = actor_pick.pick(rng)
            iri = f"id:pos-{_slug(labels[holder])}-{_slug(labels[concerns[0]])}-{n:06d}"
            stance = f"{labels[holder]} holds a view on {labels[concerns[0]].lower()}"
            pairs = [
                ("a", "bl:Position" if rng.random() < 0.7 else "bl:Interpretation"),
                ("rdfs:label", _lit(stance)),
                ("bl:holder", holder),
                ("bl:stance", _lit(stance + ", as stated at the time.")),
                ("bl:concerns", concerns),
                ("bl:startDate", _date(when)),
                ("bl:datePrecision", f'"{precision}"'),
            ]
            if rng.random() < 0.2:
                pairs.append(("bl:quote", _lit("a matter of principle")))
            if rng.random() < 0.1:
                pairs.append(("bl:relatesTo", rng.choice(accords)))
            labels[iri] = stance
            w.block(src_file, iri, pairs)
            counts["Position"] += 1
        else:
            subject = rng.choice(events[-200:]) if events and rng.random() < 0.3 else target_pick.pick(rng)
            unit = rng.choice(UNITS)
            value = f"{rng.uniform(0, 100):.1f}" if unit == "percent" else str(rng.randrange(1, 500000))
            en = f"Figure on {labels[concerns[0]].lower()} ({when_slug}, {n})"
            iri = f"id:obs-{when_slug}-{_slug(labels[concerns[0]])}-{n:06d}"
            labels[iri] = en
            w.block(
                src_file,
                iri,
                [
                    ("a", "bl:Observation"),
                    ("rdfs:label", _lit(en)),
                    ("bl:value", value),
                    ("bl:unit", f'"{unit}"'),
                    ("bl:concerns", concerns),
                    ("bl:subjectOf", subject),
                    ("bl:startDate", _date(when)),
                    ("bl:datePrecision", f'"{precision}"'),
                    (
                        "dcterms:description",
                        _lit(f"A figure ({unit}) the source gives on {labels[concerns[0]].lower()}."),
                    ),
                ],
            )
            counts["Observation"] += 1

    # ---- write
    if out_dir.exists():
        for sub in ("entities", "sources"):
            shutil.rmtree(out_dir / sub, ignore_errors=True)
    for rel, blocks in sorted(w.files.items()):
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.startswith("sources/"):
            graph = next(iri for iri, f in sources if f == rel)
            body = "".join("    " + b.replace("\n    ", "\n        ") + "\n" for b in blocks)
            text = PREFIXES + f"# synthetic benchmark source (bench/generate.py)\n\n{graph} {{\n\n{body}}}\n"
        else:
            text = PREFIXES + "# synthetic benchmark definitions (bench/generate.py)\n\n" + "\n".join(blocks)
        path.write_text(text, encoding="utf-8")

    # ---- what the benchmark suite needs: well-connected issues far apart, a chained event, names
    linked = _linked(w)
    chained = [e for e in events[len(events) // 2 :] if e in linked] or events
    stats = {
        "seed": seed,
        "target_triples": triples,
        "triples": w.triples,
        "files": len(w.files),
        "entities": len(labels) - n_sources,  # sources are not entities of the projection
        "states": len(states),
        "persons": len(persons),
        "organizations": len(orgs),
        "issues": len(issues),
        "offices": len(offices),
        "accords": len(accords),
        "sources": n_sources,
        "events": counts["Event"],
        "positions": counts["Position"],
        "observations": counts["Observation"],
        "respondsTo": counts["respondsTo"],
        "retaliatesAgainst": counts["retaliatesAgainst"],
        "reverses": counts["reverses"],
        "ko_ja_event_labels": ko_ja,
        "first_date": dates[0].isoformat() if dates else None,
        "last_date": max(event_dates.values()).isoformat() if event_dates else None,
        "sample": {
            # the two most discussed issues of different top concepts: a path between them is non-trivial
            "issue_a": _expand(issue_pick.items[0]),
            "issue_b": _expand(next(i for i in issue_pick.items[1:] if _top(i) != _top(issue_pick.items[0]))),
            "event": _expand(chained[len(chained) // 2]),
            "person": _expand(person_iris[0]),
            "person_label": labels[person_iris[0]],
            "state": _expand(states[0]),
        },
    }
    (out_dir / "generator.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    return stats


def _expand(curie: str) -> str:
    return "https://w3id.org/bilateral/id/" + curie[3:]


def _top(issue: str) -> str:
    for top, words in ISSUE_WORDS.items():
        for en, _ko, _ja in words:
            if issue.startswith(f"id:issue-{_slug(en)}"):
                return top
    return issue


def _linked(w: _Writer) -> set[str]:
    """Events that answer another event (subjects of a response link)."""
    found = set()
    for rel, blocks in w.files.items():
        if not rel.startswith("sources/"):
            continue
        for b in blocks:
            if "bl:respondsTo" in b or "bl:retaliatesAgainst" in b:
                found.add(b.split(" ", 1)[0])
    return found


# ------------------------------------------------------------------ coded events (issue 15)

#: Countries of the synthetic coded events, with Zipf-like weights (Japan and South Korea among the most
#: reported, as in ICEWS around them), and a leader or two each in ICEWS's name order.
EVENT_COUNTRIES = [
    ("China", 100, ["Xi Jinping", "Wen Jiabao", "Li Keqiang"]),
    ("United States", 95, ["Barack Obama", "Donald Trump", "Joe Biden"]),
    ("Japan", 60, ["Shinzo Abe", "Fumio Kishida", "Yoshihide Suga"]),
    ("South Korea", 55, ["Moon Jae-in", "Park Geun-hye", "Lee Myung Bak", "Yoon Suk-yeol"]),
    ("Russia", 50, ["Vladimir Putin", "Dmitry Anatolyevich Medvedev"]),
    ("North Korea", 35, ["Kim Jong-Un"]),
    ("Iran", 30, ["Mahmoud Ahmadinejad", "Hassan Rouhani"]),
    ("France", 25, ["Emmanuel Macron"]),
    ("Germany", 22, ["Angela Merkel"]),
    ("United Kingdom", 22, ["Theresa May"]),
    ("Australia", 20, ["Scott Morrison"]),
    ("India", 18, ["Narendra Modi"]),
    ("Thailand", 12, []),
    ("Vietnam", 11, []),
    ("Philippines", 10, ["Rodrigo Duterte"]),
    ("Nigeria", 10, []),
    ("South Africa", 9, []),
    ("Israel", 9, ["Benjamin Netanyahu"]),
    ("Occupied Palestinian Territory", 8, ["Mahmoud Abbas"]),
    ("Iraq", 8, []),
    ("Pakistan", 8, []),
    ("Turkey", 7, ["Recep Tayyip Erdogan"]),
    ("Brazil", 6, []),
    ("Indonesia", 6, []),
    ("Taiwan", 6, []),
    ("Sudan", 5, []),
    ("Cambodia", 5, []),
    ("Mexico", 4, []),
    ("Canada", 4, []),
    ("Egypt", 4, []),
    ("Syria", 4, []),
    ("Afghanistan", 4, []),
    ("Ukraine", 4, []),
    ("Myanmar", 3, []),
    ("Malaysia", 3, []),
    ("Singapore", 3, []),
    ("Mongolia", 2, []),
    ("Kenya", 2, []),
    ("Colombia", 2, []),
    ("Italy", 2, []),
]
#: ICEWS sector actors, `Sector (Country)`, with weights.
EVENT_SECTORS = [
    ("Government", 10),
    ("Foreign Affairs", 8),
    ("Citizen", 8),
    ("Police", 6),
    ("Military", 5),
    ("Head of Government", 4),
    ("Ministry", 4),
    ("Business", 3),
    ("Media Personnel", 3),
    ("Protester", 3),
    ("Lawyer/Attorney", 2),
    ("Opposition Major Party (Out Of Government)", 2),
    ("Defense / Security Ministry", 2),
    ("Cabinet / Council of Ministers / Advisors", 2),
    ("Legislative / Parliamentary", 2),
    ("Criminal", 1),
    ("Labor Union", 1),
    ("Men", 1),
    ("Women", 1),
    ("Education", 1),
]
#: Actors that are neither a state, a sector nor a known leader (they stay unresolved).
EVENT_OTHERS = [
    "UN Security Council",
    "United Nations",
    "European Union",
    "International Monetary Fund",
    "NATO",
    "Association of Southeast Asian Nations",
    "World Health Organization",
    "Red Cross",
    "Taliban",
    "Hamas",
    "Hezbollah",
    "Al Qaida",
    "Amnesty International",
    "Human Rights Watch",
    "Greenpeace",
]
#: The most reported CAMEO event types (by name, as in the 4-column files) and their weights; every other
#: type of the shipped list gets a small weight, so all of them occur.
EVENT_COMMON_TYPES = [
    ("Make statement", 78),
    ("Consult", 50),
    ("Express intent to meet or negotiate", 31),
    ("Make an appeal or request", 26),
    ("Host a visit", 25),
    ("Make a visit", 25),
    ("Arrest, detain, or charge with legal action", 22),
    ("Praise or endorse", 17),
    ("Criticize or denounce", 14),
    ("Accuse", 12),
    ("Engage in negotiation", 12),
    ("Express intent to cooperate", 10),
    ("Sign formal agreement", 6),
    ("Threaten", 5),
    ("Use conventional military force", 4),
    ("Demonstrate or rally", 4),
    ("Impose embargo, boycott, or sanctions", 2),
    ("Reject", 3),
]


def _cameo_types() -> list[tuple[str, str]]:
    """(code, name) of every type in the shipped CAMEO list (Windows-1252)."""
    import csv
    import io

    path = Path(__file__).resolve().parent.parent / "graph" / "events" / "cameo-codes.csv"
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("cp1252")))
    return [(row["code"], row["name"].strip()) for row in rows]


def _event_actors(rng: random.Random) -> tuple[list[tuple[str, str]], list[float]]:
    """(actor string, its country) with weights: states, sectors, leaders, other bodies, unknown people."""
    actors: list[tuple[str, str]] = []
    weights: list[float] = []
    for country, weight, leaders in EVENT_COUNTRIES:
        actors.append((country, country))
        weights.append(weight * 3.0)
        for sector, w in EVENT_SECTORS:
            actors.append((f"{sector} ({country})", country))
            weights.append(weight * w / 10)
        for rank, leader in enumerate(leaders):
            actors.append((leader, country))
            weights.append(weight * 1.5 / (rank + 1))
    for rank, other in enumerate(EVENT_OTHERS):
        actors.append((other, ""))
        weights.append(20.0 / (rank + 1))
    given = ["Ahmed", "Maria", "John", "Li", "Sato", "Kim", "Ivan", "Fatima", "Carlos", "Anna", "Hiroshi", "Min-jun"]
    family = ["Hassan", "Garcia", "Smith", "Wang", "Tanaka", "Park", "Petrov", "Ali", "Silva", "Novak", "Yamamoto"]
    for _ in range(3000):  # a long tail of people ICEWS names once or twice
        country = rng.choice(EVENT_COUNTRIES)[0]
        actors.append((f"{rng.choice(given)} {rng.choice(family)}-{rng.randrange(1000)}", country))
        weights.append(0.05)
    return actors, weights


def generate_events(path: Path, count: int, seed: int = 6, fmt: str = "tsv") -> dict:
    """Write `count` synthetic coded events to `path`, ICEWS 4-column TSV or 20-column Dataverse `.tab`.

    The actor mix follows ICEWS: states, `Sector (Country)` actors, leaders
    in ICEWS's name order ("Shinzo Abe"), international bodies and a long
    tail of people; event types come from the shipped CAMEO list (common
    ones weighted as in ICEWS); days spread over 1995-2024, denser towards
    the present.  Deterministic: the same seed, size and format give the
    same bytes.
    """
    rng = random.Random(seed)
    actors, weights = _event_actors(rng)
    types = _cameo_types()
    by_name = {name.casefold(): (code, name) for code, name in types}
    common = [by_name[n.casefold()] for n, _ in EVENT_COMMON_TYPES]
    kinds = common + [t for t in types if t not in common]
    kind_weights = [float(w) for _, w in EVENT_COMMON_TYPES] + [0.2] * (len(kinds) - len(common))
    first = dt.date(1995, 1, 1).toordinal()
    span = dt.date(2024, 12, 31).toordinal() - first
    agents = rng.choices(range(len(actors)), weights, k=count)
    targets = rng.choices(range(len(actors)), weights, k=count)
    picked = rng.choices(range(len(kinds)), kind_weights, k=count)
    days = sorted(first + int(span * math.sqrt(rng.random())) for _ in range(count))  # denser later
    dates = {d: dt.date.fromordinal(d).isoformat() for d in set(days)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        if fmt == "dataverse":
            out.write(_DATAVERSE_HEADER + "\n")
        block = []
        for i in range(count):
            a, t = agents[i], targets[i]
            if a == t:
                t = (t + 1) % len(actors)
            code, name = kinds[picked[i]]
            (agent, a_country), (target, t_country) = actors[a], actors[t]
            if fmt == "dataverse":
                block.append(
                    f"{10_000_000 + i}\t{dates[days[i]]}\t{agent}\tGovernment\t{a_country or 'NA'}\t{name}\t{code}"
                    f"\t1\t{target}\tGovernment\t{t_country or 'NA'}\t{i}\t1\tSynthetic\tNA\tNA\tNA\tNA\tNA\tNA\n"
                )
            else:
                block.append(f"{agent}\t{name}\t{target}\t{dates[days[i]]}\n")
            if len(block) == 50_000:
                out.write("".join(block))
                block.clear()
        out.write("".join(block))
    return {
        "events": count,
        "format": fmt,
        "actors": len(actors),
        "types": len(kinds),
        "first_date": dates[days[0]] if count else None,
        "last_date": dates[days[-1]] if count else None,
        "bytes": path.stat().st_size,
    }


_DATAVERSE_HEADER = "\t".join(
    ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
     "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
     "City", "District", "Province", "Country", "Latitude", "Longitude"]
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="the data directory (with --events: the file to write)")
    parser.add_argument("--triples", type=int, default=10_000, help="about how many input triples (default 10000)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--events", type=int, help="write this many synthetic ICEWS coded events to OUT instead")
    parser.add_argument("--format", choices=["tsv", "dataverse"], default="tsv", help="with --events (default tsv)")
    args = parser.parse_args(argv)
    if args.events is not None:
        print(json.dumps(generate_events(args.out_dir, args.events, args.seed, args.format)))
        return 0
    stats = generate(args.out_dir, args.triples, args.seed)
    print(json.dumps({k: v for k, v in stats.items() if k != "sample"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
