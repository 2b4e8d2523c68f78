"""Hera: upstream/dag_enhanced_depends. Tasks that run on their dependencies' results."""

from tiphys import bash, dag, workflow

pass_ = bash("pass", "exit 0", image="bash:5.2")
fail = bash("fail", "exit 1", image="bash:5.2")

a = pass_().named("A")
b = pass_().named("B").after(a)
c = fail().named("C").after(a)
should_execute_1 = pass_().named("should-execute-1").after(a, c.succeeded | c.failed)
should_execute_2 = pass_().named("should-execute-2").after(b.succeeded | c.succeeded)
should_not_execute = pass_().named("should-not-execute").after(b.succeeded & c.succeeded)
should_execute_3 = pass_().named("should-execute-3").after(
    should_execute_2.succeeded | should_not_execute.succeeded)

enhanced_depends = workflow("dag-enhanced-depends", dag(
    a, b, c, should_execute_1, should_execute_2, should_not_execute, should_execute_3))
