"""The one place the environment is read from (django-environ)."""

import environ

env = environ.Env()
