"""Hera: misc/http. An HTTP request with headers, a body, a timeout and a success condition on
the response."""

from tiphys import http, workflow

request = http("http", "{{inputs.parameters.url}}", inputs=["url"], method="GET", timeout=20,
               headers={"x-header-name": "test-value"}, body="test body",
               success_condition='response.body contains "google"')

http_wf = workflow("http", request(url="https://example.com"))
