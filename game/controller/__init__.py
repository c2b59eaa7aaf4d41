"""The owner of a game in progress.

``interface`` says what screens may ask of a game (``GameController``); ``local``
is the controller that plays a game on this machine. Screens import only
``game.controller.interface``; the app builds the controller.
"""
