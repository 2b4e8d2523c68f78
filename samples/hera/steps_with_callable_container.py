"""Hera: steps/steps_with_callable_container. A container template called as three steps, two
of them at once."""

from tiphys import container, parallel, pipeline, workflow

whalesay = container("whalesay", "docker/whalesay", command=["cowsay"], args=["$(message)"],
                     inputs=["message"])

hello_hello_hello = workflow("hello-hello-hello", pipeline(
    whalesay(message="hello1").named("hello1"),
    parallel(whalesay(message="hello2a").named("hello2a"),
             whalesay(message="hello2b").named("hello2b")),
))
