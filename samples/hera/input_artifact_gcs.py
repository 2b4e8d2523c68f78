"""Hera: upstream/input_artifact_gcs. A container reads a GCS object as an input artifact."""

from tiphys import container, gcs_artifact, workflow

GCS = gcs_artifact("my-bucket-name", "path/in/bucket",
                   service_account_key_secret=("my-gcs-credentials", "serviceAccountKey"))

example = container("input-artifact-gcs-example", "debian:latest", command=["sh", "-c"],
                    args=["ls -l /my-artifact"], input_artifacts={"my_art": "/my-artifact"})

input_artifact_gcs = workflow("input-artifact-gcs", example(my_art=GCS))
