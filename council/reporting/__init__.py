"""Figures and charts for managers (``figures``, ``charts``) and the review of
implementation that a session works through (``review``)."""
