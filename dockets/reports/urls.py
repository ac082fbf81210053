"""URLs of dockets.reports (included by dockets/urls.py in the 'dockets' namespace,
at the site root, so the /cgi-bin/ aliases sit where CM/ECF has them)."""

from django.urls import path

from . import feeds, legacy, views

urlpatterns = [
    path("cases/<int:case_id>/docket/", views.docket, name="docket"),
    path("cases/<int:case_id>/docket.csv", views.docket_csv, name="docket-csv"),
    path("cases/<int:case_id>/docket.html", views.docket_html, name="docket-html"),
    path("cases/<int:case_id>/docket/pdf/", views.docket_pdf, name="docket-pdf"),
    path(
        "docket-sheets/<str:token>/", views.docket_pdf_status, name="docket-pdf-status"
    ),
    path(
        "docket-sheets/<str:token>/download/",
        views.docket_pdf_download,
        name="docket-pdf-download",
    ),
    path("cases/<int:case_id>/query/", views.query, name="query"),
    path(
        "cases/<int:case_id>/mailing-matrix/",
        views.mailing_matrix,
        name="mailing-matrix",
    ),
    path(
        "cases/<int:case_id>/associated/",
        views.associated_cases,
        name="associated-cases",
    ),
    path("cases/<int:case_id>/deadlines/", views.deadlines, name="deadlines"),
    path(
        "cases/<int:case_id>/docket/search/",
        views.case_search_text,
        name="case-search-text",
    ),
    path("cases/<int:case_id>/follow/", views.follow, name="follow"),
    path("cases/<int:case_id>/rss.xml", feeds.case_feed, name="rss-case"),
    path("search/", views.search, name="search"),
    path("rss.xml", feeds.court_feed, name="rss-court"),
    path("reports/", views.report_index, name="report-index"),
    path("reports/cases-filed/", views.report_cases_filed, name="report-cases-filed"),
    path(
        "reports/docket-activity/",
        views.report_docket_activity,
        name="report-docket-activity",
    ),
    path(
        "reports/claims-activity/",
        views.report_claims_activity,
        name="report-claims-activity",
    ),
    path("reports/calendar/", views.report_calendar, name="report-calendar"),
    # CM/ECF's own addresses, serving CM/ECF's markup (reports/legacy.py).
    path("cgi-bin/DktRpt.pl", legacy.dktrpt, name="legacy-dktrpt"),
    path("cgi-bin/rss_outside.pl", legacy.rss_outside, name="legacy-rss"),
    path("cgi-bin/iquery.pl", legacy.iquery, name="legacy-iquery"),
    path("cgi-bin/CredMatrixCase.pl", legacy.cred_matrix, name="legacy-matrix"),
    path(
        "cgi-bin/possible_case_numbers.pl",
        legacy.possible_case_numbers,
        name="legacy-case-numbers",
    ),
    path("cgi-bin/mobile_query.pl", legacy.mobile_query, name="legacy-mobile-query"),
    path("cgi-bin/show_doc.pl", legacy.show_doc, name="legacy-show-doc"),
    path("doc1/<str:cmecf_id>", legacy.doc1, name="legacy-doc1"),
]
