"""Hera: upstream/daemon_step. An InfluxDB daemon, ready once /ping answers; later steps
create a database, write to it from three producers at once, and read it back, reaching the
daemon at its pod address (`influx.ip`, which the client reads as $host)."""

from tiphys import container, http_probe, parallel, pipeline, workflow

influxdb = container("influxdb", "influxdb:1.2", daemon=True,
                     readiness_probe=http_probe("/ping", 8086, initial_delay=5, timeout=1))
client = container("influxdb-client", "appropriate/curl:latest", command=["sh", "-c"],
                   args=["$(cmd)"], inputs=["cmd", "host"])

WRITE = "curl -XPOST 'http://$host:8086/write?db=mydb'"
influx = influxdb().named("influx")
daemon_step = workflow("hera-daemon-step", pipeline(
    influx,
    client(cmd="curl -XPOST 'http://$host:8086/query' --data-urlencode 'q=CREATE DATABASE mydb'",
           host=influx.ip).named("init-database"),
    parallel(
        client(cmd=f"for i in $(seq 1 20); do {WRITE} -d \"cpu,host=server01,region=uswest "
                   "load=$i\"; sleep .5; done", host=influx.ip).named("producer-1"),
        client(cmd=f"for i in $(seq 1 20); do {WRITE} -d \"cpu,host=server02,region=uswest "
                   "load=$((RANDOM % 100))\"; sleep .5; done", host=influx.ip).named("producer-2"),
        client(cmd=f"{WRITE} -d 'cpu,host=server03,region=useast load=15.4'",
               host=influx.ip).named("producer-3"),
    ),
    client(cmd="curl --silent -G 'http://$host:8086/query?pretty=true' --data-urlencode "
               "'db=mydb' --data-urlencode 'q=SELECT * FROM cpu'", host=influx.ip)
    .named("consumer"),
))
