"""Hera: upstream/secrets. A secret read as an environment variable and as a mounted file."""

from tiphys import container, secret, secret_volume, workflow

print_secret = container(
    "print-secret", "alpine:3.7", command=["sh", "-c"],
    args=[' echo "secret from env: $MYSECRETPASSWORD"; '
          'echo "secret from file: `cat /secret/mountpath/mypassword`" '],
    env={"MYSECRETPASSWORD": secret("my-secret", "mypassword")},
    volumes={"/secret/mountpath": "my-secret-vol"},
)

secrets = workflow("secrets", print_secret, volumes=[secret_volume("my-secret-vol", "my-secret")])
