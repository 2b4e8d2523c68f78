"""Hera: upstream/gc_ttl. Delete the workflow 5 seconds after it succeeds or fails, 10 after it completes."""

from tiphys import container, workflow

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])

gc_ttl = workflow("gc-ttl", hello_world,
                  ttl={"after_completion": 10, "after_failure": 5, "after_success": 5})
