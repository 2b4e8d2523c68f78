"""Hera: upstream/pod_spec_yaml_patch. The memory limit of every pod comes from a workflow
parameter, through a YAML pod spec patch on the workflow."""

from tiphys import container, param, workflow

PATCH = ('containers:\n  - name: main\n    resources:\n      limits:\n'
         '        memory: "{{workflow.parameters.mem-limit}}"\n')

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])

pod_spec_yaml_patch = workflow("pod-spec-yaml-patch", hello_world,
                               params=[param("mem-limit", "100Mi")], pod_spec_patch=PATCH)
