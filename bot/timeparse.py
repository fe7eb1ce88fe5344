"""Reading dates, times, zones and durations the way ISCG members write them.

Every command that reads a date goes through this module, so "CET", "Geneva
time", "before TDAG" or "next Tuesday" mean the same thing everywhere.

Public API
----------
- `parse_when(text, *, now, zone, sessions) -> Instant | Window`: what
  /schedule and /reschedule take. An `Instant` is a precise start
  (`3 Dec 14:00 America/Mexico_City`, `1 June 15:00 CET`, `next Tuesday 10:00`);
  a `Window` is a span to propose slots in (`during TSAG`, `before TDAG`,
  `after RAG`, `between RAG and TDAG`, `next week`, `in January`, a day
  without a time). Either may carry a duration written in the text
  (`... for 90 minutes`). The date and time may be in French, Spanish, Russian or
  Arabic (`le 3 décembre à 14h`): read in English words, and the reading says so.
- `parse_duration(text) -> timedelta`: `60m`, `1h30`, `90 minutes`, `for 2 hours`.
- `due_date(text, *, now, zone, sessions) -> DueDate` and its async twin
  `parse_due(text, *, now, zone, conn)`: action-item due dates (`by Friday`,
  `by 15 January`, `before TDAG` = first day of the next TDAG session,
  `due 2027-01-15`).
- `split_due(text, *, now, zone, sessions) -> (rest, DueDate | None)`: finds a
  trailing `by ...` / `due ...` / `before ...` in a sentence ("send the
  mapping to TSB by Friday").
- `find_zone(text) -> (zone, label, text without it)`: the zone named in a
  text (IANA name, city word, CET/CEST as Geneva wall-clock time, UTC offsets).
- `zone_of_place(place)`: the zone of a session's place (Geneva -> Europe/Zurich).
- `when_text(moment, zone)`: the one way instants are shown, with the offset.

Every refusal raises `TimeParseError` (a `UserError`): the message names the
part that failed and the example shows a phrase that works.

`now` is always the caller's clock (`ctx.now`), never the system time, so tests
fix it; `zone` is the reader's zone, used when the text names none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

import aiosqlite
from dateparser import PartOfDay
from dateparser.conf import Settings
from dateparser.date import DateData, DateDataParser
from dateparser.languages.loader import default_loader
from dateparser.timezone_parser import pop_tz_offset_from_string
from rapidfuzz import fuzz, process

from bot.core import OTHER_LANGUAGES, UserError
from storage import sessions as session_store
from storage.sessions import GROUPS, Session, canonical_group

GENEVA = ZoneInfo("Europe/Zurich")
UTC = ZoneInfo("UTC")
SCHEDULE_COMMAND = "/schedule Climate change |"
EXAMPLE_TIME = "3 Dec 14:00 Geneva time"
SCHEDULE_EXAMPLE = f"{SCHEDULE_COMMAND} {EXAMPLE_TIME}"
WINDOW_EXAMPLE = "/schedule Climate change | between RAG and TDAG"

DUE_EXAMPLE = "by 15 January"
# A meeting further ahead than this is a misreading unless the text wrote its year in full.
FAR_AHEAD = dt.timedelta(days=2 * 366)
# Years ahead no date is taken even written in full: "31 Dec 9999" was an apology (the
# calendar's time zone rules and reminders reach past the last year Python has).
LAST_YEARS_AHEAD = 100
# A day without a year that went by this recently was mistyped, not meant for next year.
RECENTLY = dt.timedelta(days=92)
# How far ahead of today a date in an example is: in the future whatever the year.
EXAMPLE_AHEAD = dt.timedelta(days=28)
MIN_DURATION = dt.timedelta(minutes=5)
MAX_DURATION = dt.timedelta(hours=12)
MAIN_ZONES = 3  # the members' zones a group message shows, after UTC and Geneva
# How far around a session "before X" / "after X" look for a slot.
NEAR_SESSION = dt.timedelta(days=14)
# How far a day of the month written alone in a range ("30 to 2 December") may be in the
# month beside the other end's; further, "9 to 7 December" is a slip, refused.
ACROSS_MONTHS = dt.timedelta(days=14)
# "During" a session a meeting goes around its working day, in the place's zone.
SESSION_DAY = (dt.time(9, 0), dt.time(17, 30))

# "tomorrow morning", "Tuesday afternoon", "this evening", "tonight": the hours of the
# day a window of that part of it proposes slots in, in the zone its day is counted in.
PART_OF_DAY: dict[PartOfDay | None, tuple[str, dt.time, dt.time]] = {
    PartOfDay.EARLY_MORNING: ("early morning", dt.time(6, 0), dt.time(9, 0)),
    PartOfDay.MORNING: ("morning", dt.time(8, 0), dt.time(12, 0)),
    PartOfDay.AFTERNOON: ("afternoon", dt.time(12, 0), dt.time(18, 0)),
    PartOfDay.EVENING: ("evening", dt.time(18, 0), dt.time(22, 0)),
    PartOfDay.NIGHT: ("evening", dt.time(18, 0), dt.time(22, 0)),  # "tonight"
}
# City words members use for zones ("Geneva time", "Beijing time").
CITY_ZONES: dict[str, str] = {
    "geneva": "Europe/Zurich",
    "zurich": "Europe/Zurich",
    "bern": "Europe/Zurich",
    "beijing": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai",
    "mexico city": "America/Mexico_City",
    "mexico": "America/Mexico_City",
    "douala": "Africa/Douala",
    "yaounde": "Africa/Douala",
    "tehran": "Asia/Tehran",
    "vilnius": "Europe/Vilnius",
    "paris": "Europe/Paris",
    "rome": "Europe/Rome",
    "london": "Europe/London",
    "new york": "America/New_York",
    "washington": "America/New_York",
    "tokyo": "Asia/Tokyo",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "kolkata": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "kathmandu": "Asia/Kathmandu",
    "auckland": "Pacific/Auckland",
    "wellington": "Pacific/Auckland",
    "dubai": "Asia/Dubai",
    "moscow": "Europe/Moscow",
    "nairobi": "Africa/Nairobi",
    "cairo": "Africa/Cairo",
    "brasilia": "America/Sao_Paulo",
    "sao paulo": "America/Sao_Paulo",
    "sydney": "Australia/Sydney",
    "singapore": "Asia/Singapore",
    "bangkok": "Asia/Bangkok",
    "budapest": "Europe/Budapest",
    "bucharest": "Europe/Bucharest",
    # Countries of one zone, as members name their own ("China time", "Iran time").
    "switzerland": "Europe/Zurich",
    "swiss": "Europe/Zurich",
    "china": "Asia/Shanghai",
    "cameroon": "Africa/Douala",
    "iran": "Asia/Tehran",
    "lithuania": "Europe/Vilnius",
    "india": "Asia/Kolkata",
    "japan": "Asia/Tokyo",
    "kenya": "Africa/Nairobi",
    "nigeria": "Africa/Lagos",
    "egypt": "Africa/Cairo",
    "uk": "Europe/London",
}
# What a zone is called where times are listed (`zone_name`): its first city word above.
_ZONE_WORDS = {key: city.title() for city, key in reversed(CITY_ZONES.items())}
# Abbreviations that name more than one zone: refused rather than guessed, with a
# question that names each reading and the city word that says it.
AMBIGUOUS_ABBREVIATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CST": (
        "China, Central (Mexico City or US, which differ in summer) or Cuba Standard Time",
        ("Beijing", "Mexico City", "Chicago", "Havana"),
    ),
    "IST": ("India, Irish or Israel Standard Time", ("Delhi", "Dublin", "Jerusalem")),
    "BST": ("British Summer or Bangladesh Standard Time", ("London", "Dhaka")),
    "AST": ("Atlantic or Arabia Standard Time", ("Halifax", "Riyadh")),
    "GST": ("Gulf or South Georgia Standard Time", ("Dubai", "South Georgia")),
    "ECT": ("Ecuador or Eastern Caribbean Time", ("Guayaquil", "Port of Spain")),
    "SST": ("Samoa or Singapore Standard Time", ("Pago Pago", "Singapore")),
    "CT": (
        "Central Time, Mexico City's or the US's (they differ in summer)",
        ("Mexico City", "Chicago"),
    ),
}
# Abbreviations that are safe. A place's standard and summer names both mean its
# wall-clock time, as ITU documents use CET and CEST for Geneva's ("NZST" written for a
# December day is Auckland's 14:00 then, in summer time); the reply shows the offset taken.
SAFE_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "CET": ("Europe/Zurich", "CET read as Geneva time"),
    "CEST": ("Europe/Zurich", "CEST read as Geneva time"),
    "UTC": ("UTC", "UTC"),
    "GMT": ("UTC", "GMT (UTC)"),
    "EST": ("America/New_York", "EST read as New York time"),
    "EDT": ("America/New_York", "EDT read as New York time"),
    "PST": ("America/Los_Angeles", "PST read as Los Angeles time"),
    "PDT": ("America/Los_Angeles", "PDT read as Los Angeles time"),
    "ET": ("America/New_York", "ET read as New York time"),
    "PT": ("America/Los_Angeles", "PT read as Los Angeles time"),
    "EET": ("Europe/Vilnius", "EET read as Vilnius time"),
    "EEST": ("Europe/Vilnius", "EEST read as Vilnius time"),
    "WET": ("Europe/Lisbon", "WET read as Lisbon time"),
    "WEST": ("Europe/Lisbon", "WEST read as Lisbon time"),
    "NZT": ("Pacific/Auckland", "NZT read as Auckland time"),
    "NZST": ("Pacific/Auckland", "NZST read as Auckland time"),
    "NZDT": ("Pacific/Auckland", "NZDT read as Auckland time"),
    "AEST": ("Australia/Sydney", "AEST read as Sydney time"),
    "AEDT": ("Australia/Sydney", "AEDT read as Sydney time"),
    "BRT": ("America/Sao_Paulo", "BRT (Brasilia)"),
    "ART": ("America/Argentina/Buenos_Aires", "ART (Buenos Aires)"),
    "WAT": ("Africa/Lagos", "WAT (Lagos)"),
    "CAT": ("Africa/Maputo", "CAT (Maputo)"),
    "EAT": ("Africa/Nairobi", "EAT (Nairobi)"),
    "SAST": ("Africa/Johannesburg", "SAST (Johannesburg)"),
    "MSK": ("Europe/Moscow", "MSK (Moscow)"),
    "IRST": ("Asia/Tehran", "IRST (Tehran)"),
    "PKT": ("Asia/Karachi", "PKT (Karachi)"),
    "NPT": ("Asia/Kathmandu", "NPT (Kathmandu)"),
    "ICT": ("Asia/Bangkok", "ICT (Bangkok)"),
    "WIB": ("Asia/Jakarta", "WIB (Jakarta)"),
    "SGT": ("Asia/Singapore", "SGT (Singapore)"),
    "HKT": ("Asia/Hong_Kong", "HKT (Hong Kong)"),
    "PHT": ("Asia/Manila", "PHT (Manila)"),
    "KST": ("Asia/Seoul", "KST (Seoul)"),
    "JST": ("Asia/Tokyo", "JST (Tokyo)"),
}
_IANA = re.compile(r"(?<![\w/])((?:[A-Za-z][A-Za-z0-9_+\-]*/)+[A-Za-z0-9_+\-]+)(?![\w/])")
# Not inside an IANA name: "Etc/GMT+5" is UTC-5, not the offset "GMT+5".
_OFFSET = re.compile(r"(?<!/)\b(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\b", re.IGNORECASE)
# An offset written right after the time, as ISO 8601 and mail headers do: "15:00 +05:30",
# "14:00-05:00", "2026-12-03T14:00:00+0100".
_BARE_OFFSET = re.compile(
    r"(?P<clock>(?<![\d:])\d{1,2}:\d{2})(?::\d{2})?\s*(?P<sign>[+-])(?P<h>0\d|1[0-4]):?"
    r"(?P<m>[034][05])\b"
)
# "Z" right after a time ("14:00Z", "1400Z", "2026-12-03T14:00:00Z"): UTC. Read by
# dateparser, the time was right but said back as the reader's own zone's.
_ZULU = re.compile(r"(?<=\d)Z\b")
_ABBREVIATION = re.compile(r"\b([A-Z]{2,4})\b")
# The same cities as delegates name them in the other UN languages, with the words
# around them ("heure de Genève", "hora de la Ciudad de México", "北京时间",
# "по московскому времени", "بتوقيت جنيف"): the English city each one is.
FOREIGN_CITIES: dict[str, str] = {
    "genève": "geneva",
    "ginebra": "geneva",
    "женева": "geneva",
    "женевскому времени": "geneva",
    "日内瓦": "geneva",
    "جنيف": "geneva",
    "pékin": "beijing",
    "pekín": "beijing",
    "пекин": "beijing",
    "пекинскому времени": "beijing",
    "北京": "beijing",
    "بكين": "beijing",
    "ciudad de méxico": "mexico city",
    "ciudad de mexico": "mexico city",
    "méxico": "mexico",
    "mexique": "mexico",
    "cdmx": "mexico city",
    "nueva york": "new york",
    "нью-йорк": "new york",
    "纽约": "new york",
    "moscou": "moscow",
    "moscú": "moscow",
    "москва": "moscow",
    "московскому времени": "moscow",
    "莫斯科": "moscow",
    "موسكو": "moscow",
    "le caire": "cairo",
    "el cairo": "cairo",
    "القاهرة": "cairo",
    "دبي": "dubai",
    "téhéran": "tehran",
    "teherán": "tehran",
    "tokio": "tokyo",
    "东京": "tokyo",
    "londres": "london",
    "лондон": "london",
    "伦敦": "london",
    "brasília": "brasilia",
}
_CITY = re.compile(
    # "heure de", "hora de la", "по", "بتوقيت" before the city; "time", "时间" after it.
    r"(?<!\w)(?:in\s+|(?:à|a|en)\s+)?(?:heure\s+(?:de\s+|d['’]\s*)|hora\s+(?:de\s+(?:la\s+)?|del\s+)"
    r"|по\s+|ب?توقيت\s+)?("
    + "|".join(sorted((re.escape(c) for c in CITY_ZONES | FOREIGN_CITIES), key=len, reverse=True))
    + r")(?:\s+time|\s*时间)?(?!\w)",
    re.IGNORECASE,
)
# Any place of the IANA database named with "time" ("Lagos time", "Buenos Aires time").
_PLACE_TIME = re.compile(r"\b((?:[A-Za-z][\w'-]*\s+){0,2}[A-Za-z][\w'-]*)\s+time\b", re.IGNORECASE)
_PLACE_REGIONS = {
    "Africa",
    "America",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
}
# "14:00 local time", "my time": the reader's own zone, said out loud.
_OWN_TIME = re.compile(r"\b(?:local|my|your)\s+time\b", re.IGNORECASE)
_TIME = re.compile(
    r"(?<!\d)\d{1,2}(?::\d{2}|\s?h(?:\s?\d{2})?\b|\s*[ap]\.?m\.?\b)|\bnoon\b|\bmidnight\b",
    re.IGNORECASE,
)
# A time and nothing else ("15:00", "3pm", "noon"), once "15h30" is written "15:30".
_BARE_TIME = re.compile(
    r"\d{1,2}(?::\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)|noon|midnight", re.IGNORECASE
)
_WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name.lower(): n for n, name in enumerate(calendar.day_abbr)}
_WEEKDAYS |= {"tues": 1, "thur": 3, "thurs": 3}
# A weekday and a time, in either order, with no "next" or "this": "Tuesday 14:00", "3pm Fri".
_WEEKDAY_TIME = re.compile(
    rf"(?:(?P<day>{'|'.join(_WEEKDAYS)})\.?,?\s+(?:at\s+)?(?P<time>{_BARE_TIME.pattern})"
    rf"|(?P<time2>{_BARE_TIME.pattern})\s+(?:on\s+)?(?P<day2>{'|'.join(_WEEKDAYS)})\.?)",
    re.IGNORECASE,
)
_ARTICLE_WEEKDAY = re.compile(rf"\ban?\s+(?=(?:{'|'.join(_WEEKDAYS)})\b)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\d/.:-])(\d{1,2})[/.](\d{1,2})(?:[/.]\d{2,4})?\.?(?![\d/:])")
_MIDNIGHT = re.compile(r"\bmidnight\b", re.IGNORECASE)
# "14.00", "9.30": a time as much of Europe writes it (not "3.12." or "3.12.2026", dates).
_DOTTED_TIME = re.compile(r"(?<![\d.])([01]?\d|2[0-3])\.([0-5]\d)(?![\d.])")
# "14:00-15:00", "2-3pm", "9:30 to 11:00": a start and an end on the same line.
_RANGE = re.compile(
    r"(?<![\d:./-])(?P<a>\d{1,2}(?::\d{2})?)(?:\s*(?P<ap1>[ap]m))?"
    r"(?P<sep>\s*(?:-|–|—|\bto\b|\buntil\b)\s*)"
    r"(?P<b>\d{1,2}(?::\d{2})?)(?:\s*(?P<ap2>[ap]m\b))?(?![\d:])",
    re.IGNORECASE,
)
_END_OF_DAY = re.compile(r"(?<![\d:])24(?::|h|\.)?00\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Za-z]+)\.?(?:\s+(\d{4}))?\b")  # 31 Feb 2027
_RELATIVE = re.compile(
    r"\b(next|this|coming|tomorrow|today|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b",
    re.IGNORECASE,
)
# The units in the members' languages too ("1 hora", "2 heures", "90 minutos", "1 час",
# "2小时"): taken for an attendee, "| 1 hora" got 'I do not know whom "1 hora" means'.
_HOURS_UNIT = r"(?:h|hrs?|hours?|horas?|heures?|час(?:а|ов)?|小时|小時)"
_MINUTES_UNIT = r"(?:m|min|mins|minutes?|minutos?|минут[аы]?|分钟|分鐘)"
_DURATION = re.compile(
    r"^(?:for\s+)?(?:"
    rf"(?P<h>\d+(?:[.,]\d+)?)\s*{_HOURS_UNIT}\s*(?:(?P<hm>\d{{1,2}})\s*{_MINUTES_UNIT}?)?"
    rf"|(?P<m>\d+)\s*{_MINUTES_UNIT}"
    r"|(?P<ch>\d{1,2}):(?P<cm>\d{2})"
    r")$",
    re.IGNORECASE,
)
_TRAILING_DURATION = re.compile(
    r"\s+for\s+(\d+(?:[.,]\d+)?\s*(?:h|hrs?|hours?)(?:\s*\d{1,2}\s*(?:m|min|mins|minutes?)?)?"
    r"|\d+\s*(?:m|min|mins|minutes?))\s*$",
    re.IGNORECASE,
)
# "in 1 hour", "in 90 minutes", "in an hour", "in 1h": that long from now. Read as a
# day with a time, "in 1h" was 01:00 the next night; "in 2 hours", the whole day.
# "in 2 hours", "in 1h30", "in 90 minutes", "in an hour": that long from now.
_FROM_NOW = re.compile(r"in\s+(?:(?:an?|one)\s+(?P<hour>hour|hr)|(?P<span>\d.*))", re.IGNORECASE)
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9  # as dateparser reads it, and as many write September short
# dateparser's English for "demain", "aujourd'hui", "hier" ("in 1 day", "0 day ago"), said
# back in a reply as a person would put it.
_RELATIVE_DAYS = {
    "in 1 day": "tomorrow",
    "0 day ago": "today",
    "1 day ago": "yesterday",
    # "esta semana", "cette semaine", "на этой неделе": read as today alone, a meeting
    # later this week was not listed by /meetings.
    "0 week ago": "this week",
}
_DATEPARSER_DAY = re.compile("|".join(map(re.escape, _RELATIVE_DAYS)), re.IGNORECASE)
_FULL_MONTHS = frozenset(name.lower() for name in calendar.month_name if name)
# Weekdays and months in full, which a mistyped one is matched against.
_DAY_WORDS = tuple(name.lower() for name in (*calendar.day_name, *calendar.month_name) if name)
# Chinese characters: a date in Chinese is put in English words by `_from_chinese`.
_HAN = re.compile(r"[\u4e00-\u9fff]")
# An hour alone, with no minutes, am/pm or "h": "tomorrow at 3", "Tuesday 10". dateparser
# took it for a day of the month or a year, or dropped it and proposed the whole day.
_AT_BARE_HOUR = re.compile(
    rf"\bat\s+(\d{{1,2}})(?![\d:.a-z])(?!\s*(?:[ap]\.?m\b|o'?clock|h\b|(?:{'|'.join(_MONTHS)})\b))",
    re.IGNORECASE,
)
_DAY_BARE_HOUR = re.compile(
    rf"\b(?:today|tomorrow|tonight|{'|'.join(_WEEKDAYS)})\.?,?\s+(\d{{1,2}})$", re.IGNORECASE
)
# Words around a date or time that dateparser's language data lacks, left out:
# "le 3 décembre à 14h", "el martes a las 14:00", "во вторник в 14:00", "الساعة 14:00".
_FOREIGN_FILLER = re.compile(
    # Not in capitals: "3 Dec 14:00 LA" names a place, not the French "la"; nor last, as
    # an article or "à" never is: "3 Dec 14:00 La" was booked in Geneva, "La" left out.
    r"(?<!\w)(?:[Ll]e|[Ll]a|[Ee]l|[àÀ]|[Aa]\s+las?|[Vv]ers|[Ll]as|[Вв]о?|الساعة|في|يوم)(?!\w)"
    r"(?=\s*[^\s.!?,;])"
)
# "next" as it follows or leads the day: "mardi prochain", "el próximo martes",
# "в следующий вторник", "الثلاثاء القادم".
_FOREIGN_NEXT = re.compile(
    r"(?<!\w)(?:prochaine?|pr[oó]xim[oa]|que\s+viene|следующ(?:ий|ую|ее|ей|ая)|القادم|المقبل)(?!\w)",
    re.IGNORECASE,
)
# "midday", "mediodía", "полдень": noon, which dateparser reads in English and French
# ("midi") alone; "3 Dec midday" could not be read.
_NOON = re.compile(r"(?<!\w)(?:mid-?day|(?:a\s+|al\s+)?mediod[ií]a|полдень)(?!\w)", re.IGNORECASE)
# "14 heures", "14 horas", "14 часов": the hour, with minutes 00.
_FOREIGN_HOURS = re.compile(r"(?<![\d:])(\d{1,2})\s+(?:heures?|horas?|часа|часов|час)(?!\w)", re.I)
# A range of hours in French, Spanish or Russian, once its hours are written 10:00: "de
# 10:00 à 12:00", "de 10:00 a 12:00", "с 10:00 до 12:00". Translated word by word, the
# "a" became "year" and the range was not read.
_FOREIGN_RANGE = re.compile(
    r"(?<!\w)(?:(?:de|desde|entre|с)\s+)?(\d{1,2}:\d{2})\s*(?:à|a|al|hasta|y|et|до)\s+"
    r"(\d{1,2}:\d{2})(?![\d:])",
    re.IGNORECASE,
)
# "el jueves de 10 a 12": bare numbers led by "de", left "10-12" for the English reading
# to tell hours beside a day ("thursday 10-12") from days of a month ("2-4 december").
_FOREIGN_BARE_RANGE = re.compile(
    r"(?<!\w)(?:de|desde|с)\s+(\d{1,2})\s+(?:à|a|hasta|до)\s+(\d{1,2})(?![\d:.])",
    re.IGNORECASE,
)
# An hour with its part of the day, as Spanish, French and Russian say am and pm: "a las
# 9 de la mañana", "4 de la tarde", "9:00 du matin" ("9 heures", once written 9:00),
# "в 4 часа дня" -> 9:00am, 4:00pm. Left, "de la mañana" (of the morning) was "tomorrow".
_FOREIGN_MERIDIEM = re.compile(
    r"(?<![\d:])(\d{1,2})(?::(\d{2}))?\s+(?:(?:de\s+la\s+)?(mañana|madrugada|tarde|noche)"
    r"|du\s+(matin|soir)|de\s+l['’]\s*(après-midi)|(утра|ночи|дня|вечера))(?!\w)",
    re.IGNORECASE,
)
_MORNING_WORDS = frozenset({"mañana", "madrugada", "matin", "утра", "ночи"})
# Parts of the day whose 12 is midnight (12:00am, as English writes it), not noon.
_MIDNIGHT_WORDS = frozenset({"madrugada", "ночи", "noche", "soir", "вечера"})


def _foreign_meridiem(match: re.Match[str]) -> str:
    """`_FOREIGN_MERIDIEM`'s hour as English writes it: `9:00am`, `4:30pm`; 12 of the
    morning ("de 10 a 12 de la mañana") is noon, the morning's end, as it stands (as
    12:00am, midnight, the range was booked on 10 December at 00:00)."""
    hour, minute = match.group(1), match.group(2) or "00"
    part = next(word for word in match.groups()[2:] if word).lower()
    if int(hour) == 12 and part in _MORNING_WORDS - _MIDNIGHT_WORDS:
        return f"{hour}:{minute}"
    if int(hour) == 12 and part in _MIDNIGHT_WORDS:  # "12 de la noche", not noon (12:00pm)
        return f"{hour}:{minute}am"
    return f"{hour}:{minute}{'am' if part in _MORNING_WORDS else 'pm'}"


# Parts of the day as the other languages name them, in English.
_FOREIGN_PARTS = {
    "matin": "morning",
    "après-midi": "afternoon",
    "apres-midi": "afternoon",
    "soir": "evening",
    "por la mañana": "morning",
    "por la tarde": "afternoon",
    "por la noche": "evening",
    "утром": "morning",
    "днём": "afternoon",
    "днем": "afternoon",
    "вечером": "evening",
}
_FOREIGN_PART = re.compile(
    r"(?<!\w)(?:" + "|".join(map(re.escape, _FOREIGN_PARTS)) + r")(?!\w)", re.IGNORECASE
)
# "a las 9", "a la 1": the hour, in Spanish.
# (From 1 to 11 it is left an hour alone, to be asked about: "a las 3" is 03:00 or 15:00.)
_AT_HOUR = re.compile(r"(?<!\w)a\s+las?\s+(0|1[2-9]|2[0-3])(?![\d.]|:\d)", re.IGNORECASE)
# "1400", "1400 hrs", "0930h": a time as military and UN documents write it.
_MILITARY_TIME = re.compile(
    r"(?<![\d:./-])([01]\d|2[0-3])([0-5]\d)(\s*(?:hrs?|hours|h)\b)?(?![\d:./-])", re.IGNORECASE
)
# A day named in words or numbers ("3 Dec", "Tuesday", "tomorrow", "2026-12-03", "3/12",
# "3.12.2026"): with one, a dotted "9.10" beside it is the time, not a second date.
_NAMED_DAY = re.compile(
    rf"\b(?:today|tomorrow|{'|'.join(_WEEKDAYS)}|{'|'.join(_MONTHS)})\b|{_ISO_DATE.pattern}"
    r"|(?<![\d.])\d{1,2}(?:/\d{1,2}(?:/\d{2,4})?|\.\d{1,2}\.(?:\d{2,4})?)",
    re.IGNORECASE,
)


class TimeParseError(UserError):
    """A date or time phrase the bot will not guess at; says which part and how to write it."""


@dataclass(frozen=True)
class Instant:
    """A precise start, with the zone the text meant and how the bot read it."""

    start: dt.datetime  # aware, UTC
    zone: ZoneInfo  # the zone the text was read in
    reading: str  # e.g. "Thu 3 Dec 2026 14:00 Geneva time (CET, UTC+1)"
    duration: dt.timedelta | None = None


@dataclass(frozen=True)
class Window:
    """A span to propose slots in: the allowed intervals (UTC) and how it was read."""

    spans: tuple[tuple[dt.datetime, dt.datetime], ...]  # allowed, UTC, [start, end)
    label: str  # "between RAG (25-27 May 2027) and TDAG (2-5 June 2027)"
    zone: ZoneInfo | dt.timezone  # the zone its days were counted in ("next week UTC+8")
    sessions: tuple[Session, ...] = ()
    duration: dt.timedelta | None = None

    @property
    def start(self) -> dt.datetime:
        return self.spans[0][0]

    @property
    def end(self) -> dt.datetime:
        return self.spans[-1][1]


When = Instant | Window


@dataclass(frozen=True)
class DueDate:
    """The day an action item is due, and how the phrase was read."""

    date: dt.date
    note: str = field(default="")
    # How a phrase that reads more than one way was taken, for the reply to say
    # ('"by Friday" said on a Friday is today, ...'); "" when the date says it all.
    taken_as: str = ""


# --- zones -------------------------------------------------------------------


@cache
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_of_place(place: str | None) -> ZoneInfo:
    """A session's place as a zone; a virtual or unknown place counts as Geneva."""
    if place:
        match = _CITY.search(place)
        if match:
            return ZoneInfo(CITY_ZONES[_english_city(match.group(1))])
    return GENEVA


