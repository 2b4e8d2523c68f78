"""Hera: upstream/pod_spec_yaml_patch. The memory limit comes from a workflow parameter, through
a YAML pod spec patch.

Hera sets the patch on the workflow (every pod); tiphys sets it on the task, the one pod here."""

from tiphys import container, param, workflow

PATCH = ('containers:\n  - name: main\n    resources:\n      limits:\n'
         '        memory: "{{workflow.parameters.mem-limit}}"\n')

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"],
                        pod_spec_patch=PATCH)

pod_spec_yaml_patch = workflow("pod-spec-yaml-patch", hello_world, params=[param("mem-limit", "100Mi")])
