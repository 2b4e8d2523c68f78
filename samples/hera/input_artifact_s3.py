"""Hera: upstream/input_artifact_s3. A container reads an S3 object as an input artifact."""

from tiphys import container, s3_artifact, workflow

S3 = s3_artifact("my-bucket-name", "path/in/bucket", endpoint="s3.amazonaws.com", region="us-west-2",
                 access_key_secret=("my-s3-credentials", "accessKey"),
                 secret_key_secret=("my-s3-credentials", "secretKey"))

example = container("input-artifact-s3-example", "debian:latest", command=["sh", "-c"],
                    args=["ls -l /my-artifact"], input_artifacts={"my_art": "/my-artifact"})

input_artifact_s3 = workflow("input-artifact-s3", example(my_art=S3))
