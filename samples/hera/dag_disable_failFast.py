"""Hera: upstream/dag_disable_failFast. C fails (after three retries) while B is still
sleeping; with ``fail_fast=False`` the DAG lets B's branch run on to D and E before it fails."""

from tiphys import bash, container, dag, workflow

hello_world = container("a", "busybox", command=["echo"], args=["hello world"])
sleeper = bash("b", "sleep 3; echo haha", image="alpine:3.20", shell="sh", retries=2)
failing = bash("c", "echo intentional failure; exit 2", image="alpine:3.20", shell="sh", retries=3)
echo = container("d", "busybox", command=["echo"], args=["hello world"])

a = hello_world().named("A")
b = sleeper().named("B").after(a)
c = failing().named("C").after(a)
d = echo().named("D").after(b)
e = echo().named("E").after(d)

dag_disable_fail_fast = workflow("dag-primary-branch", dag(a, b, c, d, e, fail_fast=False))
