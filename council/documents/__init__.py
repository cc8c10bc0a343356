"""Every file the app generates, in one place: Word (``word``), XLSX and CSV (``tables``,
``xlsx``) and iCalendar feeds (``ical``)."""
