"""Realistic, reproducible catalogue data for the demo and the benchmark."""

from datetime import date, timedelta
from decimal import Decimal

PROVIDERS = [
    ("Lakeshore College of Applied Arts and Technology", "college", "Toronto, Ontario"),
    ("Northbay Polytechnic", "college", "North Bay, Ontario"),
    ("Grand River College", "college", "Kitchener, Ontario"),
    ("Rideau Valley College", "college", "Ottawa, Ontario"),
    ("Niagara Escarpment College", "college", "Welland, Ontario"),
    ("Algoma Highlands College", "college", "Sault Ste. Marie, Ontario"),
    ("Collège Boréal du Nord", "college", "Sudbury, Ontario"),
    ("University of Lake Ontario", "university", "Toronto, Ontario"),
    ("Queensway University", "university", "Kingston, Ontario"),
    ("Western Ridge University", "university", "London, Ontario"),
    ("Université de l'Outaouais ontarien", "university", "Ottawa, Ontario"),
    ("Trent Lakes University", "university", "Peterborough, Ontario"),
    ("Ontario Society of Data Professionals", "industry", "Toronto, Ontario"),
    ("Canadian Construction Skills Council", "industry", "Mississauga, Ontario"),
    ("Ontario Health Workforce Alliance", "industry", "Hamilton, Ontario"),
]

# Each provider's address, on reserved example domains (RFC 2606).
DOMAINS = {
    "Lakeshore College of Applied Arts and Technology": "lakeshorecollege.example.org",
    "Northbay Polytechnic": "northbaypoly.example.org",
    "Grand River College": "grandrivercollege.example.org",
    "Rideau Valley College": "rideauvalley.example.org",
    "Niagara Escarpment College": "niagaraescarpment.example.org",
    "Algoma Highlands College": "algomahighlands.example.org",
    "Collège Boréal du Nord": "borealdunord.example.org",
    "University of Lake Ontario": "ulakeontario.example.org",
    "Queensway University": "queenswayu.example.org",
    "Western Ridge University": "westernridge.example.org",
    "Université de l'Outaouais ontarien": "uoutaouais.example.org",
    "Trent Lakes University": "trentlakes.example.org",
    "Ontario Society of Data Professionals": "osdp.example.org",
    "Canadian Construction Skills Council": "constructionskills.example.org",
    "Ontario Health Workforce Alliance": "healthworkforce.example.org",
}


def provider_domain(name):
    from django.utils.text import slugify

    return DOMAINS.get(name) or f"{slugify(name)}.example.org"


