"""Finnish and Swedish names and Helsinki places for believable demo data.

Street names and postal codes are real Helsinki ones; the combinations (which
unit sits where, who lives where) are made up.
"""

from __future__ import annotations

import unicodedata

FINNISH_FEMALE = (
    "Aino", "Anna", "Maria", "Helmi", "Sofia", "Emilia", "Aada", "Venla", "Eveliina", "Tuula",
    "Leena", "Päivi", "Marja", "Sari", "Satu", "Hanna", "Johanna", "Minna", "Katja", "Riikka",
    "Elina", "Kaisa", "Noora", "Laura", "Sanna", "Pirjo", "Ritva", "Anneli", "Eija", "Tiina",
    "Jenni", "Heidi", "Outi", "Merja", "Iida", "Pihla", "Lotta", "Siiri", "Kerttu", "Milla",
)  # fmt: skip

FINNISH_MALE = (
    "Juha", "Mikko", "Timo", "Matti", "Jari", "Kari", "Antti", "Jukka", "Pekka", "Heikki",
    "Markku", "Ville", "Janne", "Tuomas", "Eero", "Onni", "Väinö", "Lauri", "Ilmari", "Aleksi",
    "Joonas", "Eetu", "Niko", "Sami", "Petri", "Tapio", "Olli", "Kalle", "Veikko", "Teemu",
    "Jussi", "Arto", "Risto", "Toni", "Aki", "Esa", "Jaakko", "Hannu", "Jarmo", "Jyrki",
)  # fmt: skip

SWEDISH_FEMALE = (
    "Ulla", "Birgitta", "Kristina", "Ebba", "Ida", "Linnea", "Wilma", "Saga", "Alva", "Klara",
    "Elsa", "Stina", "Annika", "Camilla", "Maja", "Hedvig", "Louise", "Jessica",
)  # fmt: skip

SWEDISH_MALE = (
    "Anders", "Johan", "Mats", "Fredrik", "Henrik", "Erik", "Gustav", "Axel", "Oskar", "Nils",
    "Björn", "Stefan", "Kaj", "Rasmus", "Otto", "Mikael", "Joakim", "Tor",
)  # fmt: skip

FINNISH_LAST = (
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
    "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
    "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Hiltunen",
    "Kettunen", "Leinonen", "Miettinen", "Hyvönen", "Pitkänen", "Aaltonen", "Väisänen",
    "Manninen", "Anttila", "Räsänen", "Huttunen", "Seppälä", "Lindroos", "Peltonen",
)  # fmt: skip

SWEDISH_LAST = (
    "Lindholm", "Nyström", "Lindberg", "Holmström", "Forsman", "Sjöberg", "Björklund", "Eklund",
    "Grönroos", "Wikström", "Lundqvist", "Strömberg", "Hägglund", "Backman", "Sundström",
    "Lindqvist", "Åberg", "Granström",
)  # fmt: skip


