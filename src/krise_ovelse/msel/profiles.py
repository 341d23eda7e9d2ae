"""Column layouts of MSEL spreadsheets (profiles) and the editable mapping built from them.

A mapping says which column holds which inject field, by header text. A profile is a named
mapping that ships with the program: `dreiebok` (Norwegian, the columns `msel export` writes),
`hseep` (the HSEEP MSEL template's columns) and `auto`, which recognises the usual header words
of either, in Norwegian or English, as other exercise tools write them (Subject, Message,
Sender, Method, …). `krise-ovelse msel profiles` prints each as YAML to start an own mapping
from; `--mapping FILE` reads one back (docs/import-export.md).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from krise_ovelse.model.scenario import Channel

#: The inject fields a column can hold, in the order `msel export` writes them.
FIELDS = ("id", "time", "from", "to", "channel", "title", "body", "expected", "criteria", "notes")
#: Fields every row needs (an id is made up when there is no id column).
REQUIRED = ("time", "title")


@attrs.frozen
class ColumnMapping:
    """Which header holds which field, plus the words for channels (besides the channel ids)."""

    columns: Mapping[str, tuple[str, ...]]
    channels: Mapping[str, str] = attrs.field(factory=dict)
    sheet: str | None = None
    header_row: int | None = None

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"columns": {f: list(h) for f, h in self.columns.items()}}
        if self.channels:
            data["channels"] = dict(self.channels)
        if self.sheet is not None:
            data["sheet"] = self.sheet
        if self.header_row is not None:
            data["header_row"] = self.header_row
        return data


#: Channel words in Norwegian and English (matched without regard to case).
CHANNEL_WORDS: Mapping[str, str] = {
    "e-post": Channel.EMAIL.value, "epost": Channel.EMAIL.value, "email": Channel.EMAIL.value,
    "e-mail": Channel.EMAIL.value, "mail": Channel.EMAIL.value,
    "nyheter": Channel.NEWS.value, "nyhet": Channel.NEWS.value, "media": Channel.NEWS.value,
    "news": Channel.NEWS.value, "presse": Channel.NEWS.value,
    "telefon": Channel.PHONE.value, "phone": Channel.PHONE.value, "phone call": Channel.PHONE.value,
    "intranett": Channel.INTRANET.value, "intranet": Channel.INTRANET.value,
    "sosiale medier": Channel.SOCIAL_MEDIA.value, "social media": Channel.SOCIAL_MEDIA.value,
    "møte": Channel.MEETING.value, "meeting": Channel.MEETING.value, "in person": Channel.MEETING.value,
    "tillitsvalgt": Channel.UNION_REP.value, "union rep": Channel.UNION_REP.value,
    "verneombud": Channel.SAFETY_REP.value, "safety rep": Channel.SAFETY_REP.value,
    "brev": Channel.LETTER.value, "letter": Channel.LETTER.value,
    "situasjonsrapport": Channel.SITREP.value, "sitrep": Channel.SITREP.value,
}

#: What `msel export` writes for each channel, per profile language.
CHANNEL_LABELS: Mapping[str, Mapping[str, str]] = {
    "nb": {Channel.EMAIL.value: "E-post", Channel.NEWS.value: "Nyheter", Channel.PHONE.value: "Telefon",
           Channel.INTRANET.value: "Intranett", Channel.SOCIAL_MEDIA.value: "Sosiale medier",
           Channel.MEETING.value: "Møte", Channel.UNION_REP.value: "Tillitsvalgt",
           Channel.SAFETY_REP.value: "Verneombud", Channel.LETTER.value: "Brev",
           Channel.SITREP.value: "Situasjonsrapport"},
    "en": {Channel.EMAIL.value: "Email", Channel.NEWS.value: "News", Channel.PHONE.value: "Phone",
           Channel.INTRANET.value: "Intranet", Channel.SOCIAL_MEDIA.value: "Social media",
           Channel.MEETING.value: "Meeting", Channel.UNION_REP.value: "Union rep",
           Channel.SAFETY_REP.value: "Safety rep", Channel.LETTER.value: "Letter",
           Channel.SITREP.value: "Sitrep"},
}


@attrs.frozen
class Profile:
    name: str
    description: str
    language: str  # of the words `msel export` writes (headers, channels, triggers)
    mapping: ColumnMapping

    def header(self, field: str) -> str:
        """The header `msel export` writes for `field` (the mapping's first word for it)."""
        return self.mapping.columns[field][0]


_DREIEBOK = Profile(
    "dreiebok", "Norwegian dreiebok: ID, Tid, Fra, Til, Kanal, Tittel, Innspill, Forventet handling, "
    "Kriterium, Notater", "nb",
    ColumnMapping({"id": ("ID",), "time": ("Tid",), "from": ("Fra",), "to": ("Til",), "channel": ("Kanal",),
              "title": ("Tittel",), "body": ("Innspill",), "expected": ("Forventet handling",),
              "criteria": ("Kriterium",), "notes": ("Notater",)}),
)

_HSEEP = Profile(
    "hseep", "HSEEP MSEL template: Inject #, Scenario Time, From, To, Mode, Inject Title, Description, "
    "Expected Player Action, Objective, Notes", "en",
    ColumnMapping({"id": ("Inject #",), "time": ("Scenario Time",), "from": ("From",), "to": ("To",),
              "channel": ("Mode",), "title": ("Inject Title",), "body": ("Description",),
              "expected": ("Expected Player Action",), "criteria": ("Objective",), "notes": ("Notes",)}),
)

_AUTO = Profile(
    "auto", "the usual header words of either layout and of other exercise tools, Norwegian or English "
    "(Subject, Message, Sender, Recipient, Method, Time, Date/Time, …)", "nb",
    ColumnMapping({
        "id": ("ID", "Inject #", "Inject No", "Nr", "Nr.", "Innspill nr", "Event #", "MSEL #", "Ref"),
        "time": ("Tid", "Scenario Time", "Designated Scenario Time", "Time", "Date/Time", "Tidspunkt",
                 "Dato/tid", "When"),
        "from": ("Fra", "From", "Sender", "Avsender", "Source"),
        "to": ("Til", "To", "Recipient", "Mottaker", "Intended Player", "Player"),
        "channel": ("Kanal", "Mode", "Method", "Channel", "Delivery Method", "Medium"),
        "title": ("Tittel", "Inject Title", "Title", "Subject", "Emne", "Overskrift", "Event"),
        "body": ("Innspill", "Description", "Message", "Body", "Inject", "Tekst", "Melding", "Event Description",
                 "Content"),
        "expected": ("Forventet handling", "Expected Player Action", "Expected Action", "Expected Outcome",
                     "Forventet respons"),
        "criteria": ("Kriterium", "Kriterier", "Objective", "Objectives", "Criteria", "Capability"),
        "notes": ("Notater", "Notes", "Merknad", "Kommentar", "Controller Notes", "Notater til øvingsleder"),
    }),
)

PROFILES: Mapping[str, Profile] = {p.name: p for p in (_DREIEBOK, _HSEEP, _AUTO)}
