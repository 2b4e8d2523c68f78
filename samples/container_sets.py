"""Several containers in one pod: ``container_set(...)`` of ``container_node(...)`` members,
run in the order their ``after=`` says (Argo's containerSet template).

The workflows here mean what Hera's ``upstream/container_set_template__*`` examples mean:
a graph, a sequence and a parallel set; a set whose ``main`` container's standard output is
its result; and a set whose containers share a workspace volume; and (``misc/container_set_with_env``) a member
whose variables come from literals, Secrets and ConfigMaps.
"""

from tiphys import (
    bash,
    config_map_env,
    config_map_key,
    container_node,
    container_set,
    empty_dir,
    pipeline,
    secret,
    secret_env,
    workflow,
)

SAY = "argoproj/argosay:v2"

# A diamond inside one pod: b and c wait for a, d for both.
a = container_node("a", SAY)
b = container_node("b", SAY, after=[a])
c = container_node("c", SAY, after=[a])
d = container_node("d", SAY, after=[b, c])
graph = workflow("graph", container_set("main", [a, b, c, d])())

# One after the other, and all at once.
first = container_node("a", SAY)
second = container_node("b", SAY, after=[first])
third = container_node("c", SAY, after=[second])
sequence = workflow("sequence", container_set("main", [first, second, third])())
parallel_set = workflow("parallel", container_set("main", [container_node("a", SAY),
                                                          container_node("b", SAY)])())

# The container named "main" gives the set its result (its standard output).
say_hi = container_node("main", "python:alpine3.23", command=["python", "-c"],
                        args=['print("hi")'])
group = container_set("group", [say_hi])


# The check reads the result as a variable ($x), like every input of a bash task.
verify = bash("verify", '[ "$x" = "hi" ]', inputs=["x"])

hi = group()
outputs_result = workflow("outputs-result", pipeline(hi, verify(x=hi)))

# Containers share files through a volume mounted on the whole set; any of them can write
# the set's outputs.
write = container_node("a", SAY, args=["echo", "hi", "/workspace/out"])
workspace_set = container_set(
    "main", [write, container_node("main", SAY)], volumes={"/workspace": "workspace"},
    outputs={"out": "/workspace/out"}, output_artifacts={"out": "/workspace/out"},
)
workspace = workflow("workspace", workspace_set(), volumes=[empty_dir("workspace")])

# A member's variables: literals, keys of Secrets and ConfigMaps, and whole ones (envFrom).
cowsay = container_node(
    "node", SAY, command=["cowsay"],
    env={"test": "1", "s1": secret("abc", "s1"), "c1": config_map_key("abc", "c1")},
    env_from=[secret_env("secret", prefix="abc"), config_map_env("configmap", prefix="abc")],
)
secret_env_from = workflow("container-set-env", container_set("whalesay", [cowsay])())
