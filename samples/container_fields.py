"""The main container's working folder, ports, probes and lifecycle.

``daemon-step`` means what Hera's ``upstream/daemon_step`` example means: a database runs as a
daemon, ready once its HTTP ``/ping`` answers; later steps reach it at its pod address
(``.ip``); ``dag-daemon-task`` (``upstream/dag_daemon_task``) is the same as a DAG, and
``daemon-nginx`` (``upstream/daemon_nginx``) a web server probed the same way.
(``upstream/input_artifact_git``, which needs ``working_dir``, is ported in
samples/hera/input_artifact_git.py.)
"""

from tiphys import (
    bash,
    container,
    dag,
    http_probe,
    lifecycle,
    parallel,
    pipeline,
    tcp_probe,
    workflow,
)

influxdb = container(
    "influxdb", "influxdb:1.2", daemon=True, ports={"http": 8086},
    readiness_probe=http_probe("/ping", 8086, initial_delay=5, timeout=1),
    liveness_probe=tcp_probe("http", period=10),
    lifecycle=lifecycle(pre_stop=["sh", "-c", "sleep 2"]),
)
# Each command reads the daemon's address from $host (a variable, like every input).
client = container("influxdb-client", "curlimages/curl:latest", command=["sh", "-c"],
                   args=["$(cmd)"], inputs=["cmd", "host"])

influx = influxdb()
ip = influx.ip
daemon_step = workflow("daemon-step", pipeline(
    influx,
    client(cmd="curl -XPOST http://$host:8086/query --data-urlencode 'q=CREATE DATABASE mydb'",
           host=ip).named("init-database"),
    parallel(
        client(cmd="curl -XPOST 'http://$host:8086/write?db=mydb' -d 'cpu,host=server01 load=1'",
               host=ip).named("producer-1"),
        client(cmd="curl -XPOST 'http://$host:8086/write?db=mydb' -d 'cpu,host=server02 load=2'",
               host=ip).named("producer-2"),
    ),
    client(cmd="curl --silent -G 'http://$host:8086/query?pretty=true' --data-urlencode "
               "'db=mydb' --data-urlencode 'q=SELECT * FROM cpu'", host=ip).named("consumer"),
))

# The same as a DAG: the producers run at once after the database is created.
influx_dag = influxdb().named("influx")
dag_ip = influx_dag.ip
create = client(cmd="curl -XPOST http://$host:8086/query --data-urlencode 'q=CREATE DATABASE mydb'",
                host=dag_ip).named("init-database")
p1 = client(cmd="curl -XPOST 'http://$host:8086/write?db=mydb' -d 'cpu,host=server01 load=1'",
            host=dag_ip).named("producer-1").after(create)
p2 = client(cmd="curl -XPOST 'http://$host:8086/write?db=mydb' -d 'cpu,host=server02 load=2'",
            host=dag_ip).named("producer-2").after(create)
p3 = client(cmd="curl -XPOST 'http://$host:8086/write?db=mydb' -d 'cpu,host=server03 load=15.4'",
            host=dag_ip).named("producer-3").after(create)
consumer = client(cmd="curl --silent -G 'http://$host:8086/query?pretty=true' "
                      "--data-urlencode 'db=mydb' --data-urlencode 'q=SELECT * FROM cpu'",
                  host=dag_ip).named("consumer").after(p1, p2, p3)
dag_daemon_task = workflow("dag-daemon-task", dag(influx_dag, create, p1, p2, p3, consumer))

# A web server as a daemon, ready once "/" answers; the client reads it at its address.
nginx_server = container("nginx-server", "nginx:1.13", daemon=True,
                         readiness_probe=http_probe("/", 80, initial_delay=2, timeout=1))
nginx_client = container("nginx-client", "curlimages/curl:latest", command=["/bin/sh", "-c"],
                         args=["curl --silent -G http://$(server_ip):80/"], inputs=["server_ip"])
server = nginx_server()
daemon_nginx = workflow("daemon-nginx", pipeline(server, nginx_client(server_ip=server.ip)))

# A script task runs in its working folder too.
list_work = bash("list-work", "pwd", working_dir="/tmp")
working_dir_script = workflow("working-dir-script", list_work())
