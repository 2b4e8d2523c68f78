"""Hera: upstream/dag_daemon_task. daemon_step as a DAG: the database is created once the
daemon is ready, three producers write to it at once, and the consumer reads after all three.
Each client reads the daemon's address, so each also depends on the daemon (Hera's producers
depend on init-database only; the extra edges change no order)."""

from tiphys import container, dag, http_probe, workflow

influxdb = container("influxdb", "influxdb:1.2", daemon=True,
                     readiness_probe=http_probe("/ping", 8086, initial_delay=5, timeout=1))
client = container("influxdb-client", "appropriate/curl:latest", command=["sh", "-c"],
                   args=["$(cmd)"], inputs=["cmd", "host"])

WRITE = "curl -XPOST 'http://$host:8086/write?db=mydb'"
influx = influxdb().named("influx")
ip = influx.ip
init = client(cmd="curl -XPOST 'http://$host:8086/query' --data-urlencode "
                  "'q=CREATE DATABASE mydb'", host=ip).named("init-database")
p1 = client(cmd=f"for i in $(seq 1 20); do {WRITE} -d \"cpu,host=server01,region=uswest "
                "load=$i\"; sleep .5; done", host=ip).named("producer-1").after(init)
p2 = client(cmd=f"for i in $(seq 1 20); do {WRITE} -d \"cpu,host=server02,region=uswest "
                "load=$((RANDOM % 100))\"; sleep .5; done", host=ip).named("producer-2").after(init)
p3 = client(cmd=f"{WRITE} -d 'cpu,host=server03,region=useast load=15.4'",
            host=ip).named("producer-3").after(init)
consumer = client(cmd="curl --silent -G 'http://$host:8086/query?pretty=true' "
                      "--data-urlencode 'db=mydb' --data-urlencode 'q=SELECT * FROM cpu'",
                  host=ip).named("consumer").after(p1, p2, p3)
dag_daemon_task = workflow("hera-dag-daemon-task", dag(influx, init, p1, p2, p3, consumer))
