"""Artifact archive settings (Hera upstream/artifact_disable_archive): a directory and a file
passed without archiving, and a file in a tar without compression (``compression_level=0``,
Argo's ``tar.compressionLevel``)."""

from tiphys import InputArtifact, OutputArtifact, artifact, dag, task, workflow


@task(artifacts={"etc": artifact(archive="none"),
                 "hello_txt": artifact(archive="none"),
                 "hello_txt_nc": artifact(archive="tar", compression_level=0)})
def whalesay(etc: OutputArtifact = OutputArtifact(),
             hello_txt: OutputArtifact = OutputArtifact(),
             hello_txt_nc: OutputArtifact = OutputArtifact()) -> None:
    import os

    os.makedirs(etc, exist_ok=True)
    with open(os.path.join(etc, "os-release"), "w", encoding="utf-8") as f:
        f.write("NAME=tiphys\n")
    for path in (hello_txt, hello_txt_nc):
        with open(path, "w", encoding="utf-8") as f:
            f.write("hello world\n")


@task
def print_message_from_files(etc: InputArtifact, hello_txt: InputArtifact,
                             hello_txt_nc: InputArtifact) -> None:
    import os

    print(sorted(os.listdir(etc)))
    for path in (hello_txt, hello_txt_nc):
        with open(path, encoding="utf-8") as f:
            print(f.read())


made = whalesay()
shown = print_message_from_files(etc=made.outputs["etc"], hello_txt=made.outputs["hello_txt"],
                                 hello_txt_nc=made.outputs["hello_txt_nc"])

artifact_disable_archive = workflow("artifact-disable-archive", dag(shown))
