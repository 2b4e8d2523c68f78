"""Hera: upstream/synchronization_mutex_tmpl_level. Two loops start at once, but each template
holds a mutex, so the runs of one template take turns."""

from tiphys import container, mutex, parallel, pipeline, workflow

acquire_lock = container("acquire-lock", "alpine:latest", command=["sh", "-c"],
                         args=["sleep 20; echo acquired lock"], inputs=["seconds"],
                         synchronization=mutex("welcome"))
acquire_lock_1 = container("acquire-lock-1", "alpine:latest", command=["sh", "-c"],
                           args=["sleep 50; echo acquired lock"], inputs=["seconds"],
                           synchronization=mutex("test"))

SECONDS = ["1", "2", "3", "4", "5"]
mutex_wf = workflow("synchronization-tmpl-level-mutex", pipeline(parallel(
    acquire_lock.map(seconds=SECONDS).named("synchronization-acquire-lock"),
    acquire_lock_1.map(seconds=SECONDS).named("synchronization-acquire-lock1"),
)))
