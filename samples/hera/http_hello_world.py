"""Hera: upstream/http_hello_world. Two HTTP requests made by Argo; the bad one may fail."""

from tiphys import http, parallel, pipeline, workflow

GOOD = ("https://raw.githubusercontent.com/argoproj/argo-workflows/"
        "4e450e250168e6b4d51a126b784e90b11a0162bc/pkg/apis/workflow/v1alpha1/generated.swagger.json")
BAD = ("https://raw.githubusercontent.com/argoproj/argo-workflows/"
       "thisisnotahash/pkg/apis/workflow/v1alpha1/generated.swagger.json")

get = http("http", "{{inputs.parameters.url}}", inputs=["url"])

http_template = workflow(
    "http-template",
    pipeline(parallel(get(url=GOOD).named("good"), get(url=BAD).named("bad").continue_on(failed=True))),
    labels={"workflows.argoproj.io/test": "true"},
    annotations={"workflows.argoproj.io/description": "Http template will demostrate http template functionality\n",
                 "workflows.argoproj.io/version": ">= 3.2.0"},
)
