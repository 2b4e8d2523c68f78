"""Loops over structured items (Hera upstream/loops_maps): each item is a dict whose fields
feed several inputs. ``each(...)`` names the items; ``builds.image`` is ``{{item.image}}``,
and a misspelled field or a field of the wrong type is a compile error."""

from tiphys import container, each, pipeline, workflow

cat_os_release = container(
    "cat-os-release", "{{inputs.parameters.image}}:{{inputs.parameters.tag}}",
    command=["cat", "/etc/os-release"], inputs=["image", "tag"],
)

builds = each([
    {"image": "debian", "tag": "9.1"},
    {"image": "debian", "tag": "8.9"},
    {"image": "alpine", "tag": "3.6"},
    {"image": "ubuntu", "tag": "17.10"},
])
test_linux = cat_os_release.map(image=builds.image, tag=builds.tag)

loops_maps = workflow("loops-maps", pipeline(test_linux))
