"""Write a seeded, realistic French business-news corpus of about N_WORDS words into OUTDIR.

Usage: ``python bench/make_corpus.py N_WORDS OUTDIR [--seed S]``

Each article (about 290 words, one ``.txt`` file) opens with a front-matter
block (``date``, ``title``, ``outlet``: a day within :data:`SPAN_DAYS` days
from :data:`FIRST_DAY` and one of :data:`OUTLETS`, drawn from their own
seeded generator), then has a headline, a dateline naming the same day and
outlet, and paragraphs of two or three sentences. Sentences are drawn from 87
news-style templates (``news_templates.txt``) across business topics (deals,
results, appointments, partnerships, regulation, labour, investment, courts,
markets, technology), with companies, people, places, amounts and dates substituted
from lists; an article keeps its cast (a main company, its chief executive, a
partner or rival, a city, a country) so that names recur as they do in real
reporting. The same seed always writes the same files.
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = ["TEMPLATES", "load_templates", "make_article", "make_corpus"]

TARGET_WORDS = 290
FIRST_DAY = date(2024, 9, 2)
SPAN_DAYS = 120  # about four months of news
OUTLETS = (
    "AFP", "Reuters", "Les Échos", "Le Figaro", "La Tribune", "Le Monde", "L'Usine Nouvelle",
    "Ouest-France", "Le Parisien", "BFM Business",
)

COMPANIES = (
    "Valtera", "Norelis", "Aérion", "Cortexa", "Telvia", "Hexalis", "Verdane", "Optimalia",
    "Solvéa", "Bressol", "Maréval", "Altiplan", "Quantis", "Ferrovia", "Dunelm", "Oriane",
    "Castelis", "Lumétra", "Arvéa", "Galvani", "Sorelia", "Kerlan", "Primalis", "Védrine",
    "Montclar", "Axelia", "Nautilis", "Brévent", "Calixte", "Ondéa", "Pyrène", "Stellaris",
    "Groupe Mercadier", "Groupe Berthelot", "Banque Delorme", "Crédit Armoricain",
    "Lumina Capital", "Sirius Assurances", "Atlantide Énergie", "Transports Régnier",
    "Laboratoires Vasseur", "Ciments Morvan", "Aciéries de Lorraine", "Mutuelle Garonne",
    "Brasseries Lemaire", "Chantiers Duval", "Hôtels Fontaine", "Éditions Carrel",
    "Téléphonie Arcadia", "Semicon Alpes", "Agrivia", "Pharmadis", "Logidis", "Energal",
    "Navalis", "Biolane", "Datavia", "Helvion", "Rhodanie Industries", "Sequana Partners",
)
REGULATORS = (
    "l'Autorité de la concurrence", "la Commission européenne", "l'Autorité des marchés financiers",
    "la Banque centrale européenne", "l'Arcep", "la Commission de régulation de l'énergie",
)
FIRST_NAMES = (
    "Claire", "Julien", "Sophie", "Marc", "Isabelle", "Thomas", "Nathalie", "Antoine", "Camille",
    "Laurent", "Hélène", "Pierre", "Élodie", "François", "Amélie", "Olivier", "Valérie", "Nicolas",
    "Sandrine", "Mathieu", "Caroline", "Stéphane", "Aurélie", "Benoît", "Delphine", "Jérôme",
    "Karine", "Guillaume", "Céline", "Arnaud", "Émilie", "Philippe", "Mélanie", "Sébastien",
)
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Garnier", "Rousseau",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Chevalier", "Robin",
    "Masson", "Sanchez", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Mercier", "Blanchard", "Guérin", "Boyer",
    "Faure", "Andrieu", "Marchand", "Duval", "Lemoine", "Caron", "Picard", "Renaud", "Aubert",
)
CITIES = (
    "Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes", "Strasbourg",
    "Grenoble", "Rennes", "Montpellier", "Nice", "Rouen", "Dijon", "Clermont-Ferrand", "Metz",
    "Le Havre", "Saint-Nazaire", "Brest", "Orléans",
)
COUNTRIES = (
    "Allemagne", "Espagne", "Italie", "Belgique", "Pologne", "Suisse", "Maroc", "Canada",
    "Brésil", "Inde", "Japon", "Mexique", "Portugal", "Suède", "Roumanie", "Vietnam",
)
PRODUCTS = (
    "batteries pour véhicules électriques", "logiciels de gestion", "turbines éoliennes",
    "semi-conducteurs", "emballages recyclables", "vaccins", "rames de tramway",
    "solutions de paiement", "panneaux solaires", "pneumatiques", "services de cybersécurité",
    "plats cuisinés", "équipements médicaux", "câbles sous-marins", "contrats d'assurance-vie",
)
SECTORS = (
    "l'automobile", "l'aéronautique", "la distribution", "la banque de détail", "les télécoms",
    "la chimie", "l'agroalimentaire", "la santé", "le transport ferroviaire", "le numérique",
    "la construction", "l'énergie",
)
ROLES = (
    "directeur général", "président du conseil d'administration", "directeur financier",
    "directrice de la stratégie", "présidente du directoire", "secrétaire général",
)
UNIONS = ("la CGT", "la CFDT", "Force ouvrière", "la CFE-CGC")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre",
    "novembre", "décembre",
)
CALENDAR = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre",
)
QUARTERS = ("premier trimestre", "deuxième trimestre", "troisième trimestre", "quatrième trimestre")

TEMPLATE_FILE = Path(__file__).with_name("news_templates.txt")


def load_templates(path: Path = TEMPLATE_FILE) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Sentence templates by topic (``generic`` included) and one headline a topic, from ``path``."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"{path}: a template before any [topic] line: {line!r}")
        else:
            current.append(line.strip())
    headlines = dict(item.split(": ", 1) for item in sections.pop("headline", []))
    return {topic: tuple(lines) for topic, lines in sections.items()}, headlines


TEMPLATES, HEADLINES = load_templates()
GENERIC = TEMPLATES.pop("generic")
_MASCULINE_COUNTRIES = ("Canada", "Brésil", "Japon", "Mexique", "Maroc", "Portugal", "Vietnam")
_ELISION = re.compile(r"\b(d|qu)e (?=[AEIOUYÉÈÊÂÎÔ])")  # « de Oriane » -> « d'Oriane »
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")


@dataclass(frozen=True)
class Cast:
    """The names one article keeps throughout."""

    slots: dict[str, str]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _amount(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.randint(12, 950)} millions d'euros"
    return f"{rng.randint(1, 9)},{rng.randint(1, 9)} milliards d'euros"


def _cast(rng: random.Random) -> Cast:
    org, org2, org3, org4 = rng.sample(COMPANIES, 4)
    regulator = rng.choice(REGULATORS)
    country = rng.choice(COUNTRIES)
    slots = {
        "org": org, "org2": org2, "org3": org3, "org4": org4,
        "ceo": _person(rng), "per2": _person(rng), "per3": _person(rng),
        "city": rng.choice(CITIES), "country": country,
        "regulator": regulator, "regulator_cap": regulator[0].upper() + regulator[1:],
        "role": rng.choice(ROLES), "sector": rng.choice(SECTORS), "product": rng.choice(PRODUCTS),
        "union": rng.choice(UNIONS), "quarter": rng.choice(QUARTERS), "month": rng.choice(MONTHS),
        "year": str(rng.randint(2015, 2030)), "founded": str(rng.randint(1890, 2012)),
        "day": rng.choice(DAYS), "date": f"{rng.randint(2, 28)} {rng.choice(MONTHS)}",
        "amount": _amount(rng), "pct": f"{rng.randint(1, 40)},{rng.randint(0, 9)} %",
        "price": f"{rng.randint(2, 80)},{rng.randint(10, 99)}",
        "price2": f"{rng.randint(2, 80)},{rng.randint(10, 99)}", "jobs": str(rng.randint(2, 60) * 50),
    }
    return Cast(slots)


def _fill(template: str, cast: Cast, rng: random.Random) -> str:
    """Substitute the cast; numbers are redrawn per sentence so that figures vary."""
    slots = dict(cast.slots)
    slots.update(amount=_amount(rng), pct=f"{rng.randint(1, 40)},{rng.randint(0, 9)} %",
                  jobs=str(rng.randint(2, 60) * 50))
    text = template.format(**slots)
    for country in _MASCULINE_COUNTRIES:
        text = text.replace(f"en {country}", f"au {country}")
    return _ELISION.sub(r"\1'", text)


def make_article(rng: random.Random, published: date = FIRST_DAY, outlet: str = OUTLETS[0]) -> str:
    """One article: front matter, headline, dateline and paragraphs, about :data:`TARGET_WORDS` words."""
    cast = _cast(rng)
    topics = list(TEMPLATES)
    main = rng.choice(topics)
    others = rng.sample([t for t in topics if t != main], 2)
    lead = list(TEMPLATES[main][1:])
    rng.shuffle(lead)
    background = rng.sample(TEMPLATES[others[0]], 3) + rng.sample(TEMPLATES[others[1]], 2) + list(GENERIC)
    rng.shuffle(background)
    sentences: list[str] = []
    words = 0
    for template in [TEMPLATES[main][0], *lead[:6], *background, *lead[6:]]:
        sentence = _fill(template, cast, rng)
        if words + len(sentence.split()) > TARGET_WORDS + 15:
            continue
        sentences.append(sentence)
        words += len(sentence.split())
        if words >= TARGET_WORDS - 10:
            break
    paragraphs: list[str] = []
    while sentences:
        size = rng.choice((2, 3))
        paragraphs.append(" ".join(sentences[:size]))
        sentences = sentences[size:]
    headline = _fill(HEADLINES[main], cast, rng)
    day = f"{published.day} {CALENDAR[published.month - 1]}"
    dateline = f"{cast.slots['city'].upper()}, {day} ({outlet}) - "
    front = f"---\ndate: {published.isoformat()}\ntitle: {headline}\noutlet: {outlet}\n---\n"
    return front + headline + "\n\n" + dateline + "\n\n".join(paragraphs) + "\n"


def make_corpus(words: int, outdir: Path, *, seed: int = 1) -> tuple[int, int]:
    """Write articles into ``outdir`` until about ``words`` words; returns (files, words)."""
    rng = random.Random(seed)
    when = random.Random(f"dates {seed}")  # its own draws: the articles' text does not depend on them
    outdir.mkdir(parents=True, exist_ok=True)
    total = count = 0
    while total < words:
        published = FIRST_DAY + timedelta(days=when.randrange(SPAN_DAYS))
        text = make_article(rng, published, when.choice(OUTLETS))
        count += 1
        (outdir / f"article_{count:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
    return count, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", type=int, help="about how many words to write")
    parser.add_argument("outdir", type=Path, help="folder for the .txt articles")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files, total = make_corpus(args.words, args.outdir, seed=args.seed)
    print(f"Wrote {files} articles, {total} words, to {args.outdir}")


if __name__ == "__main__":
    main()
