"""Templates Argo runs itself, with no pod of yours: ``data(...)`` lists the artifacts at a
location and filters them with expr-lang; ``plugin(...)`` calls an executor plugin.

``data-transformations`` means what Hera's ``upstream/data_transformations`` (and
``misc/data``) example means: list a bucket, keep the ``main.log`` files, and process each in
a loop.
"""

from tiphys import container, data, pipeline, plugin, s3_artifact, workflow

list_log_files = data(
    "list-log-files", s3_artifact("my-bucket", "logs/"),
    ['filter(data, {# endsWith "main.log"})'], source_name="test-bucket",
)
process_logs = container(
    "process-logs", "argoproj/argosay:v2", command=["sh", "-c"],
    args=["echo $(file_name) && head /file"], inputs=["file_name"],
)

files = list_log_files()
data_transformations = workflow("data-transformations", pipeline(
    files, process_logs.map(file_name=files),
))

# An executor plugin installed on the cluster as "hello"; its config reads the input.
hello = plugin("hello", "hello", {"hello": "{{inputs.parameters.who}}"}, inputs=["who"])
executor_plugin = workflow("executor-plugin", hello(who="world"))
