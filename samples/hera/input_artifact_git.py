"""Hera: upstream/input_artifact_git. A git checkout as an input artifact, then a build in it
(the container runs in the checkout: working_dir)."""

from tiphys import container, git_artifact, workflow

ARGO = git_artifact("https://github.com/argoproj/argo-workflows.git", revision="master")

git_clone = container("git-clone", "golang:1.10", command=["sh", "-c"],
                      args=["git status && ls && cat VERSION"], working_dir="/src",
                      input_artifacts={"argo_source": "/src"})

input_artifact_git = workflow("input-artifact-git", git_clone(argo_source=ARGO))
