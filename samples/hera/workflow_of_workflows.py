"""Hera: upstream/workflow_of_workflows. Two child workflows, each submitted from a
WorkflowTemplate named by an input, run one after the other; each step waits for its child."""

from tiphys import pipeline, resource, workflow

CHILD_1 = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
           "metadata": {"generateName": "workflow-of-workflows-1-"},
           "spec": {"workflowTemplateRef": {"name": "{{inputs.parameters.workflowtemplate}}"}}}
CHILD_2 = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
           "metadata": {"generateName": "workflow-of-workflows-2-"},
           "spec": {"arguments": {"parameters": [
                        {"name": "message", "value": "{{inputs.parameters.message}}"}]},
                    "workflowTemplateRef": {"name": "{{inputs.parameters.workflowtemplate}}"}}}

without_argument = resource("resource-without-argument", "create", CHILD_1,
                            inputs=["workflowtemplate"],
                            success_condition="status.phase == Succeeded",
                            failure_condition="status.phase in (Failed, Error)")
with_argument = resource("resource-with-argument", "create", CHILD_2,
                         inputs=["workflowtemplate", "message"],
                         success_condition="status.phase == Succeeded",
                         failure_condition="status.phase in (Failed, Error)")

workflow_of_workflows = workflow("workflow-of-workflows", pipeline(
    without_argument(workflowtemplate="workflow-template-submittable").named("workflow1"),
    with_argument(workflowtemplate="workflow-template-submittable",
                  message="Welcome Argo").named("workflow2"),
))
