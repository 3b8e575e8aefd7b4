"""What the demo library holds: galleries, photos and videos taken from the seed pages.

Source pages (kept in ../shared/seeds): NATO's media page for "President of Poland visits NATO"
(ten photos captioned "NATO Secretary General Mark Rutte with Andrzej Duda, President of Poland",
two videos of the joint press conference, the editorial-only usage note) and NATO's press-release
list of March 2025 (Warsaw, Sweden, Herstal, Sarajevo and Pristina). Titles, dates, places, people
and gallery descriptions are the pages' own words; captions of the other galleries restate what
the press releases say happened. The pictures themselves are drawn by mediadesk (demo/scenes.py):
they are illustrations, and every one says so in its alt text and Exif camera make.

Dates carry the local offset of the place: every event here falls before the 30 March 2025
switch to summer time, so Brussels, Warsaw, Stockholm, Sarajevo and Pristina are all at +01:00
(Europe/Brussels, Europe/Warsaw, Europe/Stockholm, Europe/Sarajevo, Europe/Belgrade).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# -- rights: the same on every asset -----------------------------------------------------------
USAGE_TERMS = ("This media asset is free for editorial broadcast, print, online and radio use. "
               "It is restricted for use for other purposes.")
CREDIT = "NATO"
SOURCE = "NATO"
COPYRIGHT = "© NATO"
PHOTO_CREATOR = "NATO Photo"
VIDEO_CREATOR = "NATO Video"
ORGANISATIONS = ["NATO"]

# Exif camera fields of the drawn photos: they say where the pixels come from.
CAMERA_MAKE = "mediadesk demo"
CAMERA_MODEL = "Scene renderer 1"

RUTTE = "Mark Rutte"
DUDA = "Andrzej Duda"
CAVO_DRAGONE = "Giuseppe Cavo Dragone"


@dataclass(frozen=True)
class Place:
    sublocation: str
    city: str
    state: str
    country: str
    country_code: str  # ISO 3166-1 alpha-3; "" where there is none


NATO_HQ = Place("NATO Headquarters", "Brussels", "Brussels-Capital Region", "Belgium", "BEL")
WARSAW = Place("", "Warsaw", "Masovia", "Poland", "POL")
WARSAW_SGH = Place("Warsaw School of Economics", "Warsaw", "Masovia", "Poland", "POL")
GOTLAND = Place("Island of Gotland", "Gotland", "Gotland County", "Sweden", "SWE")
LULEA = Place("", "Luleå", "Norrbotten County", "Sweden", "SWE")
HERSTAL = Place("Thales factory", "Herstal", "Liège", "Belgium", "BEL")
SARAJEVO = Place("", "Sarajevo", "", "Bosnia and Herzegovina", "BIH")
SARAJEVO_UNI = Place("University of Sarajevo", "Sarajevo", "", "Bosnia and Herzegovina", "BIH")
PRISTINA = Place("KFOR", "Pristina", "", "Kosovo", "")


@dataclass(frozen=True)
class DemoPhoto:
    file_name: str
    caption: str
    taken: str                 # ISO 8601 with the local offset
    people: tuple[str, ...]
    place: Place
    scene: str                 # which drawing (see demo/scenes.py SCENES)
    flags: tuple[str, ...]     # flags in the picture (see demo/scenes.py FLAGS)
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoVideo:
    file_name: str
    title: str
    caption: str
    taken: str
    duration: int              # seconds; the encoded file is exactly this long
    speakers: tuple[tuple[str, str], ...]   # (name, role) in speaking order
    people: tuple[str, ...]
    place: Place
    keywords: tuple[str, ...] = ()
    chapters: tuple[str, ...] = ()          # one chapter per speaker's turn (NAME.chapters.vtt beside it)
    transcript: str | None = None           # the seed release spoken in it (NAME.en.transcript.txt)
    flags: tuple[str, ...] = ("NATO", "PL")


@dataclass(frozen=True)
class DemoRelease:
    """A press release of the seed page, made as a document of its event."""

    title: str                 # the release's title on the seed page
    stem: str                  # its file name without the extension
    written_as: str = "pdf"    # "pdf" or "html": the kind of file it is made as

    @property
    def file_name(self) -> str:
        return f"{self.stem}.{self.written_as}"


@dataclass(frozen=True)
class DemoGallery:
    title: str
    folder: str
    date: str
    end_date: str | None
    place: str
    description: str
    keywords: tuple[str, ...]
    photos: tuple[DemoPhoto, ...]
    videos: tuple[DemoVideo, ...] = field(default=())
    releases: tuple[DemoRelease, ...] = field(default=())


# -- President of Poland visits NATO (the NATO media page) -------------------------------------
POLAND_CAPTION = "NATO Secretary General Mark Rutte with Andrzej Duda, President of Poland"
OPENING_REMARKS = ("Joint press conference by NATO Secretary General and the President of Poland "
                   "(opening remarks)")
QA = "Joint press conference by NATO Secretary General and the President of Poland (Q&A)"
PRESS_CONFERENCE_CAPTION = ("Joint press conference by NATO Secretary General Mark Rutte with the "
                            "President of Poland, Andrzej Duda")

# (time, scene) of the ten photos: arrival, bilateral meeting, press conference
_POLAND_SHOTS = (
    ("09:58:41", "arrival"), ("09:59:02", "handshake"), ("10:03:17", "handshake"),
    ("10:06:55", "meeting"), ("10:08:30", "meeting"), ("10:21:12", "meeting"),
    ("11:01:48", "podium"), ("11:04:26", "podium"), ("11:12:09", "podium"), ("11:27:35", "handshake"),
)

POLAND_VISIT = DemoGallery(
    title="President of Poland visits NATO",
    folder="2025-03-06 President of Poland visits NATO",
    date="2025-03-06", end_date=None, place="NATO headquarters, Brussels",
    description=(
        "On Thursday (6 March 2025) NATO Secretary General Mark Rutte welcomed the President of "
        "Poland, Andrzej Duda to NATO headquarters in Brussels. The leaders discussed the security "
        "situation, support for Ukraine and the urgent need for Allies to ramp up defence spending "
        "and production in order to meet future challenges."),
    keywords=("NATO", "Poland", "Secretary General", "defence spending"),
    photos=tuple(
        DemoPhoto(f"250306-duda-{n:02d}.jpg", POLAND_CAPTION, f"2025-03-06T{t}+01:00",
                  (RUTTE, DUDA), NATO_HQ, scene, ("NATO", "PL"))
        for n, (t, scene) in enumerate(_POLAND_SHOTS, start=1)
    ),
    videos=(
        # The seed page lists TITLE / DATE / DURATION columns without values; these lengths are
        # the demo's own (short enough to encode in a few seconds).
        DemoVideo("250306-press-conference-opening-remarks.mp4", OPENING_REMARKS,
                  PRESS_CONFERENCE_CAPTION, "2025-03-06T11:00:00+01:00", 252,
                  ((RUTTE, "NATO Secretary General"), (DUDA, "President of Poland")),
                  (RUTTE, DUDA), NATO_HQ, ("press conference",),
                  chapters=("Opening remarks: Secretary General Mark Rutte",
                            "Opening remarks: President Andrzej Duda")),
        DemoVideo("250306-press-conference-qa.mp4", QA,
                  PRESS_CONFERENCE_CAPTION, "2025-03-06T11:11:00+01:00", 318,
                  ((RUTTE, "NATO Secretary General"), (DUDA, "President of Poland"),
                   (RUTTE, "NATO Secretary General"), (DUDA, "President of Poland")),
                  (RUTTE, DUDA), NATO_HQ, ("press conference",),
                  chapters=("Q&A: Mark Rutte", "Q&A: Andrzej Duda", "Q&A: Mark Rutte, second question",
                            "Q&A: Andrzej Duda, second question")),
    ),
)

# -- the press-release page ---------------------------------------------------------------------
WARSAW_VISIT = DemoGallery(
    title="Secretary General reaffirms transatlantic unity in Warsaw",
    folder="2025-03-26 Secretary General in Warsaw",
    date="2025-03-26", end_date=None, place="Warsaw, Poland",
    description=(
        "NATO Secretary General Mark Rutte visited Warsaw on Wednesday (26 March 2025), where he met "
        "Polish President Andrzej Duda, Prime Minister Donald Tusk, Deputy Prime Minister and Defence "
        "Minister Władysław Kosiniak-Kamysz, and Foreign Minister Radosław Sikorski. The Secretary "
        "General then gave a speech at a public event co-hosted by the Warsaw School of Economics and "
        "the Polish Institute of International Affairs."),
    keywords=("NATO", "Poland", "Secretary General"),
    photos=(
        DemoPhoto("250326-warsaw-01.jpg", "NATO Secretary General Mark Rutte with Andrzej Duda, "
                  "President of Poland, in Warsaw", "2025-03-26T10:15:20+01:00", (RUTTE, DUDA),
                  WARSAW, "handshake", ("PL", "NATO")),
        DemoPhoto("250326-warsaw-02.jpg", "NATO Secretary General Mark Rutte with Donald Tusk, "
                  "Prime Minister of Poland", "2025-03-26T11:40:05+01:00", (RUTTE, "Donald Tusk"),
                  WARSAW,
                  "meeting", ("PL", "NATO")),
        DemoPhoto("250326-warsaw-03.jpg", "NATO Secretary General Mark Rutte with Władysław "
                  "Kosiniak-Kamysz, Deputy Prime Minister and Minister of Defence of Poland, and "
                  "Radosław Sikorski, Minister of Foreign Affairs of Poland",
                  "2025-03-26T13:05:44+01:00",
                  (RUTTE, "Władysław Kosiniak-Kamysz", "Radosław Sikorski"),
                  WARSAW,
                  "meeting", ("PL", "NATO")),
        DemoPhoto("250326-warsaw-04.jpg", "NATO Secretary General Mark Rutte gives a speech at the "
                  "Warsaw School of Economics", "2025-03-26T15:32:10+01:00", (RUTTE,),
                  WARSAW_SGH, "lecture", ("PL", "NATO"), ("speech",)),
    ),
)

MILITARY_COMMITTEE_SWEDEN = DemoGallery(
    title="NATO Military Committee visits Sweden",
    folder="2025-03-26 Military Committee in Sweden",
    date="2025-03-26", end_date="2025-03-28", place="Gotland and Luleå, Sweden",
    description=(
        "From 26 to 28 March, the NATO Military Committee visited the Island of Gotland and Luleå "
        "in Sweden, on an invitation by the Swedish Chief of Defence, General Michael Claesson. This "
        "was the first visit of the Military Committee to Sweden, since the country became the 32nd "
        "member of the NATO Alliance, in March 2024."),
    keywords=("NATO", "Military Committee", "Sweden"),
    photos=(
        DemoPhoto("250326-gotland-01.jpg", "Admiral Giuseppe Cavo Dragone, Chair of the NATO Military "
                  "Committee, with General Michael Claesson, Swedish Chief of Defence, on Gotland",
                  "2025-03-26T10:20:00+01:00", (CAVO_DRAGONE, "Michael Claesson"), GOTLAND,
                  "handshake", ("SE", "NATO")),
        DemoPhoto("250326-gotland-02.jpg", "The NATO Military Committee meets the 18th Armoured "
                  "Regiment Gotland", "2025-03-26T14:45:31+01:00", (CAVO_DRAGONE,), GOTLAND,
                  "snowfield", ("SE",), ("armoured regiment",)),
        DemoPhoto("250327-lulea-01.jpg", "The NATO Military Committee in Luleå, hosted by Major "
                  "General Jonas Wikman, Chief of the Swedish Air Force", "2025-03-27T11:02:12+01:00",
                  (CAVO_DRAGONE, "Jonas Wikman"), LULEA, "snowfield", ("SE", "NATO"), ("High North",)),
        DemoPhoto("250328-lulea-02.jpg", "Admirals and generals of the NATO Military Committee meet "
                  "conscripts in Luleå", "2025-03-28T09:48:57+01:00", (CAVO_DRAGONE,), LULEA,
                  "lecture", ("SE", "NATO"), ("conscripts", "High North")),
    ),
)

THALES_HERSTAL = DemoGallery(
    title="NATO Secretary General visits Thales Herstal factory",
    folder="2025-03-27 Thales Herstal factory",
    date="2025-03-27", end_date=None, place="Herstal, Belgium",
    description=(
        "NATO Secretary General Mark Rutte travelled to Herstal, Belgium on Thursday (27 March 2025) "
        "for a meeting with the Chairman and CEO of the Thales Group, Patrice Caine. While in "
        "Herstal, Mr Rutte toured the Thales factory with the Prime Minister of Belgium, Bart De "
        "Wever."),
    keywords=("NATO", "defence industry", "Belgium"),
    photos=(
        DemoPhoto("250327-herstal-01.jpg", "NATO Secretary General Mark Rutte with Patrice Caine, "
                  "Chairman and CEO of the Thales Group", "2025-03-27T10:12:40+01:00",
                  (RUTTE, "Patrice Caine"), HERSTAL, "handshake", ("BE", "NATO")),
        DemoPhoto("250327-herstal-02.jpg", "NATO Secretary General Mark Rutte and Bart De Wever, "
                  "Prime Minister of Belgium, tour the Thales factory in Herstal",
                  "2025-03-27T10:58:03+01:00", (RUTTE, "Bart De Wever"), HERSTAL, "factory", ("BE",)),
        DemoPhoto("250327-herstal-03.jpg", "NATO Secretary General Mark Rutte at the Thales factory "
                  "in Herstal", "2025-03-27T11:20:27+01:00", (RUTTE, "Bart De Wever", "Patrice Caine"),
                  HERSTAL, "factory", ("BE",), ("defence production",)),
    ),
)

WESTERN_BALKANS = DemoGallery(
    title="Secretary General Rutte visits Sarajevo and Pristina",
    folder="2025-03-10 Western Balkans",
    date="2025-03-10", end_date="2025-03-11", place="Sarajevo and Pristina",
    description=(
        "On 10 and 11 March 2025, NATO’s Secretary General, Mark Rutte, visited Sarajevo and "
        "Pristina. In Sarajevo, he met high-level officials from Bosnia and Herzegovina; in Pristina, "
        "the Secretary General led a visit of the North Atlantic Council and troop contributing "
        "partners to the NATO-led KFOR mission and the NATO Advisory and Liaison Team."),
    keywords=("NATO", "Western Balkans", "KFOR"),
    photos=(
        DemoPhoto("250310-sarajevo-01.jpg", "NATO Secretary General Mark Rutte meets the Chair and "
                  "members of the Presidency of Bosnia and Herzegovina", "2025-03-10T10:30:15+01:00",
                  (RUTTE,), SARAJEVO, "meeting", ("BA", "NATO")),
        DemoPhoto("250310-sarajevo-02.jpg", "NATO Secretary General Mark Rutte with students at the "
                  "University of Sarajevo", "2025-03-10T16:05:48+01:00", (RUTTE,), SARAJEVO_UNI,
                  "lecture", ("BA", "NATO"), ("students",)),
        DemoPhoto("250311-pristina-01.jpg", "NATO Secretary General Mark Rutte leads a visit of the "
                  "North Atlantic Council to the NATO-led KFOR mission", "2025-03-11T09:40:22+01:00",
                  (RUTTE,), PRISTINA, "troops", ("NATO",), ("North Atlantic Council",)),
        DemoPhoto("250311-pristina-02.jpg", "NATO Secretary General Mark Rutte, NATO Deputy Secretary "
                  "General Radmila Shekerinska and Admiral Giuseppe Cavo Dragone with KFOR personnel",
                  "2025-03-11T11:15:09+01:00", (RUTTE, "Radmila Shekerinska", CAVO_DRAGONE), PRISTINA,
                  "troops", ("NATO",)),
    ),
)

# -- the words (issue 16): the seed's press releases as documents of their events ---------------
FREE_USE_PROFILE = "Press releases (free use)"
FREE_USE_NOTE = ("Free use: this press release may be reproduced and quoted, in full or in part, "
                 "for any purpose.")
DOCUMENT_CREATOR = "NATO Press Office"
WASHINGTON = Place("White House", "Washington", "District of Columbia", "United States", "USA")
REMARKS = "Remarks"


def _with_release(gallery: DemoGallery, *releases: DemoRelease) -> DemoGallery:
    return replace(gallery, releases=releases)


USA_VISIT = DemoGallery(
    title="NATO Secretary General visits the United States of America",
    folder="2025-03-13 Secretary General in Washington",
    date="2025-03-13", end_date="2025-03-14", place="Washington DC, United States",
    description=(
        "On Thursday 13 and Friday 14 March 2025 NATO Secretary General Mark Rutte visited Washington "
        "DC to meet the President of the United States of America Donald J. Trump."),
    keywords=("NATO", "United States", "Secretary General"),
    photos=(
        DemoPhoto("250313-washington-01.jpg", "NATO Secretary General Mark Rutte with Donald J. Trump, "
                  "President of the United States of America, in the Oval Office of the White House",
                  "2025-03-13T14:02:18-04:00", (RUTTE, "Donald J. Trump"), WASHINGTON, "meeting", ("NATO",)),
    ),
    # Washington is on daylight saving time from 9 March 2025: -04:00
    videos=(
        DemoVideo("250313-oval-office-remarks.mp4", "Remarks by NATO Secretary General Mark Rutte in the "
                  "Oval Office", "NATO Secretary General Mark Rutte speaks in the Oval Office of the White "
                  "House, before his bilateral meeting with President Donald J. Trump",
                  "2025-03-13T13:55:00-04:00", 170, ((RUTTE, "NATO Secretary General"),),
                  (RUTTE, "Donald J. Trump"), WASHINGTON, ("remarks", "defence production"),
                  transcript=REMARKS, flags=("NATO",),
                  # one chapter per paragraph of the remarks (demo/documents.py times them)
                  chapters=("Thanks to the President", "Defence spending in Europe", "Defence production",
                            "Ukraine and the Hague Summit")),
    ),
    releases=(DemoRelease("NATO Secretary General visits the United States of America",
                          "250313-secretary-general-visits-the-united-states"),),
)


def _release_only(title: str, folder: str, date: str, place: str, keywords: tuple[str, ...],
                  stem: str, written_as: str = "pdf") -> DemoGallery:
    """An event of the seed page that has a press release and no pictures (no media opportunity)."""
    return DemoGallery(title=title, folder=folder, date=date, end_date=None, place=place,
                       description="", keywords=keywords, photos=(),
                       releases=(DemoRelease(title, stem, written_as),))


RELEASE_ONLY = (
    _release_only("NATO Secretary General meets the President of the Republic of Serbia",
                  "2025-03-19 Secretary General meets the President of Serbia", "2025-03-19",
                  "Brussels, Belgium", ("NATO", "Serbia"), "250319-president-of-serbia", "html"),
    _release_only("NATO Chiefs of Defence’s (virtual) meeting", "2025-03-18 Chiefs of Defence meeting",
                  "2025-03-18", "NATO headquarters, Brussels", ("NATO", "Military Committee"),
                  "250318-chiefs-of-defence"),
    _release_only("NATO Secretary General meets the Minister of Foreign Affairs of the Republic of Lithuania",
                  "2025-03-17 Secretary General meets the Minister of Foreign Affairs of Lithuania",
                  "2025-03-17", "NATO headquarters, Brussels", ("NATO", "Lithuania"),
                  "250317-minister-of-foreign-affairs-of-lithuania", "html"),
    _release_only("NATO Deputy Secretary General meets the EU Special Representative for the "
                  "Belgrade-Pristina Dialogue and other Western Balkan regional issues",
                  "2025-03-31 Deputy Secretary General meets the EU Special Representative",
                  "2025-03-31", "NATO headquarters, Brussels", ("NATO", "Western Balkans"),
                  "250331-deputy-secretary-general-eu-special-representative"),
)

GALLERIES: tuple[DemoGallery, ...] = (
    POLAND_VISIT,
    _with_release(WARSAW_VISIT, DemoRelease(
        "Secretary General reaffirms transatlantic unity in Warsaw: There is no alternative to NATO",
        "250326-transatlantic-unity-in-warsaw")),
    _with_release(MILITARY_COMMITTEE_SWEDEN, DemoRelease("NATO Military Committee visits Sweden",
                                                         "250328-military-committee-visits-sweden")),
    _with_release(THALES_HERSTAL, DemoRelease("NATO Secretary General visits Thales Herstal factory",
                                              "250327-thales-herstal-factory", "html")),
    _with_release(WESTERN_BALKANS, DemoRelease(
        "NATO reaffirms its commitment to Western Balkans stability, as Secretary General Rutte wraps up "
        "visits to Sarajevo and Pristina", "250311-western-balkans-stability")),
    USA_VISIT,
    *RELEASE_ONLY,
)


def _common(gallery: DemoGallery, place: Place, taken: str, people: tuple[str, ...],
            keywords: tuple[str, ...]) -> dict[str, object]:
    return {
        "event": gallery.title,
        "date_created": taken,
        "keywords": list(dict.fromkeys(gallery.keywords + keywords)),
        "people": list(people),
        "organisations": list(ORGANISATIONS),
        "sublocation": place.sublocation, "city": place.city, "state": place.state,
        "country": place.country, "country_code": place.country_code,
        "credit": CREDIT, "source": SOURCE, "copyright": COPYRIGHT, "usage_terms": USAGE_TERMS,
    }


def photo_fields(gallery: DemoGallery, photo: DemoPhoto) -> dict[str, object]:
    """The catalog fields written into a demo photo (names from domain/fields.py)."""
    fields = _common(gallery, photo.place, photo.taken, photo.people, photo.keywords)
    fields.update(
        headline=gallery.title, caption=photo.caption, creator=PHOTO_CREATOR,
        alt_text=f"Illustration drawn by mediadesk for its demo library ({photo.scene} scene): "
                 "stylised figures, flags and a caption strip; not a photograph.",
    )
    return {k: v for k, v in fields.items() if v not in ("", [], None)}


def video_fields(gallery: DemoGallery, video: DemoVideo) -> dict[str, object]:
    """The catalog fields of a demo video (written to its XMP sidecar and container tags)."""
    fields = _common(gallery, video.place, video.taken, video.people, video.keywords)
    fields.update(title=video.title, headline=gallery.title, caption=video.caption,
                  creator=VIDEO_CREATOR)
    return {k: v for k, v in fields.items() if v not in ("", [], None)}


def document_fields(gallery: DemoGallery) -> dict[str, object]:
    """The catalog fields a demo document carries with it (in the PDF's XMP, or an XMP sidecar):
    the rights of a press release (free use), credit and source; title, date and text are the
    document's own."""
    return {"event": gallery.title, "keywords": list(gallery.keywords), "organisations": list(ORGANISATIONS),
            "creator": DOCUMENT_CREATOR, "credit": CREDIT, "source": SOURCE, "copyright": COPYRIGHT,
            "usage_terms": FREE_USE_NOTE}
