"""Hera: upstream/intermediate_parameters. Deploy to pre-production, wait for someone to approve,
deploy to production only if they answered YES. The UI offers YES or NO, NO first; a run that
nobody answers takes NO."""

from tiphys import container, pipeline, supplied, suspend, workflow

deploy = container("deploy", "argoproj/argosay:v2", command=["/argosay"], args=["echo", "deploying"])
approval = suspend("approval",
                   outputs=[supplied("approve", default="NO", enum=["YES", "NO"])])

approve = approval().named("approval")
intermediate_parameters = workflow("intermediate-parameters-cicd", pipeline(
    deploy().named("deploy-pre-prod"),
    approve,
    deploy().named("deploy-prod").when(approve.outputs["approve"] == "YES"),
))
