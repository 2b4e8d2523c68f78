"""Hera: upstream/life_cycle_hooks_wf_level. An HTTP call when the workflow starts running and
another when it ends."""

from tiphys import container, hook, http, workflow, workflow_status

SWAGGER = ("https://raw.githubusercontent.com/argoproj/argo-workflows/"
           "4e450e250168e6b4d51a126b784e90b11a0162bc/pkg/apis/workflow/v1alpha1/generated.swagger.json")

heads = container("heads", "alpine:3.6", command=["sh", "-c"], args=['echo "it was heads"'])
notify = http("http", SWAGGER)

lifecycle_hook = workflow(
    "lifecycle-hook", heads().named("step1"),
    on_exit=notify(),
    hooks={"running": hook(notify(), when=workflow_status == "Running")},
)
