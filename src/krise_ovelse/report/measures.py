"""Draft measures for the action plan: per criterion, the POETE element it strengthens and a
concrete measure to start the discussion from.

The element belongs to the criterion, not its theme: DA-2 (informal meeting places) is about
organisation, AM-4 (equipment at home) about equipment. The measure texts are drafts the
facilitator rewrites with the client; they say what to do, not what good looks like (that is
the criterion's target, shown with the finding).
"""

from __future__ import annotations

from enum import Enum

from krise_ovelse.model.text import Text


class Element(str, Enum):
    """The capability element a measure strengthens (HSEEP POETE)."""

    PLAN = "plan"
    ORGANISATION = "organisation"
    EQUIPMENT = "equipment"
    TRAINING = "training"
    EXERCISE = "exercise"


_P, _O, _E, _T, _X = Element.PLAN, Element.ORGANISATION, Element.EQUIPMENT, Element.TRAINING, Element.EXERCISE

#: Criterion id → (element, draft measure).
MEASURES: dict[str, tuple[Element, Text]] = {
    "KH-1": (_P, Text({
        "nb": "Revidere beredskapsplanen med erfaringene fra øvelsen: ta inn en krise som varer i måneder, "
              "når og hvordan kriseorganisasjonen etableres, og hvem som har hvilket mandat.",
        "en": "Revise the preparedness plan with the exercise's lessons: a crisis that lasts for months, "
              "when and how the crisis organisation is set up, and who holds which mandate."})),
    "KH-2": (_P, Text({
        "nb": "Fastsette en informasjonsrytme for kriser – faste tidspunkter, én autoritativ kanal og en "
              "spørrekanal – og skrive den inn i kriseplanen med en ansvarlig for hver kanal.",
        "en": "Set an information rhythm for crises – fixed times, one authoritative channel and a channel "
              "for questions – and write it into the crisis plan with an owner for each channel."})),
    "KH-3": (_O, Text({
        "nb": "Avklare beslutningsfullmakter i krise: hvem kan beslutte hva på ufullstendig grunnlag, og "
              "hvordan antakelser og tidspunkt for ny vurdering føres i loggen.",
        "en": "Clarify decision mandates in a crisis: who may decide what on incomplete information, and "
              "how assumptions and the time for a new assessment are logged."})),
    "KH-4": (_O, Text({
        "nb": "Inngå en avtale med de tillitsvalgte om hurtigdrøfting i krise (innkalling på kort varsel, "
              "digitalt møte, referat etter hovedavtalen § 21) og prøve den ut før neste øvelse.",
        "en": "Agree with the union representatives on rapid consultation in a crisis (short notice, "
              "a digital meeting, minutes as the basic agreement § 21 requires) and try it out before the "
              "next exercise."})),
    "KH-5": (_O, Text({
        "nb": "Utpeke og lære opp stedfortredere for alle nøkkelroller i kriseorganisasjonen, og innføre "
              "turnus med avlastning når krisen varer mer enn to uker.",
        "en": "Appoint and train deputies for every key role in the crisis organisation, and introduce "
              "rotation with relief when a crisis lasts more than two weeks."})),
    "KH-6": (_P, Text({
        "nb": "Evaluere krisehåndteringen sammen med ansatte, tillitsvalgte og verneombud, bestemme hva som "
              "skal videreføres og hva som skal avvikles, og gi oppdateringen av planverket en eier og en frist.",
        "en": "Evaluate the crisis management with staff and the union and safety representatives, decide what "
              "to keep and what to end, and give the update of the plans an owner and a deadline."})),
    "OE-1": (_P, Text({
        "nb": "Lage en prioriteringsliste over primæroppgaver og oppgaver som kan settes på vent, og "
              "avklare den med departementet før neste krise.",
        "en": "Draw up a priority list of primary tasks and tasks that can be put on hold, and agree it "
              "with the ministry before the next crisis."})),
    "OE-2": (_T, Text({
        "nb": "Gi lederne et opplegg for å knytte innsatsen til samfunnsoppdraget over tid: faste "
              "tidspunkter for status, anerkjennelse og ærlig tale om hvor lenge det varer.",
        "en": "Give leaders a way to tie the effort to the agency's public mission over time: fixed times "
              "for status, recognition and honest talk about how long it will last."})),
    "OE-3": (_O, Text({
        "nb": "Etablere en rutine for å kartlegge belastningen og omdisponere ansatte midlertidig, drøftet "
              "med de tillitsvalgte på forhånd.",
        "en": "Set up a routine for mapping the workload and reassigning staff temporarily, discussed with "
              "the union representatives in advance."})),
    "OE-4": (_T, Text({
        "nb": "Lage et opplegg for rask opplæring av omdisponerte ansatte (fadder, korte kurs, skrevne "
              "arbeidsrutiner) og en fast arena for erfaringsdeling på tvers.",
        "en": "Create a quick induction for reassigned staff (a buddy, short courses, written routines) and "
              "a regular forum for sharing experience across units."})),
    "OE-5": (_X, Text({
        "nb": "Øve på improvisasjon: legge uforutsette innspill inn i neste øvelse, og ta i bruk en enkel "
              "mal for å prøve ut løsninger med eier, frist og evaluering.",
        "en": "Practise improvisation: put unforeseen injects into the next exercise, and adopt a simple "
              "template for trying out solutions with an owner, a deadline and an evaluation."})),
    "DA-1": (_E, Text({
        "nb": "Kartlegge digital kapasitet og kompetanse (lisenser, VPN, verktøy) og lage en plan for rask "
              "oppskalering og opplæring når mange må jobbe hjemmefra.",
        "en": "Map digital capacity and skills (licences, VPN, tools) and plan how to scale up and train "
              "quickly when many must work from home."})),
    "DA-2": (_O, Text({
        "nb": "Legge til rette for uformelle møteplasser i en digital hverdag: faste sosiale treffpunkter, "
              "fadder for nyansatte og et tydelig ansvar hos nærmeste leder for tilhørigheten.",
        "en": "Make room for informal meeting places in a digital working day: regular social meeting "
              "points, a buddy for new staff and a clear duty for line managers to follow up belonging."})),
    "DA-3": (_T, Text({
        "nb": "Peke ut arbeid som krever kreativ samhandling, og gi det egnede verktøy, trente "
              "fasilitatorer og fysiske samlinger når det er mulig.",
        "en": "Identify the work that needs creative collaboration, and give it suitable tools, trained "
              "facilitators and physical gatherings when possible."})),
    "DA-4": (_P, Text({
        "nb": "Innføre faste digitale allmøter med toppledelsen der de ansatte kan stille spørsmål, og gi "
              "linjelederne budskapet på forhånd.",
        "en": "Hold regular digital all-staff meetings with top management where staff can ask questions, "
              "and brief line managers on the message beforehand."})),
    "DA-5": (_P, Text({
        "nb": "Vedta retningslinjer for digitale, fysiske og hybride møter og for reiser, som veier "
              "effektivitet, inkludering og klima.",
        "en": "Adopt guidelines for digital, physical and hybrid meetings and for travel that weigh "
              "efficiency, inclusion and the climate."})),
    "AM-1": (_O, Text({
        "nb": "Følge det psykososiale arbeidsmiljøet med korte, jevnlige målinger, og drøfte resultater og "
              "tiltak med tillitsvalgte og verneombud i faste møter.",
        "en": "Follow the psychosocial working environment with short, regular surveys, and discuss the "
              "results and measures with union and safety representatives in regular meetings."})),
    "AM-2": (_O, Text({
        "nb": "Kartlegge hvilke grupper som er mest utsatt for ensomhet, og sette inn frivillige, "
              "målrettede tiltak med en ansvarlig leder for hver gruppe.",
        "en": "Find the groups most at risk of loneliness, and put in voluntary, targeted measures with a "
              "responsible manager for each group."})),
    "AM-3": (_P, Text({
        "nb": "Innføre en rutine der lederne følger fravær, overtid og ubrukt ferie gjennom krisen og tar "
              "oppfølgingssamtaler før slitasje blir langtidsfravær.",
        "en": "Introduce a routine in which managers follow absence, overtime and unused leave through the "
              "crisis and hold follow-up talks before strain turns into long-term absence."})),
    "AM-4": (_E, Text({
        "nb": "Sørge for at alle som jobber hjemmefra, får nødvendig utstyr (pc, skjerm, stol) innen en "
              "fast frist, etter rettferdige kriterier og med råd om ergonomi.",
        "en": "Make sure everyone working from home gets the equipment they need (PC, screen, chair) by a "
              "set date, on fair criteria and with advice on ergonomics."})),
    "AM-5": (_T, Text({
        "nb": "Gi lederne støtte og opplæring i å lede på avstand i en krise: lederforum, veiledning og "
              "avlastning for mellomlederne.",
        "en": "Give managers support and training in leading at a distance in a crisis: a leaders' forum, "
              "coaching and relief for middle managers."})),
    "AM-6": (_P, Text({
        "nb": "Lage en plan for hybride arbeidsformer bygd på en analyse av oppgavene, prøve den ut som "
              "pilot og evaluere den sammen med tillitsvalgte og verneombud.",
        "en": "Make a plan for hybrid working based on an analysis of the tasks, run it as a pilot and "
              "evaluate it with the union and safety representatives."})),
}

_FALLBACK = Text({
    "nb": "Beskrive et konkret tiltak for «{name}» sammen med oppdragsgiver.",
    "en": "Describe a concrete measure for “{name}” with the client.",
})


def element_for(criterion: str) -> Element | None:
    """The POETE element of a criterion's draft measure (None for a criterion we do not know)."""
    entry = MEASURES.get(criterion)
    return entry[0] if entry else None


def draft_measure(criterion: str, name: str, lang: str) -> str:
    """A concrete draft measure for an area for improvement on `criterion`."""
    entry = MEASURES.get(criterion)
    if entry is not None:
        return entry[1].get(lang)
    return _FALLBACK.get(lang).format(name=name)
