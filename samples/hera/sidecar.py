"""Hera: upstream/sidecar. The main container writes to an InfluxDB running beside it."""

from tiphys import container, sidecar, workflow

ARGS = (" apk update && apk add curl && until curl -XPOST 'http://127.0.0.1:8086/query' "
        "--data-urlencode 'q=CREATE DATABASE mydb' ; do sleep .5; done && for i in $(seq 1 20); "
        "do curl -XPOST 'http://127.0.0.1:8086/write?db=mydb' -d \"cpu,host=server01,region=uswest "
        "load=$i\" ; sleep .5 ; done ")

sidecar_example = container("sidecar-example", "alpine:latest", command=["sh", "-c"], args=[ARGS],
                            sidecars=sidecar("influxdb", "influxdb:1.2", command=["influxd"]))

sidecar_wf = workflow("sidecar", sidecar_example)
