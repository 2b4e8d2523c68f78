"""The single table of validator codes.

Every diagnostic the validator emits uses a code from :data:`CODES`; ``docs/validator-codes.md``
documents each one, and the negative corpus holds at least one file per code (a test checks both).
Codes are grouped by area: ARG0xx document and metadata, ARG1xx workflow spec, ARG2xx templates,
ARG3xx template references and call sites, ARG4xx variables, ARG5xx steps, ARG6xx DAG,
ARG7xx outputs, ARG8xx CronWorkflow, ARG9xx checks beyond Argo's validator (CRD limits,
runtime failures), SCHnnn schema validation.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiphys.compiler.diagnostics import Severity

E = Severity.ERROR
W = Severity.WARNING
I = Severity.INFO  # noqa: E741


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    #: for a check Argo's validator (``argo lint``) does not make: the component that rejects
    #: the document instead; empty for Argo's own checks
    rejected_by: str = ""


API_SERVER = "the Kubernetes API server"
FULL_CRD = "the Kubernetes API server, on clusters with Argo's full CRDs"
CONTROLLER = "the workflow controller, at run time"

#: Checks beyond Argo's validator, and who rejects the document instead.
BEYOND_ARGO = {
    "ARG011": API_SERVER, "ARG012": API_SERVER, "ARG013": API_SERVER, "ARG014": API_SERVER,
    "ARG901": FULL_CRD, "ARG902": CONTROLLER, "ARG903": CONTROLLER, "ARG904": CONTROLLER,
}


def _table(*rows: tuple[str, Severity, str]) -> dict[str, Code]:
    return {c: Code(c, s, t, BEYOND_ARGO.get(c, "")) for c, s, t in rows}


def beyond_argo_note(code: str) -> str:
    """The suffix that marks a finding of a check Argo's validator does not make."""
    who = BEYOND_ARGO.get(code)
    return f" [beyond argo lint: rejected by {who}]" if who else ""


