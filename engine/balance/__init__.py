"""``goingdark balance``: many plans of a scenario played with common random numbers.

``plans`` builds the plans, ``search`` the random ones, ``measure`` plays one plan over
many runs, ``report`` measures them all, ``findings`` turns the figures into warnings,
``text`` and ``html`` print the report.
"""
