"""The participant questionnaire (deltakerskjema) and the hotwash headings: one definition used
by the console that asks and the report that sums up, so the two never drift apart.

Answers are stored by question id, so the wording can improve without breaking stored sessions;
a new question gets a new id. Scale answers are "1" … "5"; text answers are free text.
"""

from __future__ import annotations

import attrs

from krise_ovelse.model.text import Text

SCALE = ("1", "2", "3", "4", "5")
MAX_ANSWER = 2000


@attrs.frozen
class Question:
    id: str
    text: Text
    scale: bool  # True: 1–5; False: free text
    low: Text = Text()
    high: Text = Text()
    about_exercise: bool = False  # feeds the evaluation of the exercise itself


QUESTIONS: tuple[Question, ...] = (
    Question("useful", Text({"nb": "Hvor nyttig var øvelsen for deg?", "en": "How useful was the exercise for you?"}),
             True, Text({"nb": "lite nyttig", "en": "not useful"}), Text({"nb": "svært nyttig", "en": "very useful"}),
             about_exercise=True),
    Question("realism", Text({"nb": "Hvor realistisk opplevde du scenarioet?",
                              "en": "How realistic did you find the scenario?"}),
             True, Text({"nb": "lite realistisk", "en": "not realistic"}),
             Text({"nb": "svært realistisk", "en": "very realistic"}), about_exercise=True),
    Question("role", Text({"nb": "Hvor godt forsto du din egen rolle og ditt ansvar i krisen?",
                           "en": "How well did you understand your own role and responsibility in the crisis?"}),
             True, Text({"nb": "dårlig", "en": "poorly"}), Text({"nb": "svært godt", "en": "very well"})),
    Question("learned", Text({"nb": "Hva er det viktigste du tar med deg fra øvelsen?",
                              "en": "What is the most important thing you take away from the exercise?"}), False),
    Question("improve", Text({"nb": "Hva bør vi gjøre annerledes i neste øvelse?",
                              "en": "What should we do differently in the next exercise?"}), False,
             about_exercise=True),
)

QUESTION_IDS = tuple(q.id for q in QUESTIONS)

#: Hotwash kinds and their headings (DSB/HSEEP practice: pluss/delta and what we take with us).
HOTWASH: dict[str, Text] = {
    "plus": Text({"nb": "Pluss – det som fungerte", "en": "Plus – what worked"}),
    "delta": Text({"nb": "Delta – det vi bør endre", "en": "Delta – what we should change"}),
    "takeaway": Text({"nb": "Hva tar vi med oss", "en": "What we take with us"}),
}


def question(question_id: str) -> Question | None:
    return next((q for q in QUESTIONS if q.id == question_id), None)


def clean_answers(answers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The answers worth storing, in question order: known ids, scale answers 1–5, text trimmed
    and bounded; unanswered questions left out (the questionnaire is voluntary)."""
    result = []
    for q in QUESTIONS:
        value = " ".join(str(answers.get(q.id, "")).split())[:MAX_ANSWER]
        if not value or (q.scale and value not in SCALE):
            continue
        result.append((q.id, value))
    return tuple(result)
