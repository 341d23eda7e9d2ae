"""A scenario's injects → an MSEL sheet (.xlsx with openpyxl, or .csv), in a profile's columns.

One row per inject in scenario order, the columns of the profile (Norwegian dreiebok or HSEEP),
times as D+n HH:MM or the trigger words `msel import` reads back, so export → import → export
gives the same sheet. Text never becomes a formula: .xlsx cells are written as strings, and a
CSV cell that starts with = + - @ gets a leading ' (which import removes again).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping

from krise_ovelse.model.scenario import Inject, Scenario
from krise_ovelse.msel.profiles import CHANNEL_LABELS, FIELDS, Profile
from krise_ovelse.msel.times import format_release
from krise_ovelse.safetext import neutralise

_FORMULA_START = ("=", "+", "-", "@")


def rows(scenario: Scenario, profile: Profile, lang: str) -> Iterator[list[str]]:
    """The header and one row per inject, as text."""
    yield [profile.header(field) for field in FIELDS]
    labels = CHANNEL_LABELS["en" if profile.language == "en" else "nb"]
    for inject in scenario.injects:
        yield [neutralise(value) for value in _values(inject, labels, profile.language, lang)]


def _values(inject: Inject, labels: Mapping[str, str], words: str, lang: str) -> list[str]:
    trigger = inject.trigger.value if inject.trigger is not None and inject.trigger.value in (
        "manual", "follow_up") else None
    after = str(inject.after) if inject.after is not None else None
    when = inject.when.source if inject.when is not None else None
    return [
        inject.id,
        format_release(inject.at.minutes if inject.at is not None else None, trigger, after, when, words),
        inject.sender,
        ", ".join(inject.to),
        labels.get(inject.channel.value, inject.channel.value),
        inject.title.get(lang),
        inject.body.get(lang),
        "\n".join(text.get(lang) for text in inject.expected_actions),
        ", ".join(inject.criteria),
        inject.facilitator_notes.get(lang),
    ]


def to_csv(scenario: Scenario, profile: Profile, lang: str) -> bytes:
    """UTF-8 with a BOM (so Excel reads æøå), `;` between cells for the Norwegian layout (as a
    Norwegian Excel expects), `,` for HSEEP."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if profile.language == "nb" else ",", lineterminator="\r\n")
    for row in rows(scenario, profile, lang):
        writer.writerow(["'" + cell if cell.startswith(_FORMULA_START) else cell for cell in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(scenario: Scenario, profile: Profile, lang: str) -> bytes:
    """A workbook with one sheet (named after the profile): bold header, frozen, wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Dreiebok" if profile.language == "nb" else "MSEL"
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [8, 14, 18, 18, 14, 36, 60, 40, 14, 40]
    for r_index, row in enumerate(rows(scenario, profile, lang), start=1):
        for c_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=r_index, column=c_index)
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = wrap
            if r_index == 1:
                cell.font = Font(bold=True)
    for c_index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_letter(c_index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    from krise_ovelse.msel.sheet import column_letter

    return column_letter(index)
