"""Hera: upstream/container_set_template__workspace_workflow. Two containers of one pod share
an empty-dir workspace; the first writes a file there, which is the set's output parameter and
output artifact."""

from tiphys import container_node, container_set, empty_dir, workflow

SAY = "argoproj/argosay:v2"

main = container_set(
    "main",
    [container_node("a", SAY, args=["echo", "hi", "/workspace/out"]), container_node("main", SAY)],
    volumes={"/workspace": "workspace"},
    outputs={"out": "/workspace/out"}, output_artifacts={"out": "/workspace/out"},
)
workspace_workflow = workflow("container-set-workspace", main(),
                              volumes=[empty_dir("workspace")])
