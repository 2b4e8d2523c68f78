"""Hera: upstream/pod_metadata. Labels and annotations on the pod of one template (its
``metadata``); ``workflow(pod_metadata=...)`` would put them on every pod of the run."""

from tiphys import container, workflow

print_message = container("print-message", "busybox", command=["echo"], args=["$(message)"],
                          inputs=["message"],
                          labels={"app": "print-message", "tier": "demo"},
                          annotations={"iam.amazonaws.com/role": "role-arn"})

pod_metadata = workflow("pod-metadata", print_message(message="hello1").named("hello1"))