# Neighbourhood, its genitive (for names such as "Kallion kirjasto"), postal code,
# the seeded major district's code, and streets there.
NEIGHBOURHOODS = (
    ("Kamppi", "Kampin", "00100", "south", ("Fredrikinkatu", "Annankatu", "Malminkatu")),
    ("Punavuori", "Punavuoren", "00150", "south", ("Iso Roobertinkatu", "Albertinkatu")),
    ("Ullanlinna", "Ullanlinnan", "00140", "south", ("Tehtaankatu", "Laivurinkatu")),
    ("Kruununhaka", "Kruununhaan", "00170", "south", ("Liisankatu", "Maneesikatu")),
    ("Töölö", "Töölön", "00260", "south", ("Runeberginkatu", "Topeliuksenkatu")),
    ("Lauttasaari", "Lauttasaaren", "00200", "south", ("Lauttasaarentie", "Isokaari")),
    ("Jätkäsaari", "Jätkäsaaren", "00220", "south", ("Välimerenkatu", "Atlantinkatu")),
    ("Munkkiniemi", "Munkkiniemen", "00330", "west", ("Munkkiniemen puistotie", "Laajalahdentie")),
    ("Etelä-Haaga", "Etelä-Haagan", "00320", "west", ("Isonnevantie", "Kauppalantie")),
    ("Pohjois-Haaga", "Pohjois-Haagan", "00400", "west", ("Kaupintie", "Eliel Saarisen tie")),
    ("Pitäjänmäki", "Pitäjänmäen", "00370", "west", ("Pitäjänmäentie", "Sentnerikuja")),
    ("Kannelmäki", "Kannelmäen", "00420", "west", ("Klaneettitie", "Kantelettarentie")),
    ("Malminkartano", "Malminkartanon", "00410", "west", ("Puustellintie", "Vanha Hämeenkyläntie")),
    ("Konala", "Konalan", "00390", "west", ("Konalantie", "Ristipellontie")),
    ("Munkkivuori", "Munkkivuoren", "00350", "west", ("Raumantie", "Ulvilantie")),
    ("Kallio", "Kallion", "00530", "central", ("Helsinginkatu", "Viides linja", "Fleminginkatu")),
    ("Sörnäinen", "Sörnäisten", "00500", "central", ("Hämeentie", "Kinaporinkatu")),
    ("Vallila", "Vallilan", "00510", "central", ("Mäkelänkatu", "Aleksis Kiven katu")),
    ("Pasila", "Pasilan", "00520", "central", ("Ratapihantie", "Asemapäällikönkatu")),
    ("Arabianranta", "Arabianrannan", "00560", "central", ("Arabiankatu", "Hämeentie")),
    ("Hermanni", "Hermannin", "00580", "central", ("Hermannin rantatie", "Kaironkatu")),
    ("Käpylä", "Käpylän", "00610", "central", ("Koskelantie", "Kullervonkatu")),
    ("Oulunkylä", "Oulunkylän", "00640", "north", ("Kylänvanhimmantie", "Oulunkyläntie")),
    ("Maunula", "Maunulan", "00630", "north", ("Suursuontie", "Metsäpurontie")),
    ("Pakila", "Pakilan", "00660", "north", ("Pakilantie", "Kuusikkotie")),
    ("Paloheinä", "Paloheinän", "00670", "north", ("Paloheinäntie", "Pakilantie")),
    ("Malmi", "Malmin", "00700", "northeast", ("Kirkonkyläntie", "Ala-Malmin tori", "Malminkaari")),
    ("Pukinmäki", "Pukinmäen", "00720", "northeast", ("Säterinkatu", "Kenttäkuja")),
    ("Tapanila", "Tapanilan", "00730", "northeast", ("Päivöläntie", "Tapanilankaari")),
    ("Puistola", "Puistolan", "00760", "northeast", ("Puistolan raitti", "Nurkkatie")),
    ("Jakomäki", "Jakomäen", "00770", "northeast", ("Jakomäenpolku", "Somerikkopolku")),
    ("Herttoniemi", "Herttoniemen", "00800", "southeast", ("Hiihtäjäntie", "Kettutie")),
    ("Kulosaari", "Kulosaaren", "00570", "southeast", ("Kulosaaren puistotie", "Kulosaarentie")),
    ("Laajasalo", "Laajasalon", "00840", "southeast", ("Reposalmentie", "Yliskyläntie")),
    ("Roihuvuori", "Roihuvuoren", "00820", "southeast", ("Roihuvuorentie", "Tulisuontie")),
    ("Itäkeskus", "Itäkeskuksen", "00930", "east", ("Itäkatu", "Turunlinnantie")),
    ("Myllypuro", "Myllypuron", "00920", "east", ("Kivensilmänkuja", "Myllypurontie", "Jauhokuja")),
    ("Kontula", "Kontulan", "00940", "east", ("Ostostie", "Kontulantie")),
    ("Mellunmäki", "Mellunmäen", "00970", "east", ("Mellunmäentie", "Korsutie")),
    ("Vuosaari", "Vuosaaren", "00980", "east", ("Vuotie", "Kahvikuja", "Jaluspolku")),
    ("Puotila", "Puotilan", "00910", "east", ("Puotilantie", "Rusthollarintie")),
    ("Östersundom", "Östersundomin", "00890", "ostersundom", ("Östersundomintie", "Knutersintie")),
)  # fmt: skip


def ascii_slug(text: str) -> str:
    """'Päivi Åberg' -> 'paivi.aberg' for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return ".".join(part for part in "".join(c if c.isalnum() else " " for c in folded).split())


def business_id(number: int) -> str:
    """A Finnish business ID (Y-tunnus) with a valid check digit for a 7-digit number."""
    digits = f"{number % 10_000_000:07d}"
    while True:
        total = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True))
        remainder = total % 11
        if remainder != 1:  # remainder 1 gives no valid check digit: take the next number
            check = 0 if remainder == 0 else 11 - remainder
            return f"{digits}-{check}"
        digits = f"{(int(digits) + 1) % 10_000_000:07d}"


def phone_number(n: int) -> str:
    """A Finnish mobile number in the 040 range, made up from a number."""
    return f"040 {(n * 7919) % 1000:03d} {(n * 104_729) % 10000:04d}"
