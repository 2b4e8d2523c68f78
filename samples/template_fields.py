"""Workflow parameters in a template's own text fields, written as f-strings.

Argo fills in ``{{workflow.parameters.x}}`` and ``{{workflow.name}}`` anywhere in a template
when it runs it, and in the workflow's spec (its ``workflowMetadata`` too) when the run
starts. So the image, the environment, the working folder, the pod's labels and annotations
and a resource manifest may all be made from parameters; each f-string is lowered to the tags,
and every workflow that runs the task declares the parameters it reads.
"""

from tiphys import bash, container, param, pipeline, resource, task, workflow, workflow_name

python = param("python", default="3.12", description="Python version of the report's image")
team = param("team", default="data", description="Who owns this run")
greeting = f"hello from {team}"  # a name bound to an f-string works like the f-string


@task(image=f"python:{python}-slim", env={"GREETING": greeting},
      labels={"team": f"{team}"}, annotations={"run": f"{workflow_name}"})
def report() -> str:
    import os
    import sys

    print(os.environ["GREETING"], "on Python", sys.version.split()[0])
    return os.environ["GREETING"]


show = bash("show", "echo \"$GREETING in $(pwd)\"; echo run labels: {{workflow.labels.team}}",
            env={"GREETING": f"{team} says hi"}, working_dir="/tmp")
scratch = resource("scratch", "create", manifest=f"""apiVersion: v1
kind: ConfigMap
metadata:
  generateName: {team}-scratch-
data:
  owner: {team}
""")
tool = container("tool", f"python:{python}-alpine", command=["python", "--version"])

wf = workflow("template-fields", pipeline(report(), show(), scratch(), tool()),
              run_metadata={"labels": {"team": f"{team}"},
                            "annotations": {"started-by": f"{workflow_name}"}})
