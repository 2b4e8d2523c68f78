"""Hera: upstream/volumes_existing. Two steps append to and print a log on an existing PVC."""

from tiphys import container, pipeline, pvc, workflow

append_to_log = container("append-to-accesslog", "alpine:latest", command=["sh", "-c"],
                          args=["echo accessed at: $(date) | tee -a /mnt/vol/accesslog"],
                          volumes={"/mnt/vol": "workdir"})
print_log = container("print-accesslog", "alpine:latest", command=["sh", "-c"],
                      args=["echo 'Volume access log:'; cat /mnt/vol/accesslog"],
                      volumes={"/mnt/vol": "workdir"})

volumes_existing = workflow("volumes-existing", pipeline(
    append_to_log().named("generate"), print_log().named("print")),
    volumes=[pvc("workdir", claim="my-existing-volume")])
