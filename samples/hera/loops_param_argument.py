"""A loop over a workflow parameter's list of dicts (Hera upstream/loops_param_argument):
``each(param(...))`` is ``withParam`` over the parameter, and the default's fields
(image, tag) are checked where they are read."""

from tiphys import container, each, param, pipeline, workflow

cat_os_release = container(
    "cat-os-release", "{{inputs.parameters.image}}:{{inputs.parameters.tag}}",
    command=["cat"], args=["/etc/os-release"], inputs=["image", "tag"],
)

os_list = each(param("os-list", default=[
    {"image": "debian", "tag": "9.1"},
    {"image": "debian", "tag": "8.9"},
    {"image": "alpine", "tag": "3.6"},
    {"image": "ubuntu", "tag": "17.10"},
]))
test_linux = cat_os_release.map(image=os_list.image, tag=os_list.tag)

loops_param_arg = workflow("loops-param-arg", pipeline(test_linux))
