"""Spanish as a U.S. court writes it: month names in Spanish, but dollar amounts
written 1,234.56 and dates typed month first (MM/DD/YYYY), as on the court's forms.

Django's own `es` formats (31/12/2009, 1 234,56) would make a date typed on a
Spanish page mean something else than on the English one.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i A"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on U.S. calendars

# The same input formats as English: ISO (what <input type="date"> sends) first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
