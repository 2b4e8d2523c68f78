"""Hera: misc/data. A data template lists the files of a bucket and keeps those ending in
main.log; Argo runs it itself, with no pod. Hera also declares an output artifact on it
(/file); a tiphys data task's output is the filtered list."""

from tiphys import data, pipeline, s3_artifact, workflow

list_log_files = data("list-log-files", s3_artifact("my-bucket", ""),
                      ['filter(data, {# endsWith "main.log"})'], source_name="test-bucket")
data_example = workflow("data", pipeline(list_log_files()))
