"""Places and names.

Most patients live in Massachusetts, as in Synthea's default run; a few live in neighbouring
states so that both ZIP codes (01xxx-06xxx) and county FIPS codes (09xxx) carry leading zeros.
Names carry non-ASCII letters and apostrophes, and, as Synthea does, a number appended.
"""

from __future__ import annotations

import random
from typing import NamedTuple


class State(NamedTuple):
    name: str
    abbreviation: str
    weight: float


class City(NamedTuple):
    name: str
    state: str  # full state name
    county: str
    fips: str  # county FIPS code, 5 digits
    zips: tuple[str, ...]
    lat: float
    lon: float
    weight: float


STATES: tuple[State, ...] = (
    State("Massachusetts", "MA", 0.80),
    State("Connecticut", "CT", 0.08),
    State("New Hampshire", "NH", 0.04),
    State("Rhode Island", "RI", 0.04),
    State("New York", "NY", 0.04),
)
STATE_ABBREVIATION = {s.name: s.abbreviation for s in STATES}

CITIES: tuple[City, ...] = (
    City("Boston", "Massachusetts", "Suffolk County", "25025",
         ("02108", "02109", "02111", "02113", "02114", "02115", "02116", "02118", "02119", "02120", "02121",
          "02122", "02124", "02125", "02126", "02127", "02128", "02129", "02130", "02131", "02132", "02134",
          "02135", "02136"), 42.3601, -71.0589, 6.5),
    City("Worcester", "Massachusetts", "Worcester County", "25027",
         ("01602", "01603", "01604", "01605", "01606", "01607", "01608", "01609", "01610"), 42.2626, -71.8023, 2.0),
    City("Springfield", "Massachusetts", "Hampden County", "25013",
         ("01103", "01104", "01105", "01107", "01108", "01109", "01118", "01119", "01128", "01129"),
         42.1015, -72.5898, 1.6),
    City("Cambridge", "Massachusetts", "Middlesex County", "25017",
         ("02138", "02139", "02140", "02141", "02142"), 42.3736, -71.1097, 1.2),
    City("Lowell", "Massachusetts", "Middlesex County", "25017", ("01850", "01851", "01852", "01854"),
         42.6334, -71.3162, 1.1),
    City("Brockton", "Massachusetts", "Plymouth County", "25023", ("02301", "02302"), 42.0834, -71.0184, 1.0),
    City("Quincy", "Massachusetts", "Norfolk County", "25021", ("02169", "02170", "02171"), 42.2529, -71.0023, 1.0),
    City("Lynn", "Massachusetts", "Essex County", "25009", ("01901", "01902", "01904", "01905"),
         42.4668, -70.9495, 0.9),
    City("New Bedford", "Massachusetts", "Bristol County", "25005", ("02740", "02744", "02745", "02746"),
         41.6362, -70.9342, 0.9),
    City("Fall River", "Massachusetts", "Bristol County", "25005", ("02720", "02721", "02723", "02724"),
         41.7015, -71.1550, 0.9),
    City("Newton", "Massachusetts", "Middlesex County", "25017", ("02458", "02459", "02460", "02461"),
         42.3370, -71.2092, 0.9),
    City("Framingham", "Massachusetts", "Middlesex County", "25017", ("01701", "01702"), 42.2793, -71.4162, 0.7),
    City("Pittsfield", "Massachusetts", "Berkshire County", "25003", ("01201",), 42.4501, -73.2454, 0.4),
    City("Barnstable", "Massachusetts", "Barnstable County", "25001", ("02601", "02630", "02632"),
         41.7003, -70.3002, 0.5),
    City("Northampton", "Massachusetts", "Hampshire County", "25015", ("01060", "01062"), 42.3251, -72.6412, 0.3),
    City("Salem", "Massachusetts", "Essex County", "25009", ("01970",), 42.5195, -70.8967, 0.4),
    City("Plymouth", "Massachusetts", "Plymouth County", "25023", ("02360",), 41.9584, -70.6673, 0.5),
    City("Hartford", "Connecticut", "Hartford County", "09003", ("06103", "06105", "06106", "06112", "06114"),
         41.7658, -72.6734, 1.0),
    City("New Haven", "Connecticut", "New Haven County", "09009", ("06510", "06511", "06513", "06519"),
         41.3083, -72.9279, 1.0),
    City("Bridgeport", "Connecticut", "Fairfield County", "09001", ("06604", "06605", "06606", "06607", "06608"),
         41.1865, -73.1952, 1.0),
    City("Stamford", "Connecticut", "Fairfield County", "09001", ("06901", "06902", "06905"),
         41.0534, -73.5387, 0.8),
    City("Manchester", "New Hampshire", "Hillsborough County", "33011", ("03101", "03102", "03103", "03104"),
         42.9956, -71.4548, 1.0),
    City("Nashua", "New Hampshire", "Hillsborough County", "33011", ("03060", "03062", "03063", "03064"),
         42.7654, -71.4676, 0.8),
    City("Concord", "New Hampshire", "Merrimack County", "33013", ("03301", "03303"), 43.2081, -71.5376, 0.5),
    City("Providence", "Rhode Island", "Providence County", "44007",
         ("02903", "02904", "02905", "02906", "02907", "02908", "02909"), 41.8240, -71.4128, 1.4),
    City("Warwick", "Rhode Island", "Kent County", "44003", ("02886", "02888", "02889"), 41.7001, -71.4162, 0.8),
    City("Albany", "New York", "Albany County", "36001", ("12203", "12206", "12208", "12209"),
         42.6526, -73.7562, 1.0),
    City("Buffalo", "New York", "Erie County", "36029", ("14201", "14207", "14213", "14215"),
         42.8864, -78.8784, 1.2),
    City("Syracuse", "New York", "Onondaga County", "36067", ("13202", "13204", "13206"), 43.0481, -76.1474, 0.8),
)
CITIES_BY_STATE: dict[str, tuple[City, ...]] = {
    s.name: tuple(c for c in CITIES if c.state == s.name) for s in STATES
}

