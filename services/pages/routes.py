"""What every page shares that is a route of its own: signing in and out, choosing a language."""

from services.http import Routes
from services.pages.session import LanguageController, SignInController

ROUTES = Routes(top=(SignInController, LanguageController))