def _english_city(word: str) -> str:
    """A city word as `CITY_ZONES` holds it: "Genève" -> "geneva", "Beijing" -> "beijing"."""
    word = re.sub(r"\s+", " ", word.lower())
    return FOREIGN_CITIES.get(word, word)


def _fixed_offset(sign: str, hours: str, minutes: str | None) -> dt.timezone:
    delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta > dt.timedelta(hours=14):
        raise TimeParseError(
            f"UTC{sign}{hours} is not a real offset (the world spans UTC-12 to UTC+14).",
            SCHEDULE_EXAMPLE,
        )
    return dt.timezone(delta if sign == "+" else -delta)


def _offset_after_time(text: str) -> re.Match[str] | None:
    """The UTC offset written after a time ("15:00 +05:30"), or None. After a dash it is
    the end of a range instead when that range is a meeting's length: "10:00-11:00" is an
    hour, "14:00 -05:00" fifteen, so an offset. Left to dateparser, the time was read in
    that offset but the reply said it was the reader's own zone's."""
    for match in _BARE_OFFSET.finditer(text):
        if match["sign"] == "+":
            return match
        start = _minute_of_day(match["clock"], None)
        length = (int(match["h"]) * 60 + int(match["m"]) - start) % (24 * 60)
        if dt.timedelta(minutes=length) > MAX_DURATION:
            return match
    return None


def find_zone(
    text: str, *, command: str = SCHEDULE_COMMAND
) -> tuple[ZoneInfo | dt.timezone | None, str, str]:
    """The zone a text names, a label saying how it was read, and the text without it.

    Refuses an ambiguous abbreviation (CST, IST, BST...) instead of guessing, asking
    which one with the text written each way (`command` leads the example).
    """
    for match in _ABBREVIATION.finditer(text):
        word = match.group(1)
        if word in AMBIGUOUS_ABBREVIATIONS:
            raise _which_one(word, text, match, command)
    match = _OFFSET.search(text)
    if match:
        zone = _fixed_offset(*match.groups())
        return zone, offset_text(dt.datetime(2000, 1, 1, tzinfo=zone)), _cut(text, match)
    if match := _ZULU.search(text):  # "14:00Z", "1400Z": UTC, as aviation and ISO write it
        return dt.UTC, "UTC", _cut(text, match)
    if (match := _offset_after_time(text)) is not None:
        zone = _fixed_offset(match["sign"], match["h"], match["m"])
        rest = text[: match.start("sign")] + " " + text[match.end() :]
        return zone, offset_text(dt.datetime(2000, 1, 1, tzinfo=zone)), " ".join(rest.split())
    for match in _IANA.finditer(text):
        name = match.group(1)
        if name in _iana_names():
            label = ", ".join(filter(None, (name, etc_note(name))))
            return ZoneInfo(name), label, _cut(text, match)
        if name.count("/") == 1 and not re.fullmatch(r"[\d/]+", name):
            raise TimeParseError(
                f'"{name}" is not an IANA time zone name.',
                "3 Dec 14:00 America/Mexico_City  (Geneva is Europe/Zurich)",
            )
    for match in _ABBREVIATION.finditer(text):
        word = match.group(1)
        if word in SAFE_ABBREVIATIONS:
            name, label = SAFE_ABBREVIATIONS[word]
            return ZoneInfo(name), label, _cut(text, match)
    if (region := _region_time(text, command)) is not None:
        return region
    match = _CITY.search(text)
    if match:
        city = _english_city(match.group(1))
        name = city.upper() if len(city) == 2 else city.title()  # "UK time"
        label = f"{name} time"
        around = text[match.start() : match.start(1)] + text[match.end(1) : match.end()]
        english = around.split() in ([], ["in"], ["time"], ["in", "time"])
        if not english or match.group(1).lower() in FOREIGN_CITIES:
            label += f' ("{match.group().strip()}")'  # Geneva time ("heure de Genève")
        return ZoneInfo(CITY_ZONES[city]), label, _cut(text, match)
    if match := _OWN_TIME.search(text):
        return None, "", _cut(text, match)
    zone, label, rest = _place_time(text)
    if zone is None:
        return _other_abbreviation(text)
    return zone, label, rest


# North America's zones by the region's name, as its members write them ("10:00 Eastern
# time", "hora del centro", Mexico's own name for Mexico City's time): "Eastern" was
# sought as a place and refused. "Central" and "Mountain" are asked about, as "CST" is.
_REGION_TIME = re.compile(
    r"(?<!\w)(?:(eastern|pacific|central|mountain)(?:\s+(?:standard|daylight))?\s+time"
    r"|(?:tiempo|hora)\s+del\s+(centro))(?!\w)",
    re.IGNORECASE,
)
_REGION_ZONES = {
    "eastern": ("America/New_York", "New York"),
    "pacific": ("America/Los_Angeles", "Los Angeles"),
    "centro": ("America/Mexico_City", "Mexico City"),
}
_REGION_CITIES = {"central": ("Mexico City", "Chicago"), "mountain": ("Denver", "Phoenix")}


def _region_time(text: str, command: str) -> tuple[ZoneInfo | dt.timezone | None, str, str] | None:
    """The zone of a region's time ("Eastern time"), or None when the text names none;
    one several zones share ("Central time": Mexico City's or Chicago's, an hour apart in
    the US summer) is asked about with each city written instead."""
    match = _REGION_TIME.search(text)
    if match is None:
        return None
    region = (match.group(1) or match.group(2)).lower()
    if region in _REGION_CITIES:
        written = [_splice(text, match.span(), f"{city} time") for city in _REGION_CITIES[region]]
        raise TimeParseError(
            f'"{match.group()}" could be the time of '
            + " or of ".join(_REGION_CITIES[region])
            + ", which differ for part of the year: which one? I will not guess. Write the city.",
            f"{command} {written[0]}  (or: {command} {written[1]})",
        )
    name, city = _REGION_ZONES[region]
    return ZoneInfo(name), f'{city} time ("{match.group()}")', _cut(text, match)


def _which_one(word: str, text: str, match: re.Match[str], command: str) -> TimeParseError:
    """The question for an abbreviation several zones use: each reading, and the text
    written with the city that says it."""
    meanings, cities = AMBIGUOUS_ABBREVIATIONS[word]
    written = [_splice(text, match.span(), f"{city} time") for city in cities]
    return TimeParseError(
        f'"{word}" could mean {meanings}: which one? I will not guess. Write the city, '
        + ", ".join(f'"{city} time"' for city in cities[:-1])
        + f' or "{cities[-1]} time", or an IANA zone.',
        f"{command} {written[0]}  (or: {written[1]})",
    )


def _other_abbreviation(text: str) -> tuple[dt.timezone | None, str, str]:
    """A zone abbreviation none of the tables above holds ("HST", "WITA"), at the one
    offset it stands for; read so, the reply names it rather than calling the time the
    reader's own (dateparser would have converted it silently). Only a word in capitals
    is one: "at the met office" names no zone."""
    for match in _ABBREVIATION.finditer(text):
        if len(match.group(1)) < 3:  # "AM", "PM", "UK": words, not zones
            continue
        _rest, found = pop_tz_offset_from_string(f" {match.group(1)}")  # as after a time
        if found is not None and found.tzname(None) == match.group(1):
            zone = dt.timezone(found.utcoffset(None))
            label = f"{match.group(1)} ({offset_text(dt.datetime(2000, 1, 1, tzinfo=zone))})"
            return zone, label, _cut(text, match)
    return None, "", text


