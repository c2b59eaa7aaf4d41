"""The class debrief tab's text: a ``ClassDebrief`` (``engine.rooms.class_debrief``) in
words for the console — results, what separated the top teams from the bottom ones,
the lessons as discussion prompts, and the decisions side by side per quarter.
Every sentence comes from the debrief, which computes it from the teams' games."""

from __future__ import annotations

from textual.content import Content

from engine.rooms.class_debrief import ClassDebrief

SOURCE_MARKS = {"team": "", "draft": " (draft, defaulted)", "default": " (defaulted)"}


def class_debrief_content(debrief: ClassDebrief) -> Content:
    """The whole class debrief as styled text, section by section."""
    parts: list[str | tuple[str, str]] = []

    def heading(text: str) -> None:
        parts.append((f"{text}\n", "bold $primary"))

    heading(f"{debrief.scenario_title}: after quarter {debrief.quarter} of {debrief.quarters}")
    for note in debrief.notes:
        parts.append((f"{note}\n", "italic"))
    parts.append("\n")
    heading("Results")
    for result in debrief.results:
        stars = "★" * result.stars + "☆" * (3 - result.stars)
        parts.append(
            f"  {result.rank:>2}. {result.team:<24} {result.score:>5.0f}  {result.grade}  "
        )
        parts.append((f"{stars}\n", "$warning"))
    if debrief.separators:
        parts.append("\n")
        heading("What separated the top teams from the bottom ones")
        for separator in debrief.separators:
            parts.append(f"  • {separator.text}\n")
    if debrief.prompts:
        parts.append("\n")
        heading("Lessons to discuss")
        for prompt in debrief.prompts:
            parts.append((f"  {prompt.title}\n", "bold"))
            parts.append(f"  {prompt.text}\n")
            parts.append((f"  {prompt.sentence}\n\n", "italic"))
    if debrief.decisions:
        heading("Decisions, quarter by quarter")
        for quarter, teams in debrief.decisions.items():
            parts.append((f"  Quarter {quarter}\n", "bold"))
            for team, taken in teams.items():
                what = ", ".join(taken.interventions) or "no interventions"
                if taken.skipped:
                    what += f" (not adopted: {', '.join(taken.skipped)})"
                if taken.answers:
                    what += "; " + "; ".join(taken.answers)
                parts.append(f"    {team}: {what}{SOURCE_MARKS.get(taken.source, '')}\n")
    return Content.assemble(*parts).rstrip()
