"""The facilitator's console of a group session (``goingdark facilitate``).

``console`` is the screen; ``tables`` turns the room's records into rows (roster,
leaderboard, adoption grid); ``team_charts`` draws one line per team; ``projector``
is the large-text view for the room's screen.
"""
