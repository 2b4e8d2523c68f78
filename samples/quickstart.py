"""Quickstart: two Python tasks in a pipeline, one parameter.

    tiphys compile samples/quickstart.py
"""

from tiphys import param, pipeline, task, workflow


@task
def greet(name: str) -> str:
    return f"Hello, {name}!"


@task
def shout(text: str) -> None:
    print(text.upper())


greeting = greet(name=param("name", default="Argo"))
hello = workflow("hello-tiphys", pipeline(greeting, shout(text=greeting)))
