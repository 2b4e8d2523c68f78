"""Hera: upstream/workflow_template__templates. WorkflowTemplates whose templates others call by
reference (templateRef); compiled together, tiphys checks each reference against its target.

Hera's random-fail template has no entrypoint; every tiphys workflow has one."""

from tiphys import container, dag, parallel, param, pipeline, template_ref, workflow

print_message = container("print-message", "busybox", command=["echo"], args=["$(message)"],
                          inputs=["message"])
random_fail = container("random-fail-template", "python:alpine3.6", command=["python", "-c"],
                        args=["import random; import sys; exit_code = random.choice([0, 1, 1]); "
                              "sys.exit(exit_code)"],
                        retries=10)
shared_print = template_ref("workflow-template-print-message", "print-message", inputs=["message"])

print_message_wt = workflow("workflow-template-print-message", print_message(message="hello"))
random_fail_wt = workflow("workflow-template-random-fail-template", random_fail())

inner_steps = workflow("workflow-template-inner-steps", pipeline(
    shared_print(message="inner-hello1").named("inner-hello1"),
    parallel(shared_print(message="inner-hello2a").named("inner-hello2a"),
             print_message(message="inner-hello2b").named("inner-hello2b")),
))

inner_a = shared_print(message="inner-A").named("inner-A")
inner_b = print_message(message="inner-B").named("inner-B").after(inner_a)
inner_c = print_message(message="inner-C").named("inner-C").after(inner_a)
inner_d = shared_print(message="inner-D").named("inner-D").after(inner_b, inner_c)
inner_dag = workflow("workflow-template-inner-dag", dag(inner_a, inner_b, inner_c, inner_d))

submittable = workflow("workflow-template-submittable",
                       print_message(message=param("message", default="hello world")))
