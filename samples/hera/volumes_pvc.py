"""Hera: upstream/volumes_pvc. A claim made for the run (volumeClaimTemplates): one step writes
to it, the next reads it."""

from tiphys import container, pipeline, volume_claim, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["sh", "-c"],
                     args=["echo generating message in volume; cowsay hello world | tee /mnt/vol/hello_world.txt"],
                     volumes={"/mnt/vol": "workdir"})
print_message = container("print-message", "alpine:latest", command=["sh", "-c"],
                          args=["echo getting message from volume; find /mnt/vol; cat /mnt/vol/hello_world.txt"],
                          volumes={"/mnt/vol": "workdir"})

volumes_pvc = workflow("volumes-pvc", pipeline(whalesay().named("generate"), print_message().named("print")),
                       volume_claims=[volume_claim("workdir", "1Gi")])
