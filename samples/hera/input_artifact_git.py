"""Hera: upstream/input_artifact_git. A git checkout as an input artifact, then a build in it.

Hera's container sets workingDir to the checkout; tiphys has no working_dir yet (issue 13,
item 9), so the command changes directory itself."""

from tiphys import container, git_artifact, workflow

ARGO = git_artifact("https://github.com/argoproj/argo-workflows.git", revision="master")

git_clone = container("git-clone", "golang:1.10", command=["sh", "-c"],
                      args=["cd /src && git status && ls && cat VERSION"],
                      input_artifacts={"argo_source": "/src"})

input_artifact_git = workflow("input-artifact-git", git_clone(argo_source=ARGO))
