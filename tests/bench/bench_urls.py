"""The project's URLs plus one bare docket view: the P5 baseline (benchmarks only)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from dockets.models import DocketEntry
from ecf.urls import urlpatterns as project_urlpatterns

BARE = engines["django"].from_string(
    "<!doctype html><html lang='en'><head><title>Docket</title></head><body><main>"
    "<h1>Docket</h1><table>{% for e in rows %}<tr><td>{{ e.filed_date|date:'m/d/Y' }}</td>"
    "<td>{{ e.number }}</td><td>{{ e.text }}</td></tr>{% endfor %}</table></main></body></html>"
)


def bare_docket(request: HttpRequest, case_id: int) -> HttpResponse:
    """The same first 100 rows through the ORM and a template: no rules, no header."""
    rows = (
        DocketEntry.objects.filter(case_id=case_id)
        .order_by("seq")
        .values("filed_date", "number", "text")[:100]
    )
    return HttpResponse(BARE.render({"rows": rows}, request))


urlpatterns = [
    path("bench/bare/<int:case_id>/", bare_docket),
    *project_urlpatterns,
]