@cache
def _places() -> dict[str, str]:
    """Every IANA place by its city, as people write it ("buenos aires" -> its zone)."""
    places = {}
    for name in sorted(_iana_names(), key=len, reverse=True):  # of two aliases, the shorter
        if name.partition("/")[0] in _PLACE_REGIONS:
            places[name.rsplit("/", 1)[1].replace("_", " ").lower()] = name
    return places


def _place_time(text: str) -> tuple[ZoneInfo | None, str, str]:
    """`Lagos time`: a city the bot has no word for but the IANA database names, so a
    member anywhere can name their own (the last one, two or three words before "time")."""
    for match in _PLACE_TIME.finditer(text):
        words = match.group(1).split()
        for size in range(len(words), 0, -1):
            city = " ".join(words[-size:])
            if city.lower() in _places():
                start = match.start(1) + match.group(1).rfind(words[-size])
                head = re.sub(r"\bin\s*$", "", text[:start], flags=re.IGNORECASE)
                rest = re.sub(r"\s+", " ", f"{head} {text[match.end() :]}").strip()
                return ZoneInfo(_places()[city.lower()]), f"{city.title()} time", rest
    return None, "", text


def etc_note(name: str) -> str:
    """What an `Etc/GMT+5` zone means ("which is UTC-5: ..."), "" for any other zone name.

    POSIX counts those zones' signs the other way (Etc/GMT+5 is UTC-5): a member who
    types it for UTC+5 must see at once that it is not what they meant.
    """
    if not re.fullmatch(r"Etc/GMT[+-]\d+", name) or name.endswith(("+0", "-0")):
        return ""
    offset = offset_text(dt.datetime(2000, 1, 1, tzinfo=ZoneInfo(name)))
    return f"which is {offset}: Etc/GMT signs are reversed"


