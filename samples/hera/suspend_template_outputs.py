"""Hera: upstream/suspend_template_outputs. The person who resumes the workflow supplies a
message; the next step prints it."""

from tiphys import container, pipeline, suspend, workflow

approve = suspend("approve", outputs=["message"])
print_message = container("print-message", "busybox", command=["echo"], args=["$(message)"],
                          inputs=["message"])

approval = approve().named("approve")
suspend_outputs = workflow("suspend-outputs", pipeline(
    approval, print_message(message=approval.outputs["message"]).named("release")))
