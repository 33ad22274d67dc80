"""Provides reader's screens: the main three-pane screen, a dossier, the briefing, help, and the
welcome screen."""

from reader.screens.briefing_screen import BriefingScreen
from reader.screens.dossier_screen import DossierScreen
from reader.screens.help_screen import HelpScreen
from reader.screens.main_screen import MainScreen
from reader.screens.welcome_screen import WelcomeScreen

__all__ = ["BriefingScreen", "DossierScreen", "HelpScreen", "MainScreen", "WelcomeScreen"]
