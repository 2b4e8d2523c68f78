"""Hera: upstream/data_transformations. A data template lists a bucket and keeps the
main.log files; a loop then processes each file name.

Hera's loop also fetches each file as an input artifact whose S3 key is the loop item; a
tiphys artifact location cannot be taken from an item, so the port passes the name only."""

from tiphys import container, data, pipeline, s3_artifact, workflow

list_log_files = data("list-log-files", s3_artifact("my-bucket", ""),
                      ['filter(data, {# endsWith "main.log"})'], source_name="test-bucket")
process_logs = container("process-logs", "argoproj/argosay:v2", command=["sh", "-c"],
                         args=["echo $(file_name)"], inputs=["file_name"])

files = list_log_files().named("list-log-files")
data_transformations = workflow("hera-data-transformations", pipeline(
    files, process_logs.map(file_name=files).named("process-logs"),
), annotations={"workflows.argoproj.io/version": ">= 3.1.0"})
