"""A workflow-level semaphore (Hera upstream/synchronization_wf_level): at most as many runs
of this workflow at once as the ConfigMap key says (``workflow(..., synchronization=...)``)."""

from tiphys import container, pipeline, semaphore, workflow

hello = container("hello-world", "busybox", command=["echo"], args=["hello world"])

synchronization_wf_level = workflow("synchronization-wf-level", pipeline(hello()),
                                    synchronization=semaphore("my-config", "workflow"))