# Subject areas: title stems, skills, outcomes and partners.
AREAS = [
    {
        "titles": [
            "Data Analytics",
            "Business Intelligence",
            "Data Visualization",
            "Applied Statistics",
            "SQL for Analysts",
            "Predictive Analytics",
        ],
        "skills": [
            "data analytics",
            "SQL",
            "Python",
            "data visualization",
            "statistics",
            "Excel",
            "Power BI",
            "Tableau",
            "machine learning",
            "data cleaning",
        ],
        "outcomes": [
            "Clean and prepare a real data set for analysis",
            "Write SQL queries that join, group and filter business data",
            "Build dashboards that answer a stakeholder's question",
            "Explain the limits of a statistical result to a non-specialist",
        ],
        "partners": ["Shopify", "RBC", "Ontario Data Guild"],
    },
    {
        "titles": [
            "Cybersecurity Fundamentals",
            "Cloud Security",
            "Network Defence",
            "Incident Response",
            "Privacy by Design",
        ],
        "skills": [
            "cybersecurity",
            "network security",
            "incident response",
            "cloud",
            "risk assessment",
            "privacy",
            "Linux",
        ],
        "outcomes": [
            "Assess the security risks of a small organisation's network",
            "Respond to a simulated security incident following a playbook",
            "Configure cloud identity and access policies",
            "Apply Ontario privacy law to a data handling scenario",
        ],
        "partners": [
            "Cisco Networking Academy",
            "eSentire",
            "Canadian Centre for Cyber Security",
        ],
    },
    {
        "titles": [
            "Project Management Essentials",
            "Agile Team Leadership",
            "Lean Process Improvement",
            "Change Management",
        ],
        "skills": [
            "project management",
            "agile",
            "Scrum",
            "leadership",
            "lean",
            "stakeholder management",
            "communication",
        ],
        "outcomes": [
            "Plan a project with a schedule, budget and risk register",
            "Facilitate sprint planning and retrospectives",
            "Map a process and remove waste from it",
            "Lead a team through an organisational change",
        ],
        "partners": [
            "PMI Southern Ontario Chapter",
            "Bombardier",
            "Ontario Public Service",
        ],
    },
    {
        "titles": [
            "Mental Health First Aid",
            "Personal Support Work Refresher",
            "Infection Prevention and Control",
            "Long-Term Care Leadership",
            "Indigenous Health Perspectives",
        ],
        "skills": [
            "health care",
            "infection control",
            "mental health",
            "patient care",
            "cultural safety",
            "leadership",
            "communication",
        ],
        "outcomes": [
            "Recognise the signs of a mental health crisis and respond safely",
            "Apply infection prevention routines in a care setting",
            "Provide culturally safe care to Indigenous patients",
            "Coordinate a care team's daily work",
        ],
        "partners": [
            "Ontario Hospital Association",
            "Unity Health",
            "AdvantAge Ontario",
        ],
    },
    {
        "titles": [
            "Green Building Practices",
            "Construction Site Supervision",
            "Building Information Modelling",
            "Electrical Code Update",
            "Heat Pump Installation",
        ],
        "skills": [
            "construction",
            "BIM",
            "sustainability",
            "electrical code",
            "site safety",
            "heat pumps",
            "energy efficiency",
        ],
        "outcomes": [
            "Apply the Ontario Building Code to a renovation plan",
            "Model a small building in BIM software",
            "Supervise a site safely under the Occupational Health and Safety Act",
            "Size and install a residential heat pump",
        ],
        "partners": ["EllisDon", "Ontario Home Builders' Association", "Enbridge"],
    },
    {
        "titles": [
            "Digital Marketing",
            "Social Media Strategy",
            "Content Design",
            "E-commerce Operations",
            "Search Engine Optimization",
        ],
        "skills": [
            "digital marketing",
            "social media",
            "SEO",
            "content writing",
            "e-commerce",
            "Google Analytics",
            "communication",
        ],
        "outcomes": [
            "Plan a campaign across search and social channels",
            "Measure a campaign with web analytics",
            "Write web content that meets accessibility guidelines",
            "Run an online store's daily operations",
        ],
        "partners": ["Shopify", "Corus Entertainment", "Ontario Chamber of Commerce"],
    },
    {
        "titles": [
            "Accessible Design (AODA)",
            "Inclusive Teaching Online",
            "Instructional Design",
            "Educational Technology",
        ],
        "skills": [
            "accessibility",
            "AODA",
            "instructional design",
            "online teaching",
            "universal design for learning",
            "WCAG",
        ],
        "outcomes": [
            "Audit a web page against WCAG 2.1 AA",
            "Design an online course with universal design for learning",
            "Apply the AODA customer service standard",
            "Choose educational technology for a learning goal",
        ],
        "partners": ["eCampus partners", "Canadian National Institute for the Blind"],
    },
    {
        "titles": [
            "Supply Chain Logistics",
            "Warehouse Automation",
            "Advanced Manufacturing",
            "Robotics Maintenance",
            "Quality Control",
        ],
        "skills": [
            "supply chain",
            "logistics",
            "automation",
            "robotics",
            "quality control",
            "lean",
            "PLC programming",
        ],
        "outcomes": [
            "Optimise inventory across a distribution network",
            "Program and troubleshoot a PLC-controlled cell",
            "Apply statistical process control on a production line",
            "Maintain an industrial robot safely",
        ],
        "partners": [
            "Magna International",
            "Linamar",
            "Canadian Manufacturers & Exporters",
        ],
    },
]

