"""Hera: upstream/init_container. An init container that sees the main container's volumes."""

from tiphys import container, empty_dir, init_container, workflow

init_container_example = container(
    "init-container-example", "alpine:latest", command=["echo", "bye"],
    volumes={"/foo": "foo"},
    init_containers=[init_container("hello", "alpine:latest", command=["echo", "hello"],
                                    mirror_volume_mounts=True)],
)

init_container_wf = workflow("init-container", init_container_example,
                             volumes=[empty_dir("foo")])
