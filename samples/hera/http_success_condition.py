"""Hera: upstream/http_success_condition. Two HTTP requests made by Argo, each succeeding only
when its condition on the response holds (a status code; a word in the body). Hera's
example also defines a third template (a header test) that no step calls; it is left out."""

from tiphys import http, parallel, pipeline, workflow

status_is_201 = http("http-status-is-201", "{{inputs.parameters.url}}", inputs=["url"],
                     success_condition="response.statusCode == 201")
body_contains_google = http("http-body-contains-google", "{{inputs.parameters.url}}",
                            inputs=["url"], success_condition='response.body contains "google"')

http_success_condition = workflow("http-template-condition", pipeline(parallel(
    status_is_201(url="http://httpstat.us/201").named("http-status-is-201-succeeds"),
    body_contains_google(url="https://google.com").named("http-body-contains-google-succeeds"),
)))
