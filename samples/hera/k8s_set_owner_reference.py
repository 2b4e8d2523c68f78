"""Hera: upstream/k8s_set_owner_reference. Create a ConfigMap owned by the workflow, so that it
is deleted with it."""

from tiphys import resource, workflow

MANIFEST = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "owned-eg-"},
            "data": {"some": "value"}}

create = resource("k8s-set-owner-reference", "create", MANIFEST, set_owner_reference=True)

k8s_set_owner_reference = workflow("k8s-set-owner-reference", create)
