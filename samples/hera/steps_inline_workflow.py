"""Hera: upstream/steps_inline_workflow. One step running argosay.

Hera writes the container inline in the step (Argo 3.2's inline templates); tiphys writes a
named template and calls it, which Argo runs the same way."""

from tiphys import container, pipeline, workflow

argosay = container("argosay", "argoproj/argosay:v2")

steps_inline = workflow(
    "steps-inline", pipeline(argosay().named("a")),
    annotations={"workflows.argoproj.io/description":
                 "This workflow demonstrates running a steps with inline templates.",
                 "workflows.argoproj.io/version": ">= 3.2.0"})
