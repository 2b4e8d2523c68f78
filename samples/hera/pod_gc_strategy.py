"""Hera: upstream/pod_gc_strategy. Pods are deleted when they succeed; one fails, one succeeds.

Hera's podGC also waits 30s before deleting (deleteDelayDuration), which tiphys' pod_gc does
not say yet."""

from tiphys import container, parallel, pipeline, workflow

fail = container("fail", "alpine:3.7", command=["sh", "-c"], args=["exit 1"])
succeed = container("succeed", "alpine:3.7", command=["sh", "-c"], args=["exit 0"])

pod_gc_strategy = workflow("pod-gc-strategy", pipeline(parallel(fail(), succeed())),
                           pod_gc="OnPodSuccess")
