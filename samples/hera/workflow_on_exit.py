"""Hera: misc/workflow_on_exit. The workflow's exit handler is a DAG of two chains: one runs
when the workflow succeeded, the other when it ended in an error."""

from tiphys import dag, task, workflow, workflow_status


@task
def echo(s: str) -> None:
    print(s)


t1 = echo(s="a").named("t1")
t2 = echo(s="b").named("t2").after(t1)

t3 = echo(s="1").named("t3").when(workflow_status == "Succeeded")
t4 = echo(s="2").named("t4").after(t3).when(workflow_status == "Succeeded")
t5 = echo(s="3").named("t5").when(workflow_status == "Error")
t6 = echo(s="4").named("t6").after(t5).when(workflow_status == "Error")

workflow_on_exit = workflow("workflow-on-exit", dag(t1, t2),
                            on_exit=dag(t3, t4, t5, t6, name="exit-procedure"))
