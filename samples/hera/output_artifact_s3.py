"""Hera: upstream/output_artifact_s3. A container's output artifact stored at a given S3 key."""

from tiphys import artifact, container, s3_artifact, workflow

S3 = s3_artifact("my-bucket", "path/in/bucket/hello_world.txt.tgz", endpoint="s3.amazonaws.com",
                 region="us-west-2", access_key_secret=("my-s3-credentials", "accessKey"),
                 secret_key_secret=("my-s3-credentials", "secretKey"))

hello_world_to_file = container(
    "hello-world-to-file", "busybox", command=["sh", "-c"],
    args=["echo hello world | tee /tmp/hello_world.txt"],
    output_artifacts={"message": "/tmp"}, artifacts={"message": artifact(location=S3)})

output_artifact_s3 = workflow("output-artifact-s3", hello_world_to_file)
