"""A game in progress (or a replayed one) as simulation results."""

from __future__ import annotations

import numpy as np

from engine.session import GameSession
from engine.simulate import Results


def session_results(session: GameSession) -> Results:
    """A single-run :class:`engine.simulate.Results` of a game so far (for the quarter
    table and anything else that reads simulation results)."""
    history = {name: np.stack(values) for name, values in session.state.history.items()}
    adopted = session.state.organisation.adopted_quarter >= 0
    return Results(session.scenario.meta.id, session.seed, history, adopted)
