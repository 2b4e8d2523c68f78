"""Hera: upstream/suspend_template. Build, wait for approval, wait 20 seconds, release."""

from tiphys import container, pipeline, suspend, workflow

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])
approve = suspend("approve")
delay = suspend("delay", duration=20)

suspend_template = workflow("suspend-template", pipeline(
    hello_world().named("build"), approve(), delay(), hello_world().named("release")))
