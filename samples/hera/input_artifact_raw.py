"""Hera: upstream/input_artifact_raw. A literal text given as an input artifact file."""

from tiphys import container, raw_artifact, workflow

CONTENT = "hello world\n"

raw_example = container("raw-artifact-example", "alpine:latest", command=["sh", "-c"],
                        args=["cat /tmp/file"], input_artifacts={"myfile": "/tmp/file"})

input_artifact_raw = workflow("input-artifact-raw", raw_example(myfile=raw_artifact(CONTENT)))
