"""Hera: upstream/pod_spec_patch. The main container's CPU limit comes from a workflow parameter,
through a pod spec patch (Argo substitutes the tag before it reads the patch)."""

from tiphys import container, param, workflow

hello_world = container(
    "hello-world", "busybox", command=["echo"], args=["hello world"],
    pod_spec_patch='{"containers":[{"name":"main", "resources":{"limits":{"cpu": '
                   '"{{workflow.parameters.cpu-limit}}" }}}]}',
)

pod_spec_patch = workflow("pod-spec-patch", hello_world, params=[param("cpu-limit", "100m")])