FRENCH_AREA = {
    "titles": [
        "Analyse de données",
        "Visualisation de données",
        "Gestion de projet",
        "Gestion de projet agile",
        "Cybersécurité appliquée",
        "Sécurité infonuagique",
        "Soins de santé communautaires",
        "Premiers soins en santé mentale",
        "Leadership en soins de longue durée",
        "Marketing numérique",
        "Conception pédagogique",
        "Accessibilité numérique",
        "Chaîne d'approvisionnement",
        "Construction durable",
        "Entrepreneuriat social",
        "Communication en milieu de travail",
    ],
    "skills": [
        "analyse de données",
        "gestion de projet",
        "cybersécurité",
        "santé",
        "communication",
        "leadership",
        "accessibilité",
    ],
    "outcomes": [
        "Analyser des données pour appuyer une décision",
        "Planifier un projet et en suivre les risques",
        "Protéger les réseaux d'une petite organisation",
        "Offrir des soins communautaires en français",
        "Présenter des résultats à un public non spécialiste",
        "Travailler en équipe avec des partenaires de l'industrie",
        "Rédiger un plan d'action adapté à son milieu de travail",
    ],
    "partners": ["Réseau franco-ontarien", "Desjardins"],
}
FRENCH_SUFFIXES = ["", " : les fondements", " : niveau avancé", " en pratique"]

QUALIFIERS = [
    "",
    "Foundations of ",
    "Introduction to ",
    "Advanced ",
    "Applied ",
    "Professional ",
    "Essentials of ",
]
SUFFIXES = [
    "",
    " I",
    " II",
    " for Managers",
    " in Practice",
    " Bootcamp",
    " Certificate",
]
ASSESSMENTS = [
    "Project-based assessment reviewed by an industry panel",
    "Portfolio of three applied tasks",
    "Proctored online exam and a practical demonstration",
    "Capstone case study presented to employers",
]
QUALITY = [
    "Approved by the institution's Board of Governors under its quality framework",
    "Reviewed under the Ontario College Quality Assurance Service process",
    "Developed with industry advisory committee validation",
]
LEVEL_CHOICES = ["introductory", "intermediate", "advanced"]
MODE_CHOICES = ["online", "online", "hybrid", "in_person"]
COSTS = [0, 0, 150, 295, 450, 499, 650, 895, 1000, 1250, 1800, 2400]


AUDIENCES = [
    "people already working in the field who want recognition for a new skill",
    "career changers who need a practical first step",
    "supervisors and team leads",
    "recent graduates preparing for their first role",
    "employees whose employer sponsors their upskilling",
]
OPENINGS = [
    "{title} gives {audience} a practical grounding in {skills}.",
    "Designed with employers for {audience}, {title} focuses on {skills}.",
    "In {title}, learners build {skills} skills through applied work.",
    "{title} is a short, stackable credential in {skills} for {audience}.",
    "This micro-credential covers {skills}; it is aimed at {audience}.",
]
MIDDLES = [
    "You will {outcome}.",
    "By the end you can {outcome}.",
    "Most of the work is hands-on: you {outcome}.",
    "Each week combines a short reading, a live session and a task; the last "
    "one asks you to {outcome}.",
]
CLOSINGS = [
    "It takes about {hours} hours over {weeks} weeks.",
    "Expect {hours} hours of work spread over {weeks} weeks.",
    "Developed with {partner}.",
    "Assessment: {assessment_lower}.",
    "Completing it counts toward a larger certificate at {provider}.",
]
_TITLE_WORDS_ONCE = {"Fundamentals", "Essentials", "Refresher", "Update", "Aid"}


def _plausible(qualifier, stem, suffix):
    words = (qualifier + stem + suffix).lower().replace("(", "").split()
    if len(words) != len(set(words)):
        return False  # "Applied Applied Statistics"
    if qualifier and set(stem.split()) & _TITLE_WORDS_ONCE:
        return False  # "Foundations of Cybersecurity Fundamentals"
    if qualifier in {"Advanced "} and suffix in {" I", " Bootcamp"}:
        return False
    return not (
        qualifier in {"Introduction to ", "Foundations of "} and suffix == " II"
    )


class TitlePool:
    """Hands out distinct, plausible titles: none twice while any is left."""

    def __init__(self, rng):
        self.rng = rng
        self.left = {}
        self.used = set()

    def _candidates(self, area, french):
        if french:
            return [
                stem + suffix for stem in area["titles"] for suffix in FRENCH_SUFFIXES
            ]
        return [
            qualifier + stem + suffix
            for stem in area["titles"]
            for qualifier in QUALIFIERS
            for suffix in SUFFIXES
            if _plausible(qualifier, stem, suffix)
        ]

    def take(self, area, french):
        key = id(area)
        if key not in self.left:
            candidates = self._candidates(area, french)
            # Plain stems first, so small catalogues read like real ones.
            self.rng.shuffle(candidates)
            candidates.sort(key=lambda title: len(title.split()))
            self.left[key] = candidates
        left = self.left[key]
        while left:
            title = left.pop(self.rng.randrange(min(len(left), 12)))
            if title not in self.used:
                self.used.add(title)
                return title
        # Every plausible title is taken (large benchmark catalogues).
        title = f"{self.rng.choice(area['titles'])} (cohort {len(self.used) + 1})"
        self.used.add(title)
        return title