def _cut(text: str, match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", text[: match.start()] + " " + text[match.end() :]).strip()


def offset_text(moment: dt.datetime) -> str:
    """`UTC+1`, `UTC-6`, `UTC+3:30`."""
    offset = moment.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def command_time(moment: dt.datetime, zone: ZoneInfo, place: str) -> str:
    """`1 Dec 2026 14:00 Geneva time`: a moment as a command the bot writes for someone
    to run gives it, read back as that moment. In the hour the clocks show twice it is
    named by its abbreviation (`31 Oct 2027 02:30 CET`, the second), as `_fold_written`
    reads it: `02:30 Geneva time` is the first, an hour off the second."""
    local = moment.astimezone(zone)
    repeated = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    return f"{local.day} {local:%b %Y %H:%M} " + (
        (local.tzname() or offset_text(local)) if repeated else f"{place} time"
    )


def date_text(day: dt.date, *, year: bool = True) -> str:
    """`Thu 3 Dec 2026`: the one way a date is written for people, so that a due date, a
    UTC line and a local time never print the same day as "03 Dec" here and "3 Dec" there."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if year else "")


def utc_text(moment: dt.datetime) -> str:
    """`Thu 3 Dec 2026 13:00`: the UTC line, dated as every other line."""
    utc = moment.astimezone(dt.UTC)
    return f"{date_text(utc)} {utc:%H:%M}"


def when_text(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """`Thu 3 Dec 2026 14:00 (UTC+1)`: the full date, so "next Tuesday" is never unclear."""
    local = moment.astimezone(zone)
    return f"{date_text(local)} {local:%H:%M} ({offset_text(local)})"


def zone_name(zone: ZoneInfo) -> str:
    """A zone by the place members know it as, where times are listed for people: Geneva
    (its zone is Europe/Zurich), Beijing or Mexico City, the first city word the bot
    reads for it; else the city of its key (Asia/Tokyo: Tokyo, America/Argentina/
    Buenos_Aires: Buenos Aires). "Asia/Tokyo: Thu 3 Dec" read as a file path."""
    word = _ZONE_WORDS.get(zone.key)
    if word is not None:
        return word
    if "/" not in zone.key or zone.key.startswith("Etc/"):
        return zone.key  # UTC, Etc/GMT-3: no place to name
    return zone.key.rpartition("/")[2].replace("_", " ")


def main_zones(member_zones: Sequence[str]) -> list[ZoneInfo]:
    """UTC, Geneva, then the zones most members set: the times a message to the group shows.
    Geneva, the zone most set in the secretariat, is no member zone's place to take."""
    keys = ["UTC", GENEVA.key]
    keys += [key for key in member_zones if key not in keys][:MAIN_ZONES]
    return [ZoneInfo(key) for key in keys]


def zone_lines(moment: dt.datetime, zones: Sequence[ZoneInfo]) -> list[str]:
    """`Geneva: Thu 3 Dec 2026 14:00 (UTC+1)`, one line per zone; UTC's as `UTC: Thu 3 Dec
    2026 13:00`, not followed by "(UTC+0)", which named it twice."""
    return [
        f"UTC: {utc_text(moment)}"
        if zone.key == "UTC"
        else f"{zone_name(zone)}: {when_text(moment, zone)}"
        for zone in zones
    ]


def day_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- durations ---------------------------------------------------------------


def reads_as_duration(text: str) -> bool:
    """Whether the text is written as a length (`90m`, `25h`), in range or not, or as a
    number alone (`90`), a length without its unit, which `parse_duration` reads or asks
    about."""
    stripped = text.strip()
    return (_DURATION.match(stripped) or _NUMBER_ALONE.fullmatch(stripped)) is not None


# "| 90": a length whose unit was left out. Taken for an attendee, it got 'I do not know
# whom "90" means'.
_NUMBER_ALONE = re.compile(r"\d{1,3}(?:[.,]\d+)?")


def parse_duration(text: str) -> dt.timedelta:
    """`60m`, `90 minutes`, `1h30`, `1.5h` (or `1,5h`, as Geneva writes it), `2 hours`,
    `1:30`, `for 45 min`."""
    match = _DURATION.match(_unit_of(text.strip()))
    if not match:
        raise TimeParseError(
            f'I cannot read "{text.strip()}" as a duration.',
            "60m, 1h30, 90 minutes or for 2 hours",
        )
    length = _length(match)
    if not MIN_DURATION <= length <= MAX_DURATION:
        raise TimeParseError(
            f"A meeting lasts between 5 minutes and 12 hours; {text.strip()} does not.",
            "60m or 1h30",
        )
    return length


def _unit_of(text: str) -> str:
    """A length written without its unit with the one it can only be: "90" is minutes
    and "2" or "1,5" hours (a meeting lasts from 5 minutes to 12 hours); from 5 to 12
    it could be either, and is asked about."""
    if not _NUMBER_ALONE.fullmatch(text):
        return text
    number = float(text.replace(",", "."))
    if number < MIN_DURATION.total_seconds() / 60:
        return f"{text}h"
    if number > MAX_DURATION.total_seconds() / 3600:
        return f"{text}m"
    raise TimeParseError(
        f'"{text}" has no unit: {text} minutes or {text} hours?', f"{text}m  (or: {text}h)"
    )


def _length(match: re.Match[str]) -> dt.timedelta:
    """The time span a `_DURATION` match names."""
    if match.group("m"):
        return dt.timedelta(minutes=int(match.group("m")))
    if match.group("ch"):
        return dt.timedelta(hours=int(match.group("ch")), minutes=int(match.group("cm")))
    hours = float(match.group("h").replace(",", "."))
    return dt.timedelta(hours=hours, minutes=int(match.group("hm") or 0))


def _take_range(text: str, command: str = "", where: str = "") -> tuple[str, dt.timedelta | None]:
    """`14:00-15:00`, `2-3pm`, `9:30 to 11`: the start in its place, and the length.

    A range needs a colon or am/pm on one side, so "3-5 Dec" and ISO dates stay dates,
    or the rest of the text to name its day in full (`_hours_beside_day`): "10-12 on
    Thursday" and "3 Dec 10-12" are hours, read as dates they were 10 December.
    `where`: the zone as written, which the question's examples keep.
    """
    match = _RANGE.search(text)
    if match is None:
        return text, None
    clocked = ":" in match.group("a") + match.group("b") or match["ap2"]
    if not clocked and not _hours_beside_day(match, text):
        return text, None
    if text[: match.start()].endswith(("T", "t")):  # ISO 8601: 2026-12-03T14:00-05:00
        return text, None
    end = _minute_of_day(match["b"], match["ap2"])
    start = _minute_of_day(match["a"], match["ap1"] or match["ap2"])
    if not match["ap1"] and match["ap2"] and start > end:  # "11-1pm": 11 in the morning
        start = _minute_of_day(match["a"], "am")
    length = dt.timedelta(minutes=(end - start) % (24 * 60))
    offset = match["sep"].endswith("-") and re.fullmatch(r"(?:0\d|1[0-4]):[034][05]", match["b"])
    if offset and length > MAX_DURATION:
        return text, None  # "14:00 -05:00": a time and its UTC offset, as ISO 8601 writes it
    first, last = start // 60, end // 60
    bare = not clocked and not match["ap1"]  # "2am-4" says which
    # "12-2", "11-1": ending past noon (12:00 to 14:00) or past midnight; read as
    # written they spanned 14 hours, and were refused as no meeting's span.
    if bare and last < first <= 12 and first < last + 12:
        raise _night_or_day(
            text, match, ((first, last + 12), ((first + 12) % 24, last)), command, where
        )
    if not MIN_DURATION <= length <= MAX_DURATION:
        raise TimeParseError(
            f'"{match.group().strip()}" is not a meeting\'s span: a meeting lasts between '
            "5 minutes and 12 hours.",
            "3 Dec 14:00-15:30 Geneva time",
        )
    if bare and 1 <= first <= 6 and last <= 12:  # "Thursday 2-4": night or afternoon?
        raise _night_or_day(text, match, ((first + 12, last + 12), (first, last)), command, where)
    begin = f"{start // 60:02d}:{start % 60:02d}"
    return f"{text[: match.start()]}{begin}{text[match.end() :]}".strip(), length


def _night_or_day(
    text: str,
    match: re.Match[str],
    readings: tuple[tuple[int, int], tuple[int, int]],
    command: str,
    where: str,
) -> TimeParseError:
    """The question which of a range of bare hours' readings (by day, at night) was
    meant, each written in full in the text, with the zone as written (`where`)."""
    day, night = (_splice(text, match.span(), f"{a:02d}:00-{b:02d}:00") for a, b in readings)
    return TimeParseError(
        f'"{match.group().strip()}" could be at night or in the afternoon: which one? '
        "Write the times in full.",
        f"{command} {day}{where}  (or: {command} {night}{where})".strip(),
    )


def _hours_beside_day(match: re.Match[str], text: str) -> bool:
    """Whether a range of bare numbers (`match`, "10-12") is hours: both are hours of the
    day and the rest of the text names the day without them, by a weekday or "tomorrow"
    and no month ("Thursday"), or by its day of the month ("3 Dec", "1.12.")."""
    if max(int(match["a"]), int(match["b"])) > 24:
        return False
    months = rf"\b(?:{'|'.join(_MONTHS)})\b"
    if re.match(rf"\s*{months}", text[match.end() :], re.IGNORECASE):
        return False  # "3-5 Dec 10:00-12:00": days, once asked "at night or in the afternoon?"
    rest = text[: match.start()] + " " + text[match.end() :]
    if re.search(r"(?<!\d)\d{1,2}(?!\d)", rest):  # "3 Dec", "2026-12-03", not "Dec 2026"
        return _NAMED_DAY.search(rest) is not None
    month = re.search(months, rest, re.IGNORECASE)
    return month is None and _RELATIVE_DAY.search(rest) is not None


def _minute_of_day(clock: str, meridiem: str | None) -> int:
    """`9:30` + `pm` -> 21 * 60 + 30."""
    hour, _, minute = clock.partition(":")
    hours = int(hour) % 12 + (12 if meridiem and meridiem.lower().startswith("p") else 0)
    return (hours if meridiem else int(hour)) * 60 + int(minute or 0)


def _take_duration(text: str) -> tuple[str, dt.timedelta | None]:
    match = _TRAILING_DURATION.search(text)
    if not match:
        return text, None
    return text[: match.start()].strip(), parse_duration(match.group(1))


# --- sessions ----------------------------------------------------------------


def _group_or_refuse(word: str, example: str) -> str:
    group = canonical_group(word)
    if group is None:
        known = ", ".join(GROUPS.values())
        raise TimeParseError(f'I know no group called "{word}". Known groups: {known}.', example)
    return group


def _session_days(session: Session) -> tuple[dt.datetime, dt.datetime]:
    """A session's days as a UTC interval, counted in its place's zone."""
    zone = zone_of_place(session.place)
    start = dt.datetime.combine(session.first_day, dt.time(), zone)
    end = dt.datetime.combine(session.last_day + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def next_session(
    group: str, sessions: Sequence[Session], today: dt.date, *, after: dt.date | None = None
) -> Session:
    """The next session of a group not over yet (or starting after a day)."""
    for session in sorted(sessions, key=lambda s: s.first_day):
        if session.group != group:
            continue
        if after is not None and session.first_day <= after:
            continue
        if after is None and session.last_day < today:
            continue
        return session
    problem = (
        f"No {group} session is recorded after {day_text(after)}."
        if after
        else f"No upcoming {group} session is recorded."
    )
    first = max(today, after or today) + EXAMPLE_AHEAD
    last = first + dt.timedelta(days=4)
    raise TimeParseError(
        problem, f"/sessions add {group} {first} to {last} Geneva  (then try again)"
    )


def _session_window(
    text: str,
    sessions: Sequence[Session],
    now: dt.datetime,
    zone: ZoneInfo | dt.timezone,
    command: str,
) -> Window | None:
    lower = text.lower()
    today = now.astimezone(zone).date()
    if match := re.fullmatch(r"during\s+(\S+)", lower):
        group = _group_or_refuse(text.split()[1], "/schedule Climate change | during TSAG")
        return _during(next_session(group, sessions, today))
    if match := re.fullmatch(r"(before|after)\s+(\S+)", lower):
        word = text.split()[1]
        if canonical_group(word) is None and not word.isupper():
            return None  # "before 3 December" is a date, not a group
        example = f"/schedule Climate change | {match.group(1)} TDAG"
        group = _group_or_refuse(word, example)
        session = next_session(group, sessions, today)
        first, last = _session_days(session)
        if match.group(1) == "before":
            span = (first - NEAR_SESSION, first)
            label = f"in the two weeks before {session.label()}"
        else:
            span = (last, last + NEAR_SESSION)
            label = f"in the two weeks after {session.label()}"
        return _window([span], label, zone, (session,), sessions, command)
    if match := re.fullmatch(r"between\s+(\S+)\s+and\s+(\S+)", lower):
        words = text.split()
        one, other = words[1], words[3]
        if not any(canonical_group(w) or w.isupper() for w in (one, other)):
            return None  # "between 1 and 5 December"
        first_group = _group_or_refuse(one, WINDOW_EXAMPLE)
        second_group = _group_or_refuse(other, WINDOW_EXAMPLE)
        earlier = next_session(first_group, sessions, today)
        _refuse_reversed(earlier, second_group, sessions, today, command)
        later = next_session(second_group, sessions, today, after=earlier.last_day)
        span = (_session_days(earlier)[1], _session_days(later)[0])
        if span[1] <= span[0]:
            raise TimeParseError(
                f"{earlier.label()} and {later.label()} leave no day between them.",
                "/schedule Climate change | during TDAG",
            )
        label = f"between {earlier.label()} and {later.label()}"
        return _window([span], label, zone, (earlier, later), sessions, command)
    return None


def _refuse_reversed(
    earlier: Session, group: str, sessions: Sequence[Session], today: dt.date, command: str
) -> None:
    """`between TDAG and RAG` when RAG comes first is an empty window, not a missing session:
    say so and show the order that works, rather than "no RAG session after ..."."""
    if group == earlier.group or any(
        s.group == group and s.first_day > earlier.last_day for s in sessions
    ):
        return
    first = next_session(group, sessions, today)
    where = "comes before" if first.last_day < earlier.first_day else "overlaps"
    raise TimeParseError(
        f'"between {earlier.group} and {group}" is an empty window: the next {group} session '
        f"({first.label()}) {where} the next {earlier.group} session "
        f"({earlier.label()}), and no later {group} session is recorded. "
        "Name the earlier session first.",
        f"{command} between {group} and {earlier.group}",
    )


def _during(session: Session) -> Window:
    """Session days, outside the session's working hours in its place's zone."""
    zone = zone_of_place(session.place)
    spans = []
    day = session.first_day
    while day <= session.last_day:
        morning = dt.datetime.combine(day, dt.time(), zone)
        opens = dt.datetime.combine(day, SESSION_DAY[0], zone)
        closes = dt.datetime.combine(day, SESSION_DAY[1], zone)
        night = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
        spans += [(morning, opens), (closes, night)]
        day += dt.timedelta(days=1)
    utc = tuple((a.astimezone(dt.UTC), b.astimezone(dt.UTC)) for a, b in spans)
    hours = f"{SESSION_DAY[0]:%H:%M}-{SESSION_DAY[1]:%H:%M}"
    return Window(
        spans=utc,
        label=f"during {session.label()}, outside {hours} {zone.key} time",
        zone=zone,
        sessions=(session,),
    )


def _window(
    spans: list[tuple[dt.datetime, dt.datetime]],
    label: str,
    zone: ZoneInfo | dt.timezone,
    named: tuple[Session, ...],
    sessions: Sequence[Session],
    command: str,
) -> Window:
    """A window with the days of every session in it cut out (people travel then).

    A window that is all session days ("25 May", "du 25 au 27 mai" in RAG's days) is
    refused as such, pointing to the slots around the session's working hours; left
    empty, it was called "already over", with the same day to write again."""
    covering = []
    for session in sessions:
        busy_start, busy_end = _session_days(session)
        cut = [piece for span in spans for piece in _minus(span, (busy_start, busy_end))]
        if cut != spans:
            covering.append(session)
        spans = cut
    if not spans and covering:
        names = " and ".join(session.label() for session in covering)
        raise TimeParseError(
            f"{names} {'covers' if len(covering) == 1 else 'cover'} all of the window "
            f"({label}): I keep session days free of other meetings. For slots around its "
            f'working hours, write "during {covering[0].group}".',
            f"{command} during {covering[0].group}",
        )
    return Window(spans=tuple(spans), label=label, zone=zone, sessions=named)


def _minus(
    span: tuple[dt.datetime, dt.datetime], cut: tuple[dt.datetime, dt.datetime]
) -> list[tuple[dt.datetime, dt.datetime]]:
    start, end = span
    if cut[1] <= start or cut[0] >= end:
        return [span]
    pieces = []
    if cut[0] > start:
        pieces.append((start, cut[0]))
    if cut[1] < end:
        pieces.append((cut[1], end))
    return pieces


# --- calendar windows --------------------------------------------------------


def day_span(
    first: dt.date, days: int, zone: ZoneInfo | dt.timezone
) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `first` to the end of the `days`-th day, on `zone`'s clock, in
    UTC: a day across a change of the clocks is 23 or 25 hours long."""
    start = dt.datetime.combine(first, dt.time(), zone)
    end = dt.datetime.combine(first + dt.timedelta(days=days), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _calendar_window(
    text: str,
    sessions: Sequence[Session],
    now: dt.datetime,
    zone: ZoneInfo | dt.timezone,
    command: str,
) -> Window | None:
    lower = re.sub(r"\s+", " ", text.lower()).strip()
    today = now.astimezone(zone).date()
    monday = today - dt.timedelta(days=today.weekday())
    if lower in ("next week", "this week", "the week after next"):
        offset = {"this week": 0, "next week": 7, "the week after next": 14}[lower]
        first = monday + dt.timedelta(days=offset)
        label = f"{lower}, {day_text(first)} - {day_text(first + dt.timedelta(days=6))}"
        return _window([day_span(first, 7, zone)], label, zone, (), sessions, command)
    ahead_words = _WEEKS_AHEAD.fullmatch(lower) or _MONTHS_AHEAD.fullmatch(lower)
    if ahead_words and (ahead := _read_date(lower, now, zone)) is not None:
        # "in two weeks", "in a month": the week that day falls in, to propose slots
        # across, not the one day (a Monday said on a Monday); a due date is that day.
        first = ahead.date() - dt.timedelta(days=ahead.weekday())
        label = f"{lower}, {day_text(first)} - {day_text(first + dt.timedelta(days=6))}"
        return _window([day_span(first, 7, zone)], label, zone, (), sessions, command)
    if (week := _week_of(lower, now, zone, command)) is not None:
        first = week - dt.timedelta(days=week.weekday())
        said = " ".join(text.split())
        label = f"{said}, {day_text(first)} - {day_text(first + dt.timedelta(days=6))}"
        return _window([day_span(first, 7, zone)], label, zone, (), sessions, command)
    if (days := _day_range(text, now, zone, command)) is not None:
        first, last = days
        label = f"from {day_text(first)} to {day_text(last)}"
        return _window(
            [day_span(first, (last - first).days + 1, zone)], label, zone, (), sessions, command
        )
    if lower == "next month":
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return _month_window(year, month, zone, sessions, command)
    if match := re.fullmatch(r"(in )?([a-z]+)(?: (\d{4}))?", lower):
        # "in Dec", a month named in full alone ("December", "/meetings December") or
        # with its year ("Jan 2027", "Mar 2027"): the whole month, not its first day.
        month = _MONTHS.get(match.group(2))
        if month is None or not (match[1] or match[3] or match[2] in _FULL_MONTHS):
            return None
        year = int(match.group(3)) if match.group(3) else today.year
        if not match.group(3) and month < today.month:
            year += 1
        return _month_window(year, month, zone, sessions, command)
    return None


# "week of 1 Nov", "the week starting 8 Nov", "week commencing 8 Nov" (as British diaries
# write it): the Monday-to-Sunday week that day falls in.
_WEEK_OF = re.compile(r"(?:the )?week (?:of|starting|beginning|commencing) (?P<day>.+)")


def _week_of(
    lower: str, now: dt.datetime, zone: ZoneInfo | dt.timezone, command: str
) -> dt.date | None:
    """The day a "week of <day>" names, or None for any other text: read whole, it was
    "I cannot read". Of a range of days ("week of 14-18 Dec") it is the first: read as
    one day, "14-18 Dec" was 14 December 2118."""
    match = _WEEK_OF.fullmatch(lower)
    if match is None or _NAMED_DAY.search(match["day"]) is None:  # "the 8th": of which month?
        return None
    if (days := _day_range(match["day"], now, zone, command)) is not None:
        return days[0]
    return read_day(match["day"], now=now, zone=zone)


# "in two weeks", "in 3 weeks' time", "two weeks from now", "in a fortnight": a week ahead.
# "in a month", "in 2 months", "in three months' time": as many months ahead.
_WEEKS_AHEAD, _MONTHS_AHEAD = (
    re.compile(
        rf"\bin\s+(?:(?:an?|\w+)\s+)?(?:{unit})(?:['’]?s?\s+time)?\b"
        rf"|\b(?:an?|\w+)\s+(?:{unit})\s+from\s+(?:now|today)\b",
        re.IGNORECASE,
    )
    for unit in (r"weeks?|fortnight", r"months?")
)


# "25-27 May", "from 25 to 27 May", "between 1 and 5 December", "du 25 au 27 mai",
# "del 25 al 27 de mayo", "с 25 по 27 мая", "du 30 novembre au 2 décembre": two days and
# the ones between, the month written once or on each side.
_DAY_RANGE = re.compile(
    r"(?:(?:from|between|del|du|desde|entre|de|со|с|من)\s+)?(?P<a>.+?)\s*"
    r"(?:-|–|—|\b(?:to|until|till|through|and|au|al|hasta|y|et|по|до)\b|至|到|إلى|حتى)"
    r"\s*(?P<b>.+)",
    re.IGNORECASE,
)
# A day of the month alone on one side of a range ("25", "the 1st", "le 1er", "el 25").
_RANGE_DAY = re.compile(
    r"(?:(?:the|le|el|la)\s+)?(\d{1,2})(?:st|nd|rd|th|er|º|日)?\.?", re.IGNORECASE
)


def _day_range(
    text: str, now: dt.datetime, zone: ZoneInfo | dt.timezone, command: str
) -> tuple[dt.date, dt.date] | None:
    """The first and last day a range of days names ("du 25 au 27 mai"), or None when the
    text is no such range. A day of the month written alone takes the month of the other
    end, or the month next to it when it would come on the wrong side ("30 to 2 December"
    starts on 30 November). Read as one date, "25-27 May" was 25 May alone, and the French
    and Spanish ranges were not read at all."""
    match = _DAY_RANGE.fullmatch(text.strip())
    if match is None or _TIME.search(text):
        return None
    parts = (match.group("a").strip(), match.group("b").strip())
    # "Mon 7-9 Dec": a weekday beside the number is the day's own, and says no month
    # (read alone, "Mon 7" was 7 November, and the window ran from there to 9 December).
    numbers = [_RANGE_DAY.fullmatch(_WEEKDAY.sub("", part).strip(" ,.")) for part in parts]
    if all(numbers) or not all(
        number or re.search(r"[^\W\d_]|\d/\d", part)
        for part, number in zip(parts, numbers, strict=True)
    ):
        return None  # "1-5", "2026-12-03": no month on either side
    first, last = (
        None if number else read_day(part, now=now, zone=zone)
        for part, number in zip(parts, numbers, strict=True)
    )
    if first is None and last is not None and numbers[0]:
        if not _names_its_day_alone(_WEEKDAY.sub(" ", parts[1]), last):
            return None  # "9-11 tomorrow": hours
        first = _day_beside(int(numbers[0].group(1)), last, -1, text, command)
    elif last is None and first is not None and numbers[1]:
        if not _names_its_day_alone(_WEEKDAY.sub(" ", parts[0]), first):
            return None  # "3 Dec 10-12", "tomorrow 9 to 11": hours
        last = _day_beside(int(numbers[1].group(1)), first, 1, text, command)
    if first is None or last is None:
        return None
    _refuse_range_weekday(text, parts, (first, last), command)
    if last < first and _WEEKDAY.fullmatch(_in_english(parts[1], first)[0].strip(" .")):
        # "Monday to Friday" said on a Monday: each day alone is its next one (Monday a
        # week away, Friday this week), so the range ended before it started; the last
        # day is the one after the first.
        last += dt.timedelta(weeks=-(-(first - last).days // 7))
    if last < first:
        raise TimeParseError(
            f'"{text}" ends ({day_text(last)}) before it starts ({day_text(first)}).',
            f"{command} 25 to 27 May",
        )
    return first, last


def _refuse_range_weekday(
    text: str, parts: tuple[str, str], days: tuple[dt.date, dt.date], command: str
) -> None:
    """`Tue 7-9 Dec` when 7 December is a Monday: the weekday or the number is a slip, and
    which cannot be told, so it is asked about, as `Friday 3 Dec 14:00` is."""
    for part, day in zip(parts, days, strict=True):
        named = _WEEKDAY.search(part)
        if named is None or not re.search(r"\d", part) or _weekday(named[1]) == day.weekday():
            continue
        first, last = days
        raise TimeParseError(
            f'"{text}": {day.day} {day:%B %Y} is a {day:%A}, not a '
            f"{calendar.day_name[_weekday(named[1])]}. Write the weekday and the date of the "
            "day you mean.",
            f"{command} {first:%a} {first.day} to {last:%a} {last.day} {last:%b}",
        )


# A day named by its place in the week or by today, beside which a number is an hour.
_RELATIVE_DAY = re.compile(rf"\b(?:today|tomorrow|{'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)


def _names_its_day_alone(part: str, day: dt.date) -> bool:
    """Whether the side of a range written in full (`part`, read as `day`) names the day by
    its day of the month and no other number, weekday or "tomorrow": only then is the
    number alone on the other side a day too ("Dec 7-9", "30 to 2 December"). In "3 Dec
    10-12" or "9-11 tomorrow" it is an hour: read as days, they were a window from 3 to 12
    December 2110, and from 9 November to tomorrow."""
    # (a month's number is no other number: "12月7日至9日", 7 to 9 December in Chinese)
    numbers = [int(number) for number in re.findall(r"(?<!\d)\d{1,2}(?!\d|\s*月)", part)]
    return numbers == [day.day] and _RELATIVE_DAY.search(part) is None


def _day_beside(number: int, known: dt.date, side: int, text: str, command: str) -> dt.date:
    """Day `number` in the month of `known`, or in the month after (`side` 1) or before
    (`side` -1) it when it would come on the wrong side of `known`."""
    year, month = known.year, known.month
    if (number - known.day) * side < 0:  # a few days across the month's end, no further
        ahead = month + side
        beside = (year + (ahead > 12) - (ahead < 1), (ahead - 1) % 12 + 1)
        real = _date_problem(*beside, number) is None
        if real and abs(dt.date(*beside, number) - known) <= ACROSS_MONTHS:
            year, month = beside
    problem = _date_problem(year, month, number)
    if problem is not None:
        raise TimeParseError(
            f'"{text}" names day {number} of {calendar.month_name[month]}: {problem}.',
            f"{command} 25 to 27 May",
        )
    return dt.date(year, month, number)


def _named_window(
    text: str,
    sessions: Sequence[Session],
    now: dt.datetime,
    zone: ZoneInfo | dt.timezone,
    command: str,
) -> Window | None:
    """A window the text names by sessions (`before TDAG`) or the calendar (`next week`),
    its days counted in `zone`; None for any other text."""
    return _session_window(text, sessions, now, zone, command) or _calendar_window(
        text, sessions, now, zone, command
    )


def _month_window(
    year: int,
    month: int,
    zone: ZoneInfo | dt.timezone,
    sessions: Sequence[Session],
    command: str,
) -> Window:
    first = dt.date(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    return _window([day_span(first, days, zone)], f"in {first:%B %Y}", zone, (), sessions, command)


# --- instants ----------------------------------------------------------------


def _dateparser_settings(
    text: str, now: dt.datetime, zone: ZoneInfo | dt.timezone
) -> dict[str, object]:
    iso = _ISO_DATE.search(text) is not None
    return {
        "PREFER_DATES_FROM": "future",
        # ISO dates are year-month-day, strictly ("2027-13-01" is not 13 January);
        # everything else is read day first, as in Geneva.
        "DATE_ORDER": "YMD" if iso else "DMY",
        "STRICT_DATE_ORDER": "all" if iso else "none",
        # The zone of RELATIVE_BASE's wall clock; a zone dateparser finds in the
        # text itself ("EET", "+0300") is converted to it. A time alone is dated
        # by _read_start, never by dateparser, which would take this base as UTC.
        "TIMEZONE": _zone_name(zone),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "PREFER_DAY_OF_MONTH": "first",
    }


def _zone_name(zone: ZoneInfo | dt.timezone) -> str:
    """The zone as dateparser's TIMEZONE setting takes it (`Europe/Zurich`, `+0530`)."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    return dt.datetime(2000, 1, 1, tzinfo=zone).strftime("%z")


def _clean(text: str) -> str:
    """Drop a leading "on"/"at" (and "a" before a weekday: "on a Monday at 10:00") and
    write "15h30" as "15:30", which dateparser reads.

    dateparser read that "a" as one, the 1st, and with a day of the month alone taken as
    next month's, "on a Monday at 10:00" booked Tuesday 1 December."""
    text = re.sub(r"^(?:on|at)\s+", "", text.strip(), flags=re.IGNORECASE)
    return _day_dot(_hours(re.sub(_ARTICLE_WEEKDAY, "", text)))


# "7.12.": a day and month as Geneva's German-speaking neighbours write them, the stop
# after the month saying it is a date, never a time.
_DAY_DOT = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(\.)?(?![\d.])")


def _day_dot(text: str, *, dated: bool = False) -> str:
    """`7.12.` -> `7/12`, when the rest of the text names no other day; `7.12` too where
    only a day is meant (`dated`: a due date has no time). dateparser read "7.12." or
    "7.12" alone as 07:12 and the meeting, or an action's due date, as tomorrow.

    A weekday beside it is the date's own ("Mon 7.12.", as German calendars write
    Monday 7 December; one that is not the date's is asked about): taken for another
    day, it left "7.12" a time, and "Mon 7.12." was booked on Monday 30 November at
    07:12."""
    match = _DAY_DOT.search(text)
    if match is None or not (dated or match.group(3)):
        return text
    if not (1 <= int(match.group(1)) <= 31 and 1 <= int(match.group(2)) <= 12):
        return text  # a time ("Fri 17.00"), never a date: as one, due 17 November 2100
    rest = _splice(text, match.span(), " ")
    if _NAMED_DAY.search(_WEEKDAY.sub(" ", rest) if match.group(3) or dated else rest):
        return text
    return _splice(text, match.span(), f"{match.group(1)}/{match.group(2)}")


def _hours(text: str) -> str:
    """`15h30`, `15 h 30`, `15h` as French writes them -> `15:30`, `15:00`."""
    return re.sub(r"(\d)\s?h\b", r"\1:00", re.sub(r"(\d)\s?h\s?(\d{2})\b", r"\1:\2", text))


def _in_english(text: str, today: dt.date, *, mend: bool = True) -> tuple[str, str]:
    """The text with the date words of another UN language in English ("le 3 décembre à
    14h" -> "3 december 14:00"), and that language's name, for the reply to say how it
    was read; the text as it is and "" when it is English or no language reads it whole.

    dateparser's own data translates the words; the little it lacks as delegates write
    (the French "14 h 30", "le", "à", "prochain"; the Spanish "el", "a las 9", "próximo";
    the Russian "в"; the Arabic "الساعة") is put right first. English is tried first,
    so "3 Mar" is March, never the French "mardi".

    `mend`: a text no language reads is tried with a mistyped month or weekday put right
    (not for a due date, where an unreadable one is reported and asked for again)."""
    settings = _locale_settings()
    english = default_loader.get_locale("en")
    foreign_words = _FOREIGN_FILLER.search(text) or _FOREIGN_NEXT.search(text)
    # English has no accents: "mar 1 déc 14h" passed English's test (its "dec") and then
    # read as nothing, never tried in French.
    if (
        not foreign_words
        and _english_letters(text)
        and english.is_applicable(text, False, settings)
    ):
        return text, ""  # (dateparser's English lets "à" by, and reads it as "a": 1)
    if _HAN.search(text):
        chinese = _from_chinese(unicodedata.normalize("NFKC", text), today)
        return (
            (chinese, "Chinese") if english.is_applicable(chinese, False, settings) else (text, "")
        )
    plain = _AT_HOUR.sub(r"\1:00", _FOREIGN_HOURS.sub(r"\1:00", _hours(text)))
    # The range first, so that its part of the day is both ends': "de 2 a 4 de la tarde"
    # is "2-4:00pm"; the other way round, "2 a 4:00pm" was read as 2 December at 16:00.
    plain = _FOREIGN_BARE_RANGE.sub(r"\1-\2", _FOREIGN_RANGE.sub(r"\1-\2", plain))
    plain = _FOREIGN_MERIDIEM.sub(_foreign_meridiem, plain)
    following = _FOREIGN_NEXT.search(plain) is not None
    part = _FOREIGN_PART.search(plain)
    plain = _FOREIGN_FILLER.sub(" ", _FOREIGN_NEXT.sub(" ", _FOREIGN_PART.sub(" ", plain)))
    plain = re.sub(r"\s+", " ", plain).strip()
    # A part of the day dateparser's language data lacks ("demain matin"): in English after.
    after = f" {_FOREIGN_PARTS[part.group().lower()]}" if part else ""
    if (
        plain
        and not (following or part)
        and _english_letters(plain)
        and english.is_applicable(plain, False, settings)
    ):
        return plain, ""  # "à 14h": only the words around the time were French
    for code, name in OTHER_LANGUAGES.items():
        locale = default_loader.get_locale(code)
        if plain and locale.is_applicable(plain, False, settings):
            english = locale.translate(plain, keep_formatting=True, settings=settings)
            english = _DATEPARSER_DAY.sub(
                lambda m: _RELATIVE_DAYS[m.group().lower()], re.sub(r"\s+", " ", english).strip()
            )
            return ("next " if following else "") + english + after, name
    return (_mended(text) if mend else text), ""


def _from_chinese(text: str, today: dt.date) -> str:
    """A date and time as written in Chinese, in English words: "12月3日下午2点" ->
    "3 December 2:00pm", "周二" -> "Tuesday", "明天上午9点半" -> "tomorrow 9:30am", and
    "下周二", the Tuesday of next week, as its date. dateparser's Chinese data reads none
    of these."""

    def day(match: re.Match[str]) -> str:
        year, month, number = match.groups()
        return f" {int(number)} {calendar.month_name[int(month)]} {year or ''} "

    def hour(match: re.Match[str]) -> str:
        part, clock, minute = match.groups()
        minute = "30" if minute == "半" else f"{int(minute or 0):02d}"
        meridiem = {"上午": "am", "早上": "am", "下午": "pm", "晚上": "pm", "中午": "pm"}
        return f" {int(clock)}:{minute}{meridiem.get(part or '', '')} "

    def weekday(match: re.Match[str]) -> str:
        following, number = match.groups()
        index = min("一二三四五六日天".index(number), 6)
        if not following:
            return f" {calendar.day_name[index]} "
        # 下周二 is the Tuesday of next week, not the coming one: the date, in full.
        day = today + dt.timedelta(days=7 - today.weekday() + index)
        return f" {day.day} {calendar.month_name[day.month]} {day.year} "

    text = re.sub(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]", day, text)
    text = re.sub(
        r"(上午|早上|下午|晚上|中午)?\s*(\d{1,2})\s*[点點时時]\s*(半|\d{1,2})?\s*分?", hour, text
    )
    # "10点到12点", "下午2点至4点": a range, its part of the day said once for both ends.
    text = re.sub(r"(\d:\d{2})(am|pm)?\s*(?:到|至)\s*(\d{1,2}:\d{2})(am|pm)?", _chinese_range, text)
    text = re.sub(r"(下个?)?(?:星期|周|礼拜)([一二三四五六日天])", weekday, text)
    for chinese, english in (  # weeks after their weekdays: 下周二 is a day, 下周 a week
        ("下个星期", "next week"),
        ("下星期", "next week"),
        ("下周", "next week"),
        ("这个星期", "this week"),
        ("这星期", "this week"),
        ("这周", "this week"),
        ("本周", "this week"),
        ("下个月", "next month"),
        ("今天", "today"),
        ("明天", "tomorrow"),
        ("上午", "am"),
        ("下午", "pm"),
    ):
        text = text.replace(chinese, f" {english} ")
    return re.sub(r"\s+", " ", text).strip()


def _chinese_range(match: re.Match[str]) -> str:
    """`10:00am到12:00` -> `10:00am-12:00`, `2:00pm至4:00` -> `2:00pm-4:00pm`: the start's
    part of the day is the end's too, but for an end at 12, which is noon as it stands
    ("上午10点到12点", the morning's 10 to 12, was 10:00 to midnight, booked at 09:00)."""
    start, part, end, end_part = match.groups()
    if end_part is None and not end.startswith("12:"):
        end_part = part
    return f"{start}{part or ''}-{end}{end_part or ''}"


def _mended(text: str) -> str:
    """The text with a mistyped month or weekday put right ("Tuesady 14:00", "3 Dcember"),
    when English then reads it whole; else the text as it is. The reply shows both."""
    settings = _locale_settings()
    english = default_loader.get_locale("en")

    def mend(match: re.Match[str]) -> str:
        word = match.group()
        if english.is_applicable(word, False, settings):
            return word
        close = process.extractOne(word.lower(), _DAY_WORDS, scorer=fuzz.ratio, score_cutoff=75)
        return close[0].title() if close else word

    mended = re.sub(r"[^\W\d_]{4,}", mend, text)
    return mended if english.is_applicable(mended, False, settings) else text


@cache
def _english_letters(text: str) -> bool:
    """Whether every letter of `text` is one English writes: "déc" is French, while the
    dash or quotes of a mail ("3 Dec 14:00–15:30", Outlook's) say nothing of the
    language; taken as they were, such times were said to be "read in French"."""
    return all(char.isascii() for char in text if char.isalpha())


def _locale_settings() -> Settings:
    return Settings()


# Languages beside the UN's whose short weekday names delegates in Geneva and Europe
# write: their two letters name other days than French or Spanish ones ("Di" is
# Tuesday in German and Dutch, Sunday in French; "do" Thursday in Dutch, Sunday in Spanish).
_NEIGHBOUR_LANGUAGES = {"de": "German", "nl": "Dutch", "it": "Italian", "pt": "Portuguese"}
_DAY_OR_MONTH = {name.lower() for name in (*calendar.day_name, *calendar.month_name) if name}
# A number that can be a day of the month: not a time ("10:00", "10h", "3pm").
# A year ("Mar 2027"), not a time as military and UN documents write it ("2030 hrs").
_YEAR = re.compile(r"(?<![\d:])20\d{2}(?!\d|:|\s*(?:h|hrs?|hours)\b)", re.IGNORECASE)
_DAY_NUMBER = re.compile(r"(?<![\d:.])\d{1,2}(?![\d:.]|\s*(?:h\b|[ap]\.?m\b))", re.I)


@lru_cache(maxsize=4096)
def _word_readings(word: str) -> dict[str, list[str]]:
    """The weekdays and months a short word names, each with the languages that read it
    so ("di" -> {"sunday": ["French"], "tuesday": ["German", "Dutch"]}); not to be changed.

    Remembered per word: every short word of a due phrase ("by the end of the meeting")
    is put to a dozen languages, and list posts' action lines repeat the same few ("the",
    "of", "on"); asked again on each line, they made reading such a line twice as slow."""
    settings = _locale_settings()
    readings: dict[str, list[str]] = {}
    for code, name in {"en": "English", **OTHER_LANGUAGES, **_NEIGHBOUR_LANGUAGES}.items():
        locale = default_loader.get_locale(code)
        if not locale.is_applicable(word, False, settings):
            continue
        meant = locale.translate(word, keep_formatting=True, settings=settings).strip().lower()
        if meant in _DAY_OR_MONTH:
            readings.setdefault(meant, []).append(name)
    return readings


def _settle_day_word(
    text: str, command: str, now: dt.datetime, zone: ZoneInfo | dt.timezone
) -> str:
    """The text, with a short day or month word that languages read differently ("Di
    14:00", "do 15:00", "ma 9h", "mar 10h") asked about rather than booked on whichever
    day the first language tried makes of it: "Di" was booked on a Sunday for a German
    speaker's Tuesday, and "mar 10h" (mardi) on 23 March. A word the languages agree on
    ("Fr", "sam", "lun") is read; with a day of the month or a year beside it ("3 mar",
    "Mar 2027") a month reading is the one meant, and beside a date a weekday reading
    that is the date's ("Di 1.12.", Tuesday 1 December) is that weekday, written out."""
    dated = _DAY_NUMBER.search(_hours(text)) is not None or _YEAR.search(text) is not None
    for match in re.finditer(r"(?<!\w)([^\W\d_]{2,3})\.?(?!\w)", text):
        readings = _word_readings(match.group(1))
        if dated and any(meant in _MONTHS for meant in readings):
            continue
        if len(readings) < 2:
            continue
        day = _date_beside(_splice(text, match.span(), " "), now, zone)
        if day is not None and calendar.day_name[day.weekday()].lower() in readings:
            return _splice(text, match.span(1), calendar.day_name[day.weekday()])
        word = match.group()
        meanings = [f"{meant.title()} ({', '.join(names)})" for meant, names in readings.items()]
        days = [meant.title() for meant in readings if meant in _WEEKDAYS]
        written = [_splice(text, match.span(), day) for day in days]
        example = f"{command} {written[0]}" + "".join(
            f"  (or: {command} {other})" for other in written[1:]
        )
        raise TimeParseError(
            f'"{word}" could be {" or ".join(meanings)}: which one? I will not guess. '
            "Write the day or month in full.",
            example if written else f"{command} {EXAMPLE_TIME}",
        )
    return text


def _date_beside(rest: str, now: dt.datetime, zone: ZoneInfo | dt.timezone) -> dt.date | None:
    """The day and month the text writes in numbers or with an English month ("1.12.",
    "1/12/2026", "1 Dec", "2026-12-01"), or None: a time ("14.00") is none."""
    numeric = _NUMERIC_DATE.search(rest)
    if numeric is not None and 1 <= int(numeric.group(2)) <= 12:
        # "2.12" as a date ("2/12"): read as it is, it was the time 02:12, tomorrow, and
        # "Di 2.12" (a Wednesday) was that Tuesday's, due 2 December 2025.
        return read_day(_day_dot(numeric.group(), dated=True), now=now, zone=zone)
    named = _DAY_MONTH.search(rest)
    if named is not None and named.group(2).lower() in _MONTHS:
        return read_day(named.group(), now=now, zone=zone)
    iso = _ISO_DATE.search(rest)
    return read_day(iso.group(), now=now, zone=zone) if iso is not None else None


def _colon_times(text: str, command: str, where: str = "") -> str:
    """`14.00` -> `14:00` when no day and month read so (minutes 00 or past 12: month 0 or
    13+), or when the rest of the text names the day already (`3 Dec 9.10`, `Tuesday 9.10`:
    a second date is never meant). Beside a time, `10.12` is the day, 10 December as
    day-first Geneva reads it (`10.12 14:00`); alone it is asked about, as either reading
    is as likely (dateparser took it for 10:12 and the meeting for a day's slots).
    """

    def colon(match: re.Match[str]) -> str:
        hour, minute = match.groups()
        rest = text[: match.start()] + " " + text[match.end() :]
        if minute == "00" or int(minute) > 12 or _NAMED_DAY.search(rest):
            return f"{hour}:{minute}"
        return match.group()

    text = _DOTTED_TIME.sub(colon, _military(text))
    match = _DOTTED_TIME.search(text)
    if match is None:
        return text
    day, month = (int(part) for part in match.groups())
    if _TIME.search(text[: match.start()] + " " + text[match.end() :]):
        return _splice(text, match.span(), f"{day}/{month}")
    as_day = _splice(text, match.span(), f"{day} {calendar.month_abbr[month]}")
    as_time = _splice(text, match.span(), f"{day:02d}:{month:02d}")
    raise TimeParseError(
        f'"{match.group()}" could be {day} {calendar.month_name[month]} or {day:02d}:{month:02d}'
        ": which one? Write the month as a word for the day, or the time with a colon.",
        f"{command} {as_day}{where}  (or: {command} {as_time}{where})",
    )


def _hour_alone(text: str, command: str, where: str = "") -> str:
    """An hour written alone ("tomorrow at 3", "Tuesday at 10", "at 15") as the time it
    is: `15:00` from 12 on (or 0), and asked about from 1 to 11, morning or evening, with
    both written out (and the zone named, `where`, after each). Left alone, it was a day
    of the month ("Tuesday at 10": 10 November, "already over"), a year ("3 Dec at 14":
    2114) or dropped for the whole day's slots."""
    for pattern in (_AT_BARE_HOUR, _DAY_BARE_HOUR):
        match = pattern.search(text)
        if match is None or int(match.group(1)) > 23:
            continue
        hour = int(match.group(1))
        if hour == 0 or hour >= 12:  # "at 12" is noon, as midnight is written so
            return _splice(text, match.span(1), f"{hour:02d}:00")
        other = (hour + 12) % 24
        morning = _splice(text, match.span(1), f"{hour:02d}:00")
        afternoon = _splice(text, match.span(1), f"{other:02d}:00")
        raise TimeParseError(
            f'"{match.group().strip()}" could be {hour:02d}:00 or {other:02d}:00: which one? '
            "Write the time in full.",
            f"{command} {afternoon}{where}  (or: {command} {morning}{where})",
        )
    return text


def _military(text: str) -> str:
    """`1400 hrs`, `1400h`, `1400` alone or beside a day ("3 Dec 1400", which dateparser
    read as the year 1400) -> `14:00`. Of two such numbers the first is the year ("3 Dec
    2026 1400"); one alone that may be the year ("3 Dec 2030") is left as it is."""
    found = list(_MILITARY_TIME.finditer(text))
    if not found:
        return text
    match = found[-1]
    hour, minute, suffix = match.groups()
    rest = text[: match.start()] + " " + text[match.end() :]
    alone = not rest.strip()
    dated = _NAMED_DAY.search(rest) is not None
    if suffix or len(found) > 1 or alone or (dated and int(hour + minute) < 1900):
        return _splice(text, match.span(), f"{hour}:{minute}")
    return text


def _parse(cleaned: str, now: dt.datetime, zone: ZoneInfo | dt.timezone) -> DateData:
    """dateparser's reading, with the parts of the date the text itself gave.

    A day of the month alone that this month lacks ("the 31st" said in November) is
    read in the next month, which has it: dateparser answered None, and the delegate
    was told the text could not be read. The caller's note says which month it is."""
    if any(not 1 <= int(day) <= 31 for day in _ORDINAL_DAY.findall(cleaned)):
        return DateData(date_obj=None)  # "the 32nd": dateparser read the year 2032
    read = _dateparser_read(cleaned, now, zone)
    if (
        read.date_obj is not None
        and _MONTHS_AHEAD.search(cleaned)
        and not _NAMED_DAY.search(cleaned)
    ):
        # "in a month" is this day of that month (or its last): dateparser, told to prefer
        # the first of a month, made it the 1st, a week away on 23 November.
        day = now.astimezone(zone).day
        last = calendar.monthrange(read.date_obj.year, read.date_obj.month)[1]
        read.date_obj = read.date_obj.replace(day=min(day, last))
    if read.date_obj is None and _short_month_day(cleaned, now.astimezone(zone).date()):
        local = now.astimezone(zone)
        following = (local.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        read = _dateparser_read(cleaned, following, zone)
    return read


_ORDINAL_DAY = re.compile(r"(?<![\d.])(\d{1,3})(?:st|nd|rd|th)\b", re.IGNORECASE)


def _dateparser_read(cleaned: str, now: dt.datetime, zone: ZoneInfo | dt.timezone) -> DateData:
    settings = _dateparser_settings(cleaned, now, zone)
    try:
        return DateDataParser(languages=["en"], settings=settings).get_date_data(cleaned)
    except OverflowError:  # "1 Jan 0001" at midnight: before the first instant Python has
        return DateData(date_obj=None)


def _short_month_day(text: str, today: dt.date) -> int | None:
    """The day of the month a text names alone ("the 31st", "on the 30th at 10:00") when
    this month has no such day (November has no 31st); None otherwise."""
    if _NAMED_DAY.search(text):
        return None
    days = calendar.monthrange(today.year, today.month)[1]
    for match in _DAY_NUMBER.finditer(_hours(text)):
        if days < int(match.group()) <= 31:
            return int(match.group())
    return None


def _read_date(text: str, now: dt.datetime, zone: ZoneInfo | dt.timezone) -> dt.datetime | None:
    return _parse(_clean(text), now, zone).date_obj


def _read_start(
    text: str, now: dt.datetime, zone: ZoneInfo | dt.timezone, *, on_day: dt.date | None = None
) -> DateData:
    """The wall-clock start (naive, in `zone`) a meeting time names, with the parts written.

    `on_day`: the day a time alone is on if it is still ahead (the day of a meeting
    being moved: "/reschedule m1 | 10:00" of a meeting in March is that day at 10:00).

    A time alone is dated here: today in `zone`, or tomorrow once that hour has
    passed on the reader's clock. dateparser's own rolling of a bare time
    compares it with RELATIVE_BASE as if that were UTC, shifting the day by the
    zone's offset ("15:00" at 09:58 in Beijing became tomorrow; "18:00" at 20:00
    in Mexico City stayed today, in the past), and past a month's last day it
    puts the month back (30 Nov 20:00 + "09:00" gave 1 Nov).
    """
    cleaned = _clean(text)
    clock = now.astimezone(zone).replace(tzinfo=None)
    if _BARE_TIME.fullmatch(cleaned):
        if on_day is not None:
            read = _parse(f"{on_day.isoformat()} {cleaned}", now, zone)
            if read.date_obj is not None and read.date_obj > clock:
                return read
        return _next_on_clock(cleaned, clock.date(), dt.timedelta(days=1), now, zone)
    if match := _WEEKDAY_TIME.fullmatch(cleaned):
        day = _coming(_weekday(match.group("day") or match.group("day2")), clock.date())
        time = match.group("time") or match.group("time2")
        return _next_on_clock(time, day, dt.timedelta(days=7), now, zone)
    if match := _WEEKDAY.fullmatch(cleaned.rstrip(".")):
        # "Monday" said on a Monday is today, as "Monday 14:00" and "by Monday" are;
        # dateparser put it a week ahead.
        return _parse(_coming(_weekday(match.group(1)), clock.date()).isoformat(), now, zone)
    return _parse(cleaned, now, zone)


def _coming(weekday: int, today: dt.date) -> dt.date:
    """The next day that is `weekday`, today included (the day is not over)."""
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def _next_on_clock(
    time: str, day: dt.date, step: dt.timedelta, now: dt.datetime, zone: ZoneInfo | dt.timezone
) -> DateData:
    """`time` on `day`, or a `step` later once the reader's clock has passed it.

    "Tuesday 14:00" said on a Tuesday at 11:00 is today, as the next time the clock
    shows it (and as calendar tools read it); dateparser put it a week ahead.
    """
    read = _parse(f"{day.isoformat()} {time}", now, zone)
    if read.date_obj is not None and read.date_obj <= now.astimezone(zone).replace(tzinfo=None):
        read.date_obj += step
    return read


def _yearless(read: DateData) -> bool:
    """The text gave a day and a month but no year ("1 Dec 15:00", "3/12")."""
    return "year" not in read.parts and {"day", "month"} <= set(read.parts)


def _monthless(read: DateData) -> bool:
    """The text gave a day of the month alone ("the 3rd", "on the 15th at 2pm")."""
    return "day" in read.parts and "month" not in read.parts


def _month_meant(naive: dt.datetime, clock: dt.datetime) -> dt.datetime:
    """A day of the month alone, in the next month that has it once this month's is gone:
    "the 3rd" said on 23 November is 3 December (dateparser gave 3 November, refused as
    past), "the 31st" said then is 31 December."""
    month = naive
    while month.date() < clock.date() or month.day != naive.day:
        ahead = month.month + 1
        year, ahead = month.year + (ahead > 12), (ahead - 1) % 12 + 1
        last = calendar.monthrange(year, ahead)[1]
        month = month.replace(year=year, month=ahead, day=min(naive.day, last))
    return month


def _year_meant(naive: dt.datetime, clock: dt.datetime) -> dt.datetime:
    """A day and month written without a year, in the year the writer most likely meant.

    dateparser moves a day that has passed to next year: "1 Dec 09:00" typed on 1 December
    at 11:00, or "30 Nov" typed on 1 December, became a meeting a year away, and
    invitations went out for it. A day gone by in the last three months is a slip, not a
    plan for next year: it is kept in its own year, so it is refused as past with the year
    to write. An older day is next year's ("1 June" said in November), as the full date
    in the reply shows.
    """
    for year in (clock.year, clock.year - 1):
        if _date_problem(year, naive.month, naive.day) is None:
            day = naive.replace(year=year)
            if dt.timedelta() < clock - day <= RECENTLY:
                return day
    return naive


def _refuse_other_century(year: int, this_year: int, text: str, example: str) -> None:
    """Refuse a year more than a century from this one: no meeting or deadline is so far
    off, and near the calendar's ends ("31 Dec 9999 midnight") a day after or before
    it is past the last or first date Python has."""
    if abs(year - this_year) > LAST_YEARS_AHEAD:
        when = "from now" if year > this_year else "ago"
        raise TimeParseError(
            f'"{text}" reads as the year {year}, more than {LAST_YEARS_AHEAD} years {when}. '
            "Check the year.",
            example,
        )


def _refuse_far_ahead(naive: dt.datetime, clock: dt.datetime, text: str, command: str) -> None:
    """Refuse a date years away unless the text wrote that year in full, and one a
    century away however it is written.

    dateparser reads "04/13 10:00" (month first) as 4 December 2113 and "1 Dec 26" as
    2126; an invitation for such a day is never what the chair meant.
    """
    _refuse_other_century(naive.year, clock.year, text, f"{command} {EXAMPLE_TIME}")
    if naive - clock <= FAR_AHEAD or str(naive.year) in text:
        return
    raise TimeParseError(
        f'"{text}" reads as {date_text(naive.date())}, years from now. Write the day first, '
        "the month as a word and the year in full.",
        f"{command} {EXAMPLE_TIME}",
    )


def _past_example(
    read: DateData,
    zone: ZoneInfo | dt.timezone | None,
    command: str,
    *,
    timed: bool,
    today: dt.date,
) -> str:
    """For a day written without a year that has passed: the same day next time, in full;
    for any other, a day ahead of today (an example dated in a set year goes past too)."""
    if not _yearless(read):
        return (
            f"{command} next Tuesday 14:00 Geneva time, or a full date such as "
            f"{_full_date(today + EXAMPLE_AHEAD)} 14:00"
        )
    day = read.date_obj
    words = [_full_date(day)] + [f"{day:%H:%M}"] * timed
    return " ".join([command, *words, *([_zone_label(zone)] if zone else [])])


def _full_date(day: dt.date | dt.datetime) -> str:
    """`3 Dec 2027`: a date as a member would type it, year in full."""
    return f"{day.day} {day:%b} {day.year}"


def warm_up() -> None:
    """Have dateparser load its language data now (a third of a second, once).

    Otherwise the first due date or time read in a running bot pays for it
    while a meeting's line writer, and every line queued behind it, waits.
    """
    _read_date("Friday", dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC), dt.UTC)
    # And the other UN languages', read in turn when English fails.
    _in_english("-", dt.date(2000, 1, 1))


# A time as written, its am or pm with it: what the clocks' example puts the hour in place
# of ("tomorrow 2:30am" -> "tomorrow 03:30", not "03:30am").
_CLOCK = re.compile(rf"(?<!\d)\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?(?!\w)|{_TIME.pattern}", re.I)


def _localise(
    naive: dt.datetime, zone: ZoneInfo | dt.timezone, text: str, command: str
) -> dt.datetime:
    """Attach the zone, refusing a wall-clock time the clocks skip (DST gap).

    The example is the user's own text at the time the clocks show then
    (02:30 -> 03:30 in Geneva), not some other day.
    """
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise TimeParseError(
            f"{naive:%H:%M} on {day_text(naive.date())} does not exist in "
            f"{_zone_label(zone)}: the clocks move forward then, to {back:%H:%M}.",
            f"{command} {_CLOCK.sub(f'{back:%H:%M}', text, count=1)}",
        )
    return aware


def _day_first(text: str, day: dt.date) -> str:
    """A note when a numeric date reads both ways (03/04): it was read day first, and a
    member used to month first (New York) sees which day that is and how to write theirs."""
    match = _NUMERIC_DATE.search(text)
    if not match:
        return ""
    first, second = int(match.group(1)), int(match.group(2))
    if first == second or not (1 <= first <= 12 and 1 <= second <= 12):
        return ""
    other = dt.date(2000, first, second)
    return (
        f'; "{match.group(0)}" read day first, as {day.day} {day:%B}: '
        f"for {other:%B} {other.day} write {other.day} {other:%b}"
    )


def _repeated_hour(naive: dt.datetime, zone: ZoneInfo | dt.timezone) -> str:
    """A note when the clocks show this time twice (the night they go back), else "".

    The first is taken, as calendars read such a time, unless the text names the
    second by its abbreviation (`02:30 CET` the night CEST ends, `01:30 EST`); a chair
    who meant the other must see that and how to write it.
    """
    first, second = (naive.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
    if first.utcoffset() == second.utcoffset():
        return ""
    if naive.fold:
        return (
            f"; {naive:%H:%M} comes twice that night as the clocks go back: this is the "
            f"second, {offset_text(second)}, as {second.tzname()} says; for the first write "
            f"{naive:%H:%M} {offset_text(first)}"
        )
    return (
        f"; {naive:%H:%M} comes twice that night as the clocks go back: this is the first, "
        f"{offset_text(first)}; for the second write {naive:%H:%M} {offset_text(second)}"
    )


def _fold_written(naive: dt.datetime, zone: ZoneInfo | dt.timezone, text: str) -> dt.datetime:
    """The time the clocks show twice, as the one whose abbreviation the text wrote:
    `31 Oct 2027 02:30 CET` is the second 02:30 in Geneva (the first is CEST)."""
    second = naive.replace(tzinfo=zone, fold=1)
    if second.utcoffset() == naive.replace(tzinfo=zone).utcoffset():
        return naive
    written = {match.group(1) for match in _ABBREVIATION.finditer(text)}
    return naive.replace(fold=1) if second.tzname() in written else naive


def _date_problem(year: int, month: int, day: int) -> str | None:
    """Why a written year, month and day are no date ("there is no month 13"), or None."""
    if year < dt.MINYEAR:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


def _nearest_day(year: int, month: int, day: int) -> dt.date:
    """A real day close to an impossible one: the nearest month, and its last day if need be."""
    year, month = max(year, dt.MINYEAR), min(max(month, 1), 12)
    return dt.date(year, month, min(max(day, 1), calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class _Impossible:
    """A day written in a text that no calendar has, and the text with a real day instead."""

    words: str  # as written: "31 Feb 2027"
    problem: str  # "February 2027 has 28 days"
    amended: str  # "28 Feb 2027 10:00"

    def error(self, command: str) -> TimeParseError:
        return TimeParseError(
            f"{self.words} is not a date: {self.problem}.", f"{command} {self.amended}".strip()
        )


def _impossible_day(text: str, today: dt.date) -> _Impossible | None:
    """The day in a text that does not exist ("2027-13-01", "31 Feb"), or None.

    dateparser only answers None for these; a delegate needs to know which part
    is wrong. The real day offered for an ISO date is day and month swapped if
    that is one (2027-01-13), else the month's last day; a day without a year
    is in the year it would next come.
    """
    if match := _ISO_DATE.search(text):
        year, month, day = (int(part) for part in match.group().split("-"))
        problem = _date_problem(year, month, day)
        if problem is not None:
            swapped = _date_problem(year, day, month) is None
            real = dt.date(year, day, month) if swapped else _nearest_day(year, month, day)
            return _Impossible(match.group(), problem, _splice(text, match.span(), str(real)))
    for match in _ORDINAL_DAY.finditer(text):
        if not 1 <= int(match.group(1)) <= 31:
            real = _ordinal(min(max(int(match.group(1)), 1), 31))
            problem = "no month has so many days" if int(match.group(1)) else "days count from 1"
            return _Impossible(match.group(), problem, _splice(text, match.span(), real))
    for match in _DAY_MONTH.finditer(text):
        month = _MONTHS.get(match.group(2).lower())
        if month is None:
            continue
        day = int(match.group(1))
        year = int(match.group(3) or today.year + (month < today.month))
        problem = _date_problem(year, month, day)
        if problem is not None:
            real = str(_nearest_day(year, month, day).day)
            return _Impossible(match.group(), problem, _splice(text, match.span(1), real))
    return None


def _ordinal(number: int) -> str:
    """`1st`, `2nd`, `23rd`, `31st`, `11th`."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{'th' if 10 <= number % 100 <= 20 else suffix}"


def _splice(text: str, span: tuple[int, int], new: str) -> str:
    return text[: span[0]] + new + text[span[1] :]


def _zone_label(zone: ZoneInfo | dt.timezone) -> str:
    return zone.key if isinstance(zone, ZoneInfo) else str(zone)


# What makes a time a series: "every Tuesday", "each month", "weekly on", "Tuesdays".
_SERIES_WORDS = re.compile(
    r"\b(?:every(?:\s+other)?|each|weekly|daily|monthly|fortnightly|bi-?weekly)\b(?:\s+on\b)?",
    re.IGNORECASE,
)
_PLURAL_DAY = re.compile(r"\b((?:mon|tues|wednes|thurs|fri|satur|sun)day)s\b", re.IGNORECASE)


def _zone_written(body: str, said: str, zone: ZoneInfo | dt.timezone | None) -> str:
    """The zone a text named, as written (" Beijing time", " heure de Genève") or else by
    its name, to put after an example's time; "" when the text named none."""
    if zone is None:
        return ""
    if said and body.startswith(said):
        return f" {body[len(said) :].strip()}"
    if said and body.endswith(said):
        return f" {body[: -len(said)].strip()}"
    return f" {_zone_label(zone)}"


def _unread_beside_zone(body: str, rest: str, command: str) -> TimeParseError:
    """The date and time did not read, but the zone beside them did: the refusal names the
    part that failed ('I know no place called "Geneva"' blamed the part that was right)."""
    words = body.split()
    kept = rest.split()
    written = " ".join(words[len(kept) :]) if words[: len(kept)] == kept else ""
    return TimeParseError(
        f'I cannot read "{rest}" as a date and time'
        + (f' (the rest, "{written}", I read).' if written else "."),
        f"{command} 3 Dec 14:00 {written}" if written else f"{command} {EXAMPLE_TIME}",
    )


def _first_of_series(text: str) -> str | None:
    """The text without what makes it a series ("every Tuesday 14:00" -> "Tuesday 14:00"),
    or None when it names no series."""
    single = _PLURAL_DAY.sub(r"\1", _SERIES_WORDS.sub(" ", text))
    if single == text:
        return None
    return re.sub(r"\s+", " ", single).strip()


def _readable(text: str, now: dt.datetime, zone: ZoneInfo, sessions: Sequence[Session]) -> str:
    """`text` when it reads as a time to schedule at, else ""."""
    try:
        return (
            text
            if isinstance(parse_when(text, now=now, zone=zone, sessions=sessions), Instant)
            else ""
        )
    except TimeParseError:
        return ""


def parse_when(
    text: str,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    sessions: Sequence[Session],
    command: str = SCHEDULE_COMMAND,
    moving: dt.datetime | None = None,
    kept_in: ZoneInfo | None = None,
) -> When:
    """An instant or a window, from what a chair typed after `/schedule title |`.

    `command` is what comes before the time in the command the user typed
    (`/reschedule m4 |`): refusals show that command with a time that works.
    `moving`: the start of the meeting a /reschedule moves; a time alone is on its
    day (in the zone the time is read in) while that is still ahead, not tomorrow.
    `kept_in`: the zone that meeting was set in; a move by days or to another day
    with no zone named keeps its hour on that clock, not on the reader's.

    The same time restated in another zone, as invitations write it ("14:00 CET
    (13:00 UTC)", "2pm Geneva / 8am New York"), is checked against the first: the
    reading says it agrees, or the two are asked about.
    """
    main, aside = _aside(_sentence_ended(text.strip()))
    when = _parse_when(
        main, now=now, zone=zone, sessions=sessions, command=command, moving=moving, kept_in=kept_in
    )
    if aside is None or not isinstance(when, Instant):
        return when
    try:
        again = _parse_when(aside, now=now, zone=zone, sessions=sessions, command=command)
    except TimeParseError:
        return when  # an aside that reads as no time restates nothing
    if not isinstance(again, Instant):
        return when
    local, other = when.start.astimezone(again.zone), again.start.astimezone(again.zone)
    dated = not _BARE_TIME.fullmatch(_clean(_military(_take_range(find_zone(aside)[2])[0])))
    if local.time() == other.time() and (local.date() == other.date() or not dated):
        return replace(when, reading=f'{when.reading}; "{aside}" agrees')
    raise TimeParseError(
        f'"{main}" is {when_text(when.start, again.zone)} in {_zone_label(again.zone)}, but '
        f'"{aside}" says {other:%H:%M}: which one? Write one time and its zone.',
        f"{command} {main}",
    )


# A restatement at the end: "(13:00 UTC)", " / 8am New York".
_ASIDE = re.compile(r"\s*\(([^()]+)\)\s*$|\s+/\s+([^/]+)$")


def _aside(text: str) -> tuple[str, str | None]:
    """The text and a time restated in another zone at its end, if it names a zone and a
    time ("14:00 CET (13:00 UTC)" -> "14:00 CET", "13:00 UTC"); else the text and None."""
    match = _ASIDE.search(text)
    if match is None:
        return text, None
    aside = (match.group(1) or match.group(2)).strip()
    if not (_TIME.search(aside) or _MILITARY_TIME.search(aside)) or find_zone(aside)[0] is None:
        return text, None
    return text[: match.start()].strip(), aside


def _sentence_ended(text: str) -> str:
    """The text without the stop (or "!", ",", ";") a mail's sentence ends it with, unless
    the stop is a dotted date's ("7.12." alone, the 7th of December).

    Left on, "tomorrow at 10:00." was booked at 09:00, "next week." proposed Monday's
    slots alone and "3 Dec 9.10." the whole day."""
    text = text.rstrip(" !?,;")
    if not text.endswith(".") or text.endswith(".."):
        return text
    dotted = _DAY_DOT.search(text)
    if dotted and dotted.end() == len(text) and _day_dot(text) != text:
        return text  # "7.12.", "/schedule X | 7.12.": the day
    last = text[:-1].rsplit(" ", 1)[-1].lower()
    if last in _WEEKDAYS or last in _MONTHS or re.fullmatch(r"[ap]\.m", last):
        return text  # "Tue.", "3 Dec.", "10 a.m.": the word's own stop, quoted as typed
    return text[:-1].rstrip()


def _parse_when(
    text: str,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    sessions: Sequence[Session],
    command: str,
    moving: dt.datetime | None = None,
    kept_in: ZoneInfo | None = None,
) -> When:
    """`parse_when` of a text with one time in it."""
    raw = _sentence_ended(re.sub(r"\s+", " ", text).strip())
    if not raw:
        raise TimeParseError("Say when: a time or a window.", f"{command} {EXAMPLE_TIME}")
    body, duration = _take_duration(raw)
    if (shift := _shift(body)) is not None:
        own = kept_in or zone
        return _shifted(shift, body, now, own, duration, command, moving, _own_zone(own, zone))
    if _SHIFT.fullmatch(body) or _SIGNED.match(body):
        # "+1h CET", "+1 day Beijing time": the shift, its days counted in the zone named;
        # "+1" or "+15" says not by how much (read as a day of the month, it moved the
        # meeting to the 1st).
        named_zone, label, said = find_zone(body, command=command)
        if (shift := _shift(said)) is not None:
            named = isinstance(named_zone, ZoneInfo)
            day_zone = named_zone if named else zone
            return _shifted(
                shift, said, now, day_zone, duration, command, moving, label if named else ""
            )
        if _SIGNED.match(body):
            raise TimeParseError(
                f'"{body}" says a move, but not by how much: write hours, minutes or days.',
                f"{command} +1h  (or: {command} -30m, {command} +1 day)",
            )
    # Before any reading: "Tuesdays at 14:00" would read as the coming Tuesday alone.
    if (first := _first_of_series(body)) is not None:
        raise TimeParseError(
            "I schedule one meeting at a time, not a series: schedule the first one now"
            f' and each next one in turn ("{body}" names a series).',
            f"{command} {_readable(first, now, zone, sessions) or EXAMPLE_TIME}",
        )
    # "same time on Friday": the meeting's own time that day, on the clock of the zone named.
    own_time = moving if moving is not None and _SAME_TIME.search(body) else None
    typed = body  # "same time next week", as the reading quotes it
    if own_time is not None:
        body = re.sub(r"\s+", " ", _SAME_TIME.sub(" ", body)).strip()
    named_zone, zone_label, said = find_zone(body, command=command)
    # "same time next week Geneva time": its weekday that week and its hour, both on the
    # clock named; with the hour added below it read as "next week 14:00", a week from today.
    if (
        own_time is not None
        and kept_in is not None
        and isinstance(named_zone, ZoneInfo)
        and (window := _named_window(said, sessions, now, named_zone, command)) is not None
    ):
        day = _its_weekday_in(window, own_time.astimezone(named_zone).weekday(), named_zone)
        zones = (named_zone, named_zone)
        return _on_day(day, typed, now, zones, duration, command, own_time, zone_label)
    if own_time is not None and (named_zone is not None or kept_in is None):
        said = f"{said} {own_time.astimezone(named_zone or zone):%H:%M}".strip()
    # Else the day alone, which a move takes at the meeting's own time (below).
    said = _closed_range(body, said, command, _zone_written(body, said, named_zone))
    settled = _settle_day_word(said, command, now, named_zone or zone)
    rest, language = _in_english(
        _NOON.sub("12:00", settled), now.astimezone(named_zone or zone).date()
    )
    translated = f'"{said}" read{f" in {language}" if language else ""} as "{rest}"'
    translated = translated if rest != said else ""
    heard = f" ({translated})" if translated else ""
    quoted = rest  # as typed (or as translated): what the notes of the reading quote
    if not rest:  # "Geneva time" alone
        ahead = _full_date(now.astimezone(zone).date() + EXAMPLE_AHEAD)
        raise TimeParseError(
            f'"{body}" is a time zone, with no day or time: say when.',
            f"{command} {ahead} 14:00 {body}",
        )
    how = (zone_label or f"your zone, {_zone_label(zone)}") + heard
    if (ahead := _ahead(rest)) is not None:  # "in 1 hour CET": from now, shown in the zone
        return _from_now(ahead, rest, now, (named_zone or zone, how), duration, command)
    # The questions' examples keep the zone named: without it, "3 Dec at 9 Beijing time"
    # offered "3 Dec at 09:00", which books 09:00 in the asker's own zone.
    where = _zone_written(body, said, named_zone)
    rest = _colon_times(rest, command, where)
    # "14h-16h" as a range too: left to `_clean`, its hours came after the range was
    # sought, and "tomorrow 14h-16h" was booked at the hour it was said (dateparser).
    rest, spanned = _take_range(_hours(rest), command, where)
    try:
        rest = _hour_alone(rest, command, where)
    except TimeParseError as asked:  # say what it was read as, if not as written
        message = f"{translated}: {asked.message}" if translated else asked.message
        raise TimeParseError(message, asked.example) from None
    duration = duration or spanned
    # "next week Beijing time", "next week UTC+8": its days, there.
    found = _named_window(rest, sessions, now, named_zone or zone, command)
    if found is not None and own_time is not None and named_zone is None and kept_in is not None:
        # "same time next week": the meeting's weekday in that window, at its own time.
        day = _its_weekday_in(found, own_time.astimezone(zone).weekday(), zone)
        return _on_day(day, typed, now, (zone, kept_in), duration, command, own_time)
    if found is not None:
        label = (f"{found.label}, {zone_label}" if named_zone else found.label) + heard
        return _future_window(replace(found, label=label), now, duration, body)
    read_zone: ZoneInfo | dt.timezone = named_zone or zone
    _refuse_midnight(rest, now, read_zone, command, named=named_zone is not None)
    meeting_day = moving.astimezone(read_zone).date() if moving is not None else None
    read = _read_start(rest, now, read_zone, on_day=meeting_day)
    if read.date_obj is None:
        impossible = _impossible_day(body, now.astimezone(read_zone).date())
        if impossible is not None:
            raise impossible.error(command)
        if named_zone is not None:
            raise _unread_beside_zone(body, rest, command)
        place = _PLACE_TIME.search(body)
        if place:
            name = re.sub(r"^in\s+", "", place.group(1), flags=re.IGNORECASE)
            raise TimeParseError(
                f'I cannot read "{body}" as a date and time: I know no place called "{name}".',
                f"{command} {EXAMPLE_TIME}  (or an IANA zone: 3 Dec 14:00 Africa/Lagos)",
            )
        raise TimeParseError(
            f'I cannot read "{body}" as a date and time.', f"{command} {EXAMPLE_TIME}"
        )
    clock = now.astimezone(read_zone).replace(tzinfo=None)
    naive = _year_meant(read.date_obj, clock) if _yearless(read) else read.date_obj
    naive = _month_meant(naive, clock) if _monthless(read) else naive
    _refuse_far_ahead(naive, clock, body, command)
    _refuse_other_weekday(quoted, read, naive, named_zone, command)
    timed = _TIME.search(rest) is not None
    past = _past_example(read, named_zone, command, timed=timed, today=clock.date())
    if not timed and moving is not None and named_zone is None and kept_in is not None:
        return _on_day(naive.date(), body, now, (zone, kept_in), duration, command, moving)
    if not timed and moving is not None:  # a move to a day keeps the meeting's time
        own = f"{moving.astimezone(read_zone):%H:%M}"
        moved = parse_when(
            f"{raw} {own}", now=now, zone=zone, sessions=sessions, command=command, moving=moving
        )
        if isinstance(moved, Instant):
            return replace(moved, reading=f"{moved.reading} (the day named, at its own time)")
    if not timed:
        first = naive.date()
        day_zone = named_zone or zone
        label = f"on {day_text(first)}"
        span = day_span(first, 1, day_zone)
        if (part := PART_OF_DAY.get(read.part_of_day)) is not None:  # "tomorrow morning"
            name, opens, closes = part
            span = (
                dt.datetime.combine(first, opens, day_zone).astimezone(dt.UTC),
                dt.datetime.combine(first, closes, day_zone).astimezone(dt.UTC),
            )
            label += f" in the {name} ({opens:%H:%M}-{closes:%H:%M} {_zone_label(day_zone)})"
        label += heard
        if _monthless(read) and (lacking := _lacking(first.day, clock.date())):
            label += f' ("{quoted}" taken as next month\'s{lacking})'
        if _WEEKDAY.fullmatch(_clean(rest).rstrip(".")) and first == clock.date():
            label += (
                f' ("{quoted}" said on a {first:%A} is today; for a week from today write '
                f'"next {first:%A}")'
            )
        day = _window([span], label, day_zone, (), sessions, command)
        return _future_window(day, now, duration, body, example=past)
    naive = _fold_written(naive, read_zone, body)
    start = _localise(naive, read_zone, body, command).astimezone(dt.UTC)
    if start <= now:
        raise TimeParseError(
            f'"{body}" is {when_text(start, read_zone)}, which is in the past '
            f"(it is now {when_text(now, read_zone)})."
            + (" For next year, write the year." if _yearless(read) else ""),
            past,
        )
    reading = f"{when_text(start, read_zone)} {how}"
    if _RELATIVE.search(rest):
        reading += f' ("{quoted}" taken as {_relative_day(naive.date(), clock.date())})'
    elif naive.date() == meeting_day and _BARE_TIME.fullmatch(_clean(rest)):
        reading += f' ("{quoted}" taken as the meeting\'s day, {day_text(naive.date())})'
    elif _monthless(read) and naive.month != clock.month:
        reading += f' ("{quoted}" taken as next month\'s, {day_text(naive.date())}'
        reading += f"{_lacking(naive.day, clock.date())})"
    elif _yearless(read) and naive.year != clock.year:
        reading += f' ("{quoted}" taken as next year\'s, {day_text(naive.date())})'
    reading += _repeated_hour(naive, read_zone) + _day_first(rest, naive.date())
    zone_out = read_zone if isinstance(read_zone, ZoneInfo) else UTC
    return Instant(start=start, zone=zone_out, reading=reading, duration=duration)


# "10:00 -", "10:00 to": a range whose end was left out.
_OPEN_RANGE = re.compile(
    r"(?P<start>\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\bnoon)\s*(?:-|–|—|\b(?:to|until|till))$",
    re.IGNORECASE,
)


def _closed_range(body: str, said: str, command: str, where: str) -> str:
    """`said` (the text without its zone) without the dash that set the zone apart
    ("3 Dec 14:00 - Geneva time"); the end of a range left open ("tomorrow 10:00 -") is
    asked for. Read with its dash, the time was moved an hour (booked at 09:00), and
    without it the meeting would last an hour the chair may not have meant."""
    if _OPEN_RANGE.search(body) is None:
        return re.sub(r"(?:\s*[-–—])+$", "", said)
    match = _OPEN_RANGE.search(said)
    if match is None:  # the zone written inside the range: no end to ask for
        return said
    start = match["start"].strip()
    clock = re.match(r"(\d{1,2}(?::\d{2})?)\s*([ap])?", start)
    minute = _minute_of_day(*clock.groups()) if clock else 12 * 60  # or noon
    begin, end = (f"{(m // 60) % 24:02d}:{m % 60:02d}" for m in (minute, minute + 60))
    head = said[: match.start()]
    raise TimeParseError(
        f'"{said}" starts at {start} but says no end: until when?',
        f"{command} {head}{begin}-{end}{where}  (or: {command} {head}{begin}{where})",
    )


def _lacking(day: int, today: dt.date) -> str:
    """`: November 2026 has 30 days`, when this month has no such day, else ""."""
    problem = _date_problem(today.year, today.month, day)
    return f": {problem}" if problem else ""


def _refuse_other_weekday(
    text: str,
    read: DateData,
    naive: dt.datetime,
    zone: ZoneInfo | dt.timezone | None,
    command: str,
) -> None:
    """`Friday 3 Dec 14:00` when 3 December is a Thursday: one of the two is a slip, and
    which one cannot be told; both are offered, in full, rather than the date taken
    unasked (the invitations went out for the Thursday). `zone`: the one the text named."""
    named = _WEEKDAY.search(text)
    if named is None or not {"day", "month"} <= set(read.parts):
        return
    weekday, day = _weekday(named.group(1)), naive.date()
    if day.weekday() == weekday:
        return
    other = day + dt.timedelta(days=(weekday - day.weekday() + 3) % 7 - 3)  # the nearest
    time = f" {naive:%H:%M}" if "time" in read.parts else ""
    where = f" {_zone_label(zone)}" if zone is not None else ""

    def written(when: dt.date) -> str:
        year = f" {when.year}" if "year" in read.parts else ""
        return f"{command} {when:%A} {when.day} {when:%b}{year}{time}{where}"

    raise TimeParseError(
        f'"{text}": {day.day} {day:%B %Y} is a {day:%A}, not a {calendar.day_name[weekday]}. '
        "Write the weekday and the date of the day you mean.",
        f"{written(day)}  (or: {written(other)})",
    )


def _refuse_midnight(
    rest: str, now: dt.datetime, zone: ZoneInfo | dt.timezone, command: str, *, named: bool
) -> None:
    """`3 Dec midnight`: the start of 3 December to a calendar, the night that ends it to
    many who write it. Asked rather than guessed, with both readings. `3 Dec 24:00` is
    the night that ends it, refused all the same (calendars and mail clients read it
    as the day's start), with 00:00 of the next day, that night, to write instead.

    "midnight" alone is the next one on the clock and the reply's full date says which;
    a "midnight" whose day cannot be read is left to the refusal that names what failed.
    """
    end_of_day = _END_OF_DAY.search(rest) is not None
    if not end_of_day and (not _MIDNIGHT.search(rest) or _BARE_TIME.fullmatch(_clean(rest))):
        return
    dated = _END_OF_DAY.sub("00:00", _MIDNIGHT.sub("00:00", rest))
    read = _read_start(dated, now, zone)
    this_year = now.astimezone(zone).year
    if read.date_obj is not None:
        _refuse_other_century(read.date_obj.year, this_year, rest, f"{command} {EXAMPLE_TIME}")

    def typed(day: dt.date) -> str:
        """`4 Dec`, with the year when it is not this one (so the example reads back)."""
        return f"{day.day} {day:%b}" + (f" {day.year}" if day.year != this_year else "")

    in_zone = f" {_zone_label(zone)}" if named else ""
    if end_of_day:
        if read.date_obj is None or _BARE_TIME.fullmatch(_clean(dated)):
            # No day written (or none readable): the next midnight is 00:00 on the clock.
            example = f"{command} 00:00{in_zone}  (the coming midnight)"
        else:
            day = read.date_obj.date()
            after = day + dt.timedelta(days=1)
            example = (
                f"{command} {typed(after)} 00:00{in_zone}  (the night of {_night(day, after)})"
            )
        raise TimeParseError(
            "24:00 is the midnight that ends a day: write it as 00:00 with the next day's "
            "date, so that nobody reads it as the day's start.",
            example,
        )
    if read.date_obj is None:
        return
    day = read.date_obj.date()
    before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    raise TimeParseError(
        f'"{rest}" could be 00:00 at the start of {day_text(day)} (the night of '
        f"{_night(before, day)}) or the midnight that ends it (the night of "
        f"{_night(day, after)}): which one? Write 00:00 with the date of the day that begins.",
        f"{command} {typed(after)} 00:00{in_zone}  (the night of {_night(day, after)}; "
        f"{typed(day)} 00:00 for the night of {_night(before, day)})",
    )


def _night(evening: dt.date, morning: dt.date) -> str:
    """`3 to 4 December`, `30 November to 1 December`."""
    if evening.month == morning.month:
        return f"{evening.day} to {morning.day} {morning:%B}"
    return f"{evening.day} {evening:%B} to {morning.day} {morning:%B}"


def _ahead(body: str) -> dt.timedelta | None:
    """How far ahead "in <a span>" is ("in 2h30", "in an hour"), None for anything else
    ("in January", "in 2 weeks": windows; "in 1:30", a clock's time)."""
    match = _FROM_NOW.fullmatch(body.strip())
    if match is None:
        return None
    if match.group("hour"):
        return dt.timedelta(hours=1)
    span = _DURATION.match(match.group("span"))
    return None if span is None or span.group("ch") else _length(span)


# "+1h", "-30m", "1 hour later", "an hour earlier", "later by 1h30", "+1 day", "a week
# later": a meeting moved by that much from its own time. Read as a time, "+1h" was 01:00
# the next night, and read as from today, "+1 day" of a meeting on 3 December was tomorrow.
_SHIFT = re.compile(
    r"(?P<sign>[+-])\s*(?P<signed>\d.*)"
    r"|(?P<span>(?:\d|an?\s|one\s|half\s).*?)\s+(?P<dir>later|earlier)"
    r"|(?P<dir_by>later|earlier)\s+by\s+(?P<span_by>.+)",
    re.IGNORECASE,
)
# A span of days or weeks ("1 day", "2d", "a week"), or an hour in words ("an hour").
_DAYS_SPAN = re.compile(
    r"(?P<count>\d+|an?|one)\s*(?P<unit>d|days?|w|wks?|weeks?|h|hrs?|hours?)", re.IGNORECASE
)


_SIGNED = re.compile(r"[+-]\s*\d")
_SAME_TIME = re.compile(
    r"[\s,]*\b(?:at\s+)?(?:the\s+)?same\s+time\b(?:\s+on\b)?[\s,]*", re.IGNORECASE
)


def _shift(body: str) -> dt.timedelta | None:
    """How far "+1h", "an hour earlier" or "+1 day" moves a meeting (earlier: negative);
    None for any other text, or a span that is no length."""
    match = _SHIFT.fullmatch(body.strip())
    if match is None:
        return None
    span = _span(match.group("signed") or match.group("span") or match.group("span_by"))
    if span is None:
        return None
    earlier = match.group("sign") == "-" or "earlier" in (
        (match.group("dir") or match.group("dir_by") or "").lower()
    )
    return -span if earlier else span


def _span(text: str) -> dt.timedelta | None:
    """`1h30`, `90 minutes`, `an hour`, `half an hour`, `2 days`, `a week`; None for any
    other text, a clock's time (`1:30`) among them."""
    text = text.strip()
    if re.fullmatch(r"half\s+an\s+hour", text, flags=re.IGNORECASE):
        return dt.timedelta(minutes=30)
    if (days := _DAYS_SPAN.fullmatch(text)) is not None:
        count = days.group("count")
        number = int(count) if count.isdigit() else 1
        unit = days.group("unit")[0].lower()
        name = {"d": "days", "w": "weeks", "h": "hours"}[unit]
        return dt.timedelta(**{name: number})
    found = _DURATION.match(text)
    if found is None or found.group("ch"):
        return None
    return _length(found)


def _shifted(
    shift: dt.timedelta,
    body: str,
    now: dt.datetime,
    zone: ZoneInfo,
    duration: dt.timedelta | None,
    command: str,
    moving: dt.datetime | None,
    how: str = "",
) -> Instant:
    """The meeting `moving` starts at, moved by `shift`; a new meeting has no time to
    move from, and a move into the past is refused as any past time is. Whole days keep
    the hour on the clock of `zone` (named in the reply as `how`, else the reader's)."""
    if moving is None:
        raise TimeParseError(
            f'"{body}" moves a meeting from its time; a new meeting needs a time of its own.',
            f"{command} in 1 hour",
        )
    start = moving + shift
    if shift and not shift % dt.timedelta(days=1):  # "+1 day": the same hour on the clock
        wall = moving.astimezone(zone).replace(tzinfo=None) + shift
        start = _localise(wall, zone, body, command)
    if start <= now:
        raise TimeParseError(
            f'"{body}" is {when_text(start, zone)}, which is in the past '
            f"(it is now {when_text(now, zone)}).",
            f"{command} {EXAMPLE_TIME}",
        )
    since = when_text(moving, zone)
    how = how or f"your zone, {zone.key}"
    reading = f'{when_text(start, zone)} {how} ("{body}" from its time, {since})'
    return Instant(start=start.astimezone(dt.UTC), zone=zone, reading=reading, duration=duration)


def _own_zone(own: ZoneInfo, reader: ZoneInfo) -> str:
    """How a reading names the zone a moved meeting keeps its hour in: "" for the
    reader's own (the reading's default), else the meeting's."""
    return "" if own.key == reader.key else f"the meeting's zone, {own.key}"


def _its_weekday_in(window: Window, weekday: int, zone: ZoneInfo) -> dt.date:
    """The first day of `window` (on `zone`'s calendar, session days too) that is a
    `weekday`: a meeting's day that week, or that month."""
    first = window.start.astimezone(zone).date()
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def _on_day(
    day: dt.date,
    body: str,
    now: dt.datetime,
    zones: tuple[ZoneInfo, ZoneInfo],
    duration: dt.timedelta | None,
    command: str,
    moving: dt.datetime,
    named: str = "",
) -> Instant:
    """The meeting `moving` starts at, moved to `day` (the reader's, of `zones`) at its
    own hour in the zone it was set in (the other): as many whole days as lie between
    its day and `day` on the reader's calendar, so a Geneva 14:00 stays 14:00 Geneva
    across Europe's clock change, whatever the reader's zone does then. `named`: the
    zone as typed ("Geneva time"), when the reader named one."""
    reader, own = zones
    days = dt.timedelta(days=(day - moving.astimezone(reader).date()).days)
    moved = _shifted(days, body, now, own, duration, command, moving)
    how = named or _own_zone(own, reader) or f"your zone, {reader.key}"
    reading = f'{when_text(moved.start, own)} {how} ("{body}": {day_text(day)}, at its own time)'
    return replace(moved, reading=reading)


def _from_now(
    ahead: dt.timedelta,
    body: str,
    now: dt.datetime,
    shown: tuple[ZoneInfo | dt.timezone, str],
    duration: dt.timedelta | None,
    command: str,
) -> Instant:
    """That long from now, on a whole minute (an invitation for 10:37:12 reads oddly).

    `shown`: the zone the reply gives the time in and how it names it: the reader's, or
    the one the text named ("in 1 hour CET"), which changes how it reads, not when."""
    if not ahead:
        raise TimeParseError(f'"{body}" is now: say when.', f"{command} in 1 hour")
    zone, how = shown
    start = now + ahead
    if start.second or start.microsecond:
        start = start.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    reading = f'{when_text(start, zone)} {how} ("{body}" taken from now)'
    zone_out = zone if isinstance(zone, ZoneInfo) else UTC
    return Instant(
        start=start.astimezone(dt.UTC), zone=zone_out, reading=reading, duration=duration
    )


def _relative_day(day: dt.date, today: dt.date) -> str:
    """`today, Tuesday 1 December 2026` or `Tuesday 8 December 2026, a week from today`:
    a weekday said on that weekday is today or a week ahead, and the reply says which."""
    near = {0: "today, ", 1: "tomorrow, "}.get((day - today).days, "")
    week = ", a week from today" if (day - today).days == 7 else ""
    return f"{near}{day_text(day)}{week}"


def _future_window(
    window: Window,
    now: dt.datetime,
    duration: dt.timedelta | None,
    text: str,
    *,
    example: str = "next week, in January, or between RAG and TDAG",
) -> Window:
    """Cut away the past; refuse a window that is over."""
    spans = tuple((max(a, now), b) for a, b in window.spans if b > now)
    if not spans:
        raise TimeParseError(f'"{text}" ({window.label}) is already over.', example)
    return Window(
        spans=spans,
        label=window.label,
        zone=window.zone,
        sessions=window.sessions,
        duration=duration,
    )


def read_day(text: str, *, now: dt.datetime, zone: ZoneInfo | dt.timezone) -> dt.date | None:
    """A calendar day (`2027-01-19`, `19 January`, `19/01/2027`, also in the other UN
    languages: `19 janvier 2027`, `19 de enero de 2027`), or None if unreadable.

    A day without a year is in the year `_year_meant` gives: a session "30 Nov to 2 Dec"
    recorded on 1 December runs now, not from 30 November next year.
    """
    english, _language = _in_english(text, now.astimezone(zone).date(), mend=False)
    read = _parse(_clean(english), now, zone)
    if read.date_obj is None:
        return None
    if _yearless(read):
        return _year_meant(read.date_obj, now.astimezone(zone).replace(tzinfo=None)).date()
    return read.date_obj.date()


def read_days(
    text: str, *, now: dt.datetime, zone: ZoneInfo, command: str
) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a range of days (`25 to 27 May 2027`, `25-27 May`,
    `du 25 au 27 mai 2027`, `del 25 al 27 de mayo`), or None when the text is none; one
    that ends before it starts is refused, `command` leading the example."""
    return _day_range(text, now, zone, command)


# --- due dates ---------------------------------------------------------------


def due_date(
    text: str,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    sessions: Sequence[Session],
    past_ok: bool = False,
) -> DueDate:
    """`by Friday`, `by 15 January`, `before TDAG`, `due 2027-01-15` -> the due day.

    A weekday said on that weekday is today (the day is not over: the next time it
    comes, as `Friday 14:00` said on a Friday morning is); `by EOD`, `by COB` and
    `by end of day` are today; `mid-December` is the 15th. Each of those says so in
    `taken_as`, for the reply.

    `past_ok`: a day in the past is the answer, not an error (an action may be late
    already when it is minuted; its author is warned instead)."""
    phrase = re.sub(r"\s+", " ", text).strip()
    body = re.sub(r"^(?:by|due(?: on| by)?|until|on)\s+", "", phrase, flags=re.IGNORECASE)
    body = _DUE_BEFORE.sub("before ", _DUE_WITHIN.sub(_within, _DUE_BY.sub("", body)))
    body = _DUE_BEFORE_AFTER.sub(r"before \1", body)
    today = now.astimezone(zone).date()
    # "before TDAG" is a session's first day; "before Friday", "before 15 December",
    # the day itself, as "by" reads it.
    if match := re.fullmatch(r"before\s+(.+)", body, flags=re.IGNORECASE):
        word = match.group(1)
        if " " not in word and (canonical_group(word) is not None or word.isupper()):
            group = _group_or_refuse(word, "by Friday, or before TDAG")
            session = next_session(group, sessions, today)
            return DueDate(session.first_day, f"first day of {session.label()}")
        body = word
    if _DEADLINE_ALONE.fullmatch(body):
        return DueDate(
            today, day_text(today), f'"{phrase}" is the end of today, {date_text(today)}'
        )
    body = _foreign_end(_DEADLINE_WORDS.sub("", body), today)
    if not body:
        raise TimeParseError("Say by when.", DUE_EXAMPLE)
    name = body != phrase and _capitalised_words(body)  # "reviewed by Sam", not samedi
    if not name:
        body = _settle_day_word(body, "by", now, zone)
    english, language = _in_english(body, today, mend=False)
    if language and name:
        english, language = body, ""
    due = _due_of(phrase, english, now, zone, today, past_ok=past_ok)
    if not language:
        return due
    heard = f'"{body}" read in {language} as "{english}"'
    return replace(due, taken_as="; ".join(filter(None, (heard, due.taken_as))))


def _capitalised_words(body: str) -> bool:
    """A due phrase after an English "by" that only another language reads, with no
    number and a capital letter: a person ("reviewed by Sam", "checked by Mai"), not
    the French "sam." or "mai", which French, Spanish and Russian write in small letters.

    Read so, the action was due on Saturday and the name it was reviewed by dropped."""
    return not any(char.isdigit() for char in body) and any(
        word[:1].isupper() for word in body.split()
    )


def _due_of(
    phrase: str, body: str, now: dt.datetime, zone: ZoneInfo, today: dt.date, *, past_ok: bool
) -> DueDate:
    """The due day of a phrase's date (`body`, in English words): see `due_date`."""
    end = _end_of(body, today)
    if end is not None:
        return DueDate(end, day_text(end))
    if _WEEKDAY.fullmatch(body) and _weekday(body) == today.weekday():
        taken = (
            f'"{phrase}" said on a {today:%A} is today, {date_text(today)}; for a week from '
            f'today write "by next {today:%A}"'
        )
        return DueDate(today, day_text(today), taken)
    if (middle := _mid_month(body, today)) is not None:
        day, taken = middle, f'"{phrase}" is read as the 15th, {date_text(middle)}'
    elif (written := _month_first(body)) is not None:
        day = _read_due_day(written, now, zone, today)
        taken = f'"{body}" read month first, as {day_text(day)} (there is no month {day.day})'
    else:
        day, taken = _read_due_day(body, now, zone, today), ""
        if _short_month_day(body, today) == day.day and day.month != today.month:
            taken = f'"{phrase}" is read as {date_text(day)}{_lacking(day.day, today)}'
    if day < today and not past_ok:
        raise TimeParseError(
            f'"{phrase}" is {day_text(day)}, which is in the past (today is {day_text(today)}).',
            DUE_EXAMPLE,
        )
    return DueDate(day, day_text(day), taken)


def _read_due_day(body: str, now: dt.datetime, zone: ZoneInfo, today: dt.date) -> dt.date:
    """The day a due phrase names, through dateparser; refused with the reason if none."""
    read = _parse(_clean(_day_dot(body, dated=True)), now, zone)
    if read.date_obj is None:
        impossible = _impossible_day(body, today)
        if impossible is not None:
            raise impossible.error("")
        raise TimeParseError(
            f'I cannot read "{body}" as a due date.',
            f"{DUE_EXAMPLE}, by Friday, before TDAG or due {today + EXAMPLE_AHEAD}",
        )
    return _due_day(read, body, now.astimezone(zone).replace(tzinfo=None))


def _month_first(body: str) -> str | None:
    """`12/15`, `11-30`: a day and month that cannot be day first (there is no month 15),
    written month first as New York writes them, as `15 December`; None for any other.

    dateparser read the second number as a year: an action "by 12/15" was due on
    12 November 2115, and "by 11/30" on 11 November 2030."""
    match = _MONTH_FIRST.fullmatch(body.strip().rstrip("."))
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 < day <= 31):
        return None
    return f"{day} {calendar.month_name[month]}"


def _year_written(year: str | None, today: dt.date, body: str) -> int | None:
    """The year a due date wrote (`mid-December 2027`), refused a century away; None if none."""
    if year is None:
        return None
    _refuse_other_century(int(year), today.year, body, DUE_EXAMPLE)
    return int(year)


def _mid_month(body: str, today: dt.date) -> dt.date | None:
    """`mid-December`, `mid January 2027`, `mid-month`, `mid next month`: the 15th of it
    (a month without a year in the year it next comes, as `end of January` is)."""
    match = _MID.fullmatch(body.strip())
    if match is None:
        return None
    word, year = match.group(1).lower(), match.group(2)
    if word in ("month", "this month"):
        return today.replace(day=15)
    if word == "next month":
        chosen, month = today.year + (today.month == 12), today.month % 12 + 1
        return dt.date(chosen, month, 15)
    month = _MONTHS.get(word)
    if month is None:
        return None
    return dt.date(
        _year_written(year, today, body) or today.year + (month < today.month), month, 15
    )


def _due_day(read: DateData, body: str, clock: dt.datetime) -> dt.date:
    """The day read; a day and month without a year in the year `_year_meant` gives.

    Reading dates from the future, dateparser moves a day without a year that is
    not after its base (any hour of today) to next year: an action "by 1 December"
    said on 1 December is due today, and one "by 30 November" is late, not due in a year.
    It also pays no heed to a weekday written with the date: "Friday 15 May 2026" is
    the date meant when it was said in December, not Saturday 15 May next year.
    """
    if _monthless(read):
        return _month_meant(read.date_obj, clock).date()
    if not _yearless(read):
        return read.date_obj.date()
    day = _year_meant(read.date_obj, clock).date()
    named = _WEEKDAY.search(body)
    if named is None or day.weekday() == _weekday(named.group(1)):
        return day
    # The weekday written with the date tells the year: the nearest in which they agree.
    for year in (clock.year, clock.year + 1, clock.year - 1):
        candidate = _same_day(day, year)
        if candidate is not None and candidate.weekday() == _weekday(named.group(1)):
            return candidate
    return day


# How a deadline is led in words dateparser lacks: "no later than 15 January", "d'ici le
# 15 janvier", "a más tardar el 15 de enero" are "by" it; "avant le 15 janvier", "antes
# del 15 de enero", "до 15 января" are "before" it (a session's first day for "avant
# TDAG"); "within two weeks" is "in two weeks". Each got "I cannot read".
_DUE_BY = re.compile(
    r"^(?:no[t]?\s+later\s+than|d['’]ici(?:\s+(?:le|au))?|au\s+plus\s+tard(?:\s+le)?"
    r"|a\s+m[aá]s\s+tardar(?:\s+el)?|para\s+el|не\s+позднее)\s+",
    re.IGNORECASE,
)
_DUE_BEFORE = re.compile(r"^(?:avant(?:\s+le)?|antes\s+del?(?:\s+la)?|до)\s+", re.IGNORECASE)
# Chinese puts "before" after the day: "周五前", "12月15日之前", "TDAG以前".
_DUE_BEFORE_AFTER = re.compile(r"^(.+?)\s*(?:之前|以前|前)$")
# "Within" a span, also as `bot.actions` reads it in an action's line; Spanish days and
# months are masculine: "en los próximos 10 días".
WITHIN = r"within|dans\s+les|en\s+(?:las?|los)\s+pr[oó]xim[oa]s"
_DUE_WITHIN = re.compile(rf"^(?:{WITHIN})\s+", re.IGNORECASE)


def _within(lead: re.Match[str]) -> str:
    """ "in" in the language of the words after it: "dans les 2 semaines" is "dans 2
    semaines", "en las próximas 2 semanas" "en 2 semanas"; made the English "in", they
    read "in 2 semaines", which no language reads, and got "I cannot read"."""
    return {"w": "in ", "d": "dans ", "e": "en "}[lead.group()[0].lower()]


_DEADLINE = r"(?:COB|EOD|EOB|close\s+of\s+business|end\s+of\s+(?:the\s+)?day)"
# "COB Friday", "end of day on 15 Jan", "close of business Monday", or after the day,
# "Friday COB", "15 Jan, end of day": the day is what counts.
_DEADLINE_WORDS = re.compile(rf"^{_DEADLINE}\s+(?:on\s+)?|\s*,?\s+{_DEADLINE}$", re.IGNORECASE)
# "by EOD", "by COB", "by end of day" alone: the end of today.
_DEADLINE_ALONE = re.compile(rf"(?:today\s+)?{_DEADLINE}", re.IGNORECASE)
_MID = re.compile(
    r"mid(?:-|\s+|dle\s+of\s+)(?:the\s+)?(month|this\s+month|next\s+month|[a-z]+)(?:\s+(\d{4}))?",
    re.IGNORECASE,
)
_END_OF = re.compile(
    r"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?([a-z]+)(?:\s+(\d{4}))?",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)
_MONTH_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})")
_FRIDAY = 4


def _weekday(name: str) -> int:
    return _WEEKDAYS[name.lower()]


def _same_day(day: dt.date, year: int) -> dt.date | None:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return None


# "fin décembre", "fin de semaine", "finales de diciembre", "a fin de mes", "fin del mes":
# the end of it, in French or Spanish.
_FOREIGN_END = re.compile(
    r"(?:(?:à\s+la|a)\s+)?(?:fin(?:ales)?|fines)\s+"
    r"(?:de\s+(?:la\s+|l['’]\s*)?|d['’]\s*|du\s+|del\s+)?"
    r"(?P<word>[^\W\d_]+)(?:\s+(?:de\s+)?(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_FOREIGN_SPANS = {"semaine": "week", "semana": "week", "mois": "month", "mes": "month"}
_FOREIGN_SPANS |= {"année": "year", "annee": "year", "año": "year"}


def _foreign_end(body: str, today: dt.date) -> str:
    """`fin décembre` -> `end of december`, `fin de semaine` -> `end of week`, so that
    `_end_of` reads it as it reads English; any other text as it is (each got "I cannot
    read": dateparser knows no "end of")."""
    match = _FOREIGN_END.fullmatch(body.strip())
    if match is None:
        return body
    word = match["word"].lower()
    english = _FOREIGN_SPANS.get(word) or _in_english(word, today, mend=False)[0].lower()
    if english not in (*_FOREIGN_SPANS.values(), *_FULL_MONTHS):
        return body
    return f"end of {english}" + (f" {match['year']}" if match["year"] else "")


def _end_of(body: str, today: dt.date) -> dt.date | None:
    """`end of month`, `end of next week`, `the end of the year`, `end of January [2027]`:
    the last day meant (a week ends on its Friday, the working week's last day)."""
    match = _END_OF.fullmatch(body.strip())
    if match is None:
        return None
    step, word, year = bool(match.group(1)), match.group(2).lower(), match.group(3)
    if word == "week" and not year:
        friday = today + dt.timedelta(days=_FRIDAY - today.weekday() + 7 * step)
        return friday if friday >= today else friday + dt.timedelta(days=7)
    if word == "month" and not year:
        chosen, month = today.year + (today.month + step > 12), (today.month + step - 1) % 12 + 1
        return dt.date(chosen, month, calendar.monthrange(chosen, month)[1])
    if word == "year" and not year:
        return dt.date(today.year + step, 12, 31)
    month = _MONTHS.get(word)
    if month is None or step:
        return None
    chosen = _year_written(year, today, body) or today.year + (month < today.month)
    return dt.date(chosen, month, calendar.monthrange(chosen, month)[1])


async def parse_due(
    text: str, *, now: dt.datetime, zone: ZoneInfo, conn: aiosqlite.Connection
) -> DueDate:
    """`due_date` with the sessions read from the database (for `before TDAG`)."""
    return due_date(text, now=now, zone=zone, sessions=await session_store.every(conn))


_DUE_TAIL = re.compile(r"\s+((?:by|due|before)\s+[^,;]+?)\s*[.!]?$", re.IGNORECASE)


def split_due(
    text: str, *, now: dt.datetime, zone: ZoneInfo, sessions: Sequence[Session]
) -> tuple[str, DueDate | None]:
    """A sentence and its trailing due phrase: `review the map by Friday` -> (text, Friday).

    A tail that reads as no date ("by the TSB") is left in the text; one that
    names a date in the past or an unknown group is refused.
    """
    match = _DUE_TAIL.search(text)
    if not match:
        return text.strip(), None
    tail = match.group(1)
    words = tail.split()
    looks_like_group = words[0].lower() == "before" and len(words) == 2 and words[1].isupper()
    try:
        due = due_date(tail, now=now, zone=zone, sessions=sessions)
    except TimeParseError:
        if looks_like_group or _read_date(_strip_due_word(tail), now, zone) is not None:
            raise
        return text.strip(), None
    return text[: match.start()].strip(), due


def _strip_due_word(tail: str) -> str:
    return re.sub(r"^(?:by|due|before)\s+", "", tail, flags=re.IGNORECASE)
