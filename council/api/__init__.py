"""The JSON API (``/api/v1/``): what the staff app shows, for other systems, with the
same policy and the same services. Built on Django REST framework, whose schema
generator (drf-spectacular) writes the OpenAPI 3 description and the interactive docs."""
