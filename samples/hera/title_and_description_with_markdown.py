"""Hera: upstream/title_and_description_with_markdown. The UI's title and description, in markdown."""

from tiphys import container, workflow

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])

titled = workflow(
    "title-and-description-with-markdown", hello_world,
    annotations={
        "workflows.argoproj.io/title": "**Test Title**",
        "workflows.argoproj.io/description": (
            "`This is a simple hello world example.`\nThis is an embedded link to the docs: "
            "https://argo-workflows.readthedocs.io/en/latest/title-and-description/\n"),
    },
    labels={"workflows.argoproj.io/archive-strategy": "false"},
)
