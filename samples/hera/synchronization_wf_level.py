"""Hera: upstream/synchronization_wf_level. Runs of this workflow share a semaphore whose size
is the ConfigMap key my-config/workflow."""

from tiphys import container, semaphore, workflow

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])

synchronization_wf_level = workflow("synchronization-wf-level", hello_world,
                                    synchronization=semaphore("my-config", "workflow"))