def _sentence(outcome):
    return outcome[0].lower() + outcome[1:]


def make_entry(rng, number, providers, titles=None):
    """Field values for one generated entry (skills returned separately).

    Pass one `TitlePool` for a whole catalogue so that no title repeats.
    """
    titles = titles or TitlePool(rng)
    provider_index = rng.randrange(len(providers))
    provider = providers[provider_index]
    french = provider.name in {
        "Collège Boréal du Nord",
        "Université de l'Outaouais ontarien",
    }
    area = FRENCH_AREA if french else AREAS[rng.randrange(len(AREAS))]
    title = titles.take(area, french)
    skills = rng.sample(area["skills"], k=min(len(area["skills"]), rng.randint(2, 5)))
    outcomes = rng.sample(
        area["outcomes"], k=rng.randint(2, min(4, len(area["outcomes"])))
    )
    weeks = rng.choice([2, 3, 4, 6, 8, 10, 12, 14, 16])
    hours = weeks * rng.choice([3, 4, 5, 6])
    cost = Decimal(rng.choice(COSTS))
    complete = rng.random() > 0.1
    assessment = rng.choice(ASSESSMENTS) if complete else ""
    partners = rng.sample(area["partners"], k=rng.randint(0, 2))
    if french:
        description = (
            f"{title} : une microcertification de {weeks} semaines en "
            f"{', '.join(skills[:-1])} et {skills[-1]}. "
            f"Vous apprendrez à {_sentence(outcomes[0])}. "
            f"Environ {hours} heures de travail, offertes par {provider.name}."
        )
    else:
        skill_text = f"{', '.join(skills[:-1])} and {skills[-1]}"
        values = {
            "title": title,
            "audience": rng.choice(AUDIENCES),
            "skills": skill_text,
            "outcome": _sentence(outcomes[0]),
            "hours": hours,
            "weeks": weeks,
            "partner": partners[0] if partners else "",
            "assessment_lower": _sentence(assessment or rng.choice(ASSESSMENTS)),
            "provider": provider.name,
        }
        closings = rng.sample(
            [c for c in CLOSINGS if partners or "{partner}" not in c], k=2
        )
        parts = [rng.choice(OPENINGS), rng.choice(MIDDLES), *closings]
        description = " ".join(part.format(**values) for part in parts)
        description = description[0].upper() + description[1:]
    from django.utils.text import slugify

    fields = {
        "title": title,
        "external_id": f"MC-{number:06d}",
        "description": description,
        "learning_outcomes": "\n".join(outcomes),
        "level": rng.choice(LEVEL_CHOICES) if complete else "",
        "workload_hours": hours,
        "duration_weeks": weeks,
        "delivery_mode": rng.choice(MODE_CHOICES),
        "language": "fr" if french else ("en-fr" if rng.random() < 0.05 else "en"),
        "cost_cad": cost,
        "osap_eligible": bool(cost) and rng.random() < 0.4,
        "assessment": assessment,
        "quality_assurance": rng.choice(QUALITY),
        "endorsements": "\n".join(partners),
        "prerequisites": rng.choice(
            [
                "",
                "None",
                "High-school diploma or equivalent experience",
                "An introductory course in the field or equivalent experience",
            ]
        ),
        "external_url": (
            f"https://{provider_domain(provider.name)}/micro-credentials/"
            f"{slugify(title)}"
        ),
        "last_reviewed": date(2026, 1, 1) + timedelta(days=rng.randrange(300)),
    }
    return provider_index, fields, skills


def start_dates(rng, count=2):
    first = date(2027, 1, 4) + timedelta(weeks=rng.randrange(20))
    return [first + timedelta(weeks=10 * n) for n in range(count)]
