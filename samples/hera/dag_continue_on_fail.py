"""Hera: upstream/dag_continue_on_fail. D runs because B failed; G needs E, which fails, so the
workflow fails (as Argo's example does)."""

from tiphys import bash, container, dag, workflow

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])
intentional_fail = bash("intentional-fail", "echo intentional failure; exit 1", image="bash:5.2")

a = hello_world().named("A")
b = intentional_fail().named("B").after(a)
c = hello_world().named("C").after(a)
d = hello_world().named("D").after(b.failed, c)
e = intentional_fail().named("E").after(a)
f = hello_world().named("F").after(a)
g = hello_world().named("G").after(e, f)

dag_continue_on_fail = workflow("dag-continue-on-fail", dag(a, b, c, d, e, f, g))
