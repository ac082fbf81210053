import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecf.settings.base")
# The web does not ping its kept database connection before each request (issue 21:
# a round trip on every request): a connection the database dropped fails that one
# request with the 503 "try again" answer and is replaced for the next
# (ecf/settings/components/databases.py; tests/core/test_dropped_connection.py).
# ECF_WEB_CONN_HEALTH_CHECKS=true brings the ping back for the web.
os.environ["DJANGO_CONN_HEALTH_CHECKS"] = os.environ.get(
    "ECF_WEB_CONN_HEALTH_CHECKS", "false"
)
application = get_wsgi_application()
