"""Provides reader's screens: the main three-pane screen, help, and the welcome screen."""

from reader.screens.help_screen import HelpScreen
from reader.screens.main_screen import MainScreen
from reader.screens.welcome_screen import WelcomeScreen

__all__ = ["HelpScreen", "MainScreen", "WelcomeScreen"]
