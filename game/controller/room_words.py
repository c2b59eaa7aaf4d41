"""What a team's app says about the room's rounds, each sentence from the room's
records: a defaulted quarter, a session the facilitator ended early."""

from __future__ import annotations

from engine.rooms import Decision, RoomInfo
from engine.session import GameSession


def closed_rounds(info: RoomInfo) -> int:
    """How many quarters the room has played: every round before the current one."""
    return min(info.quarter - 1, info.quarters)


def defaulted_words(decision: Decision, session: GameSession | None) -> str:
    """What a team that did not submit is told at the close, from the room's record."""
    closed = f"Quarter {decision.quarter} closed before you submitted, so "
    if decision.source == "draft" and session is not None:
        names = [session.scenario.intervention(i).name for i in decision.interventions]
        return closed + f"your draft was played: {', '.join(names) or 'no interventions'}."
    return closed + "it was played with no interventions and each decision's default answer."


def early_end_words(info: RoomInfo) -> str:
    """What a team reads above its debrief when the facilitator ended the session early."""
    played = closed_rounds(info)
    quarters = f"{played} quarter{'' if played == 1 else 's'}"
    return (
        f"The facilitator ended the session after quarter {played} of {info.quarters}: this "
        f"debrief covers the {quarters} played. The class report comes from the "
        f"facilitator (goingdark session report {info.code})."
    )
