"""Hera: upstream/intermediate_parameters. Deploy to pre-production, wait for someone to approve,
deploy to production only if they answered YES.

Hera's suspend template also declares an input 'approve' (default NO, enum YES/NO) for the UI;
a tiphys suspend's inputs are names only."""

from tiphys import container, pipeline, suspend, workflow

deploy = container("deploy", "argoproj/argosay:v2", command=["/argosay"], args=["echo", "deploying"])
approval = suspend("approval", outputs=["approve"])

approve = approval().named("approval")
intermediate_parameters = workflow("intermediate-parameters-cicd", pipeline(
    deploy().named("deploy-pre-prod"),
    approve,
    deploy().named("deploy-prod").when(approve.outputs["approve"] == "YES"),
))