CODES: dict[str, Code] = _table(
    # --- document, parse, metadata
    ("ARG001", E, "YAML cannot be parsed"),
    ("ARG002", E, "duplicate key in a mapping"),
    ("ARG003", E, "wrong apiVersion for an Argo kind"),
    ("ARG004", E, "spec missing or not a mapping"),
    ("ARG005", E, "unknown field (a warning with --no-strict)"),
    ("ARG006", E, "value of the wrong type, or an integer out of range"),
    ("ARG007", E, "value is not a Kubernetes quantity"),
    ("ARG008", E, "file refused: not a regular file, or larger than the size limit"),
    ("ARG010", E, "metadata.name too long"),
    ("ARG011", E, "metadata.name or generateName is not a DNS-1123 subdomain"),
    ("ARG012", E, "metadata has neither name nor generateName"),
    ("ARG013", E, "invalid label key or value"),
    ("ARG014", E, "invalid annotation key"),
    # --- workflow spec
    ("ARG101", E, "spec.entrypoint is required"),
    ("ARG102", E, "entrypoint names no template"),
    ("ARG103", E, "onExit names no template"),
    ("ARG104", E, "workflowTemplateRef together with templates"),
    ("ARG105", E, "invalid parameter or artifact name in arguments"),
    ("ARG106", E, "duplicate parameter or artifact name in arguments"),
    ("ARG107", E, "argument parameter has neither value nor valueFrom"),
    ("ARG108", E, "argument valueFrom uses a source not allowed there"),
    ("ARG109", E, "empty enum, or value not in enum"),
    ("ARG110", E, "argument artifact has no source, or both from and fromExpression"),
    ("ARG111", E, "lifecycle hook without expression"),
    ("ARG112", E, "unknown podGC strategy"),
    ("ARG113", E, "invalid podGC labelSelector"),
    ("ARG114", E, "invalid podResources"),
    ("ARG115", E, "parallelism below 1"),
    ("ARG116", W, "workflowTemplateRef names a template not in this run"),
    ("ARG117", E, "plugin template or executor plugin is malformed"),
    # --- templates
    ("ARG201", E, "invalid template name"),
    ("ARG202", E, "duplicate template name"),
    ("ARG203", E, "template type unspecified"),
    ("ARG204", E, "multiple template types"),
    ("ARG205", E, "invalid input parameter or artifact name"),
    ("ARG206", E, "duplicate input parameter or artifact name"),
    ("ARG207", E, "input artifact path, from or location problem"),
    ("ARG208", E, "init container without a name"),
    ("ARG209", E, "resourceClaims on a template that creates no pod"),
    ("ARG210", E, "timeout on a steps/dag template, or not a duration"),
    ("ARG211", E, "invalid activeDeadlineSeconds"),
    ("ARG212", E, "parallelism on a leaf template"),
    ("ARG213", E, "container or script image empty"),
    ("ARG214", E, "containerSet problem"),
    ("ARG215", E, "reserved container name"),
    ("ARG216", E, "invalid resource action"),
    ("ARG217", E, "resource manifest/manifestFrom problem"),
    ("ARG218", E, "resource manifest is not valid YAML"),
    ("ARG219", E, "invalid metric"),
    ("ARG220", E, "more than one artifact location"),
    ("ARG221", E, "invalid artifact location (git repo, HDFS)"),
    ("ARG222", E, "unknown retryPolicy"),
    ("ARG223", E, "duplicate mountPath, or artifact path equals a mountPath"),
    ("ARG224", E, "pendingTimeout on a steps/dag template"),
    # --- references and call sites
    ("ARG301", E, "template name undefined"),
    ("ARG302", E, "both template and templateRef (or inline)"),
    ("ARG303", E, "templateRef without name or template, or nothing to call"),
    ("ARG304", W, "templateRef to a template not in this run"),
    ("ARG305", E, "templateRef names a template missing from its WorkflowTemplate"),
    ("ARG306", I, "templateRef holds a variable; not resolved"),
    ("ARG307", E, "input parameter not supplied"),
    ("ARG308", E, "input artifact not supplied"),
    # --- variables
    ("ARG401", E, "unresolved variable"),
    ("ARG402", E, "unterminated {{ tag"),
    ("ARG403", E, "reference to a later step or a step of the same parallel group"),
    # --- steps
    ("ARG501", E, "invalid step name"),
    ("ARG502", E, "duplicate step name"),
    ("ARG503", E, "more than one of withItems, withParam, withSequence"),
    ("ARG504", E, "withSequence needs exactly one of count and end"),
    ("ARG505", E, "unsupported withItems entry"),
    ("ARG506", E, "empty steps or empty parallel group"),
    # --- DAG
    ("ARG601", E, "DAG without tasks"),
    ("ARG602", E, "invalid task name"),
    ("ARG603", E, "duplicate task name"),
    ("ARG604", E, "dependency not defined"),
    ("ARG605", E, "dependency cycle"),
    ("ARG606", E, "task name begins with a digit"),
    ("ARG607", E, "depends mixed with dependencies"),
    ("ARG608", E, "continueOn used with depends"),
    ("ARG609", E, "depends expression does not parse"),
    ("ARG610", E, "unknown task result in depends"),
    ("ARG611", E, ".AnySucceeded/.AllFailed on a task without a loop"),
    ("ARG612", E, "dag.target names no task"),
    ("ARG613", E, "argument from a task that is not an ancestor"),
    ("ARG614", E, "tasks.X.status of a task that is not an ancestor"),
    # --- outputs
    ("ARG701", E, "invalid output parameter or artifact name"),
    ("ARG702", E, "duplicate output parameter or artifact name"),
    ("ARG703", E, "output artifact path problem"),
    ("ARG704", E, "output parameter needs exactly one of value and valueFrom"),
    ("ARG705", E, "valueFrom needs exactly one source"),
    ("ARG706", E, "valueFrom source not valid for this template type"),
    ("ARG707", E, "invalid globalName"),
    # --- CronWorkflow
    ("ARG801", E, "no schedule"),
    ("ARG802", E, "schedule does not parse"),
    ("ARG803", E, "unknown timezone"),
    ("ARG804", E, "unknown concurrencyPolicy"),
    ("ARG805", E, "negative startingDeadlineSeconds"),
    # --- beyond Argo's validator
    ("ARG901", W, "CRD size limit exceeded (only clusters with the full CRDs enforce it)"),
    ("ARG902", E, "volume mount names an undeclared volume"),
    ("ARG903", W, "volume mount names a volume the calling workflow must declare"),
    ("ARG904", E, "duration does not parse (the controller fails at run time)"),
    # --- schemas
    ("SCH001", E, "Argo JSON schema violation"),
    ("SCH002", E, "CRD schema violation"),
    ("SCH003", E, "project strict schema violation"),
    ("SCH004", I, "CRD CEL rule not checked"),
    ("SCH005", I, "no CRD given for this kind"),
)