MALE_FIRST = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
    "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua", "Kevin",
    "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary",
    "Nicolás", "José", "Jesús", "Raúl", "Ramón", "Joaquín", "Hernán", "Óscar", "André", "Efraín",
    "Darrel", "Cristopher", "Monte", "Lyman", "Mohamed", "Truman", "Wilbert", "Zachery", "Sébastien", "Björn",
)
FEMALE_FIRST = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
    "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
    "María", "Sofía", "Lucía", "Inés", "Zoë", "Renée", "Chloé", "Léa", "Mónica", "Verónica",
    "Adriana", "Kassandra", "Marisela", "Shanna", "Tawanna", "Cherie", "Loretta", "Glynda", "Ozella", "Maude",
)
LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "D'Amore", "O'Conner", "O'Keefe", "O'Hara", "O'Reilly", "D'Angelo",
    "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez",
    "Núñez", "Muñoz", "Peña", "Gutiérrez", "Jiménez", "Ibáñez",
    "Schmitt", "Kuhlman", "Bernier", "Wolff", "Hodkiewicz", "Lemke", "Kunde", "Rempel", "Ankunding",
    "Schuppe", "Hermiston", "Gislason", "Bartoletti", "Wiza", "Mraz", "Tromp", "Ziemann", "Kiehn", "Rau",
    "Feeney", "Stracke", "Kautzer", "Gerlach", "Heaney", "Waelchi", "Reilly", "Nolan", "Langosh", "Bogan",
)
STREET_SUFFIXES = (
    "Street", "Avenue", "Road", "Lane", "Drive", "Way", "Port", "Rapid", "Gateway", "Mill", "Well",
    "Crossing", "Ferry", "Heights", "Overpass", "Light", "Trafficway", "Annex", "Camp", "Center",
    "Extension", "Ramp", "Knoll", "Parade", "Promenade", "Throughway", "Junction", "Viaduct",
)
UNIT_WORDS = ("Unit", "Apt", "Suite")


def numbered(name: str, rng: random.Random) -> str:
    """A name as Synthea writes it, with a number appended (``Nicolás801``)."""
    return f"{name}{rng.randint(10, 999)}"


def first_name(gender: str, rng: random.Random) -> str:
    return numbered(rng.choice(MALE_FIRST if gender == "M" else FEMALE_FIRST), rng)


def last_name(rng: random.Random) -> str:
    return numbered(rng.choice(LAST), rng)


def street_address(rng: random.Random) -> str:
    address = f"{rng.randint(100, 9999)} {rng.choice(LAST)} {rng.choice(STREET_SUFFIXES)}"
    if rng.random() < 0.35:
        address += f" {rng.choice(UNIT_WORDS)} {rng.randint(1, 99)}"
    return address


def pick_state(rng: random.Random) -> State:
    return rng.choices(STATES, weights=[s.weight for s in STATES])[0]


def pick_city(state: str, rng: random.Random) -> City:
    cities = CITIES_BY_STATE[state]
    return rng.choices(cities, weights=[c.weight for c in cities])[0]


def jitter(city: City, rng: random.Random) -> tuple[float, float]:
    """A point near the city centre (Synthea prints coordinates with full double precision)."""
    return city.lat + rng.uniform(-0.06, 0.06), city.lon + rng.uniform(-0.06, 0.06)
