"""Hera: upstream/artifact_repository_ref. Output artifacts go to the repository stored under
the key my-key of the namespace's artifact-repositories ConfigMap."""

from tiphys import container, workflow

main = container("main", "busybox", command=["sh", "-c"],
                 args=["echo hello world | tee /tmp/hello_world.txt"],
                 output_artifacts={"hello_world": "/tmp/hello_world.txt"})

artifact_repository_ref = workflow("artifact-repository-ref", main,
                                   artifact_repository={"key": "my-key"})
