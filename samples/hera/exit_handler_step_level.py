"""Hera: upstream/exit_handler_step_level. Each step has its own exit handler."""

from tiphys import container, parallel, pipeline, workflow

cleanup = container("exit", "busybox", command=["echo"], args=["step cleanup"])
print_message = container("print-message", "busybox", command=["echo"], args=["$(message)"],
                          inputs=["message"])

exit_handler_step_level = workflow("exit-handler-step-level", pipeline(
    print_message(message="hello1").named("hello1").on_exit(cleanup()),
    parallel(print_message(message="hello2a").named("hello2a").on_exit(cleanup()),
             print_message(message="hello2b").named("hello2b").on_exit(cleanup())),
))
