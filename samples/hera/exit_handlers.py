"""Port of Hera's upstream/exit_handlers: an exit handler made of three steps, two of them
conditional on the workflow's status. The main step fails when the parameter `fail` is "yes"
(Hera's example always fails; here the default succeeds so that both branches can be run)."""

from tiphys import bash, parallel, param, workflow, workflow_name, workflow_status

intentional_fail = bash("intentional-fail", 'echo "failing: $fail"; test "$fail" != yes',
                        inputs=["fail"])
send_email = bash("send-email", "echo send e-mail: $run $status", inputs=["run", "status"])
celebrate = bash("celebrate", "echo hooray!")
cry = bash("cry", "echo boohoo!")

exit_handlers = workflow(
    "hera-exit-handlers",
    intentional_fail(fail=param("fail", default="no")),
    on_exit=parallel(
        send_email(run=workflow_name, status=workflow_status).named("notify"),
        celebrate().when(workflow_status == "Succeeded"),
        cry().when(workflow_status != "Succeeded"),
        name="exit-handler",
    ),
)
