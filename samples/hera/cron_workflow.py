"""Hera: upstream/cron_workflow. Every minute, Los Angeles time; a new run replaces a running one."""

from tiphys import container, workflow

hello_with_time = container("hello-world-with-time", "busybox", command=["echo"],
                            args=["🕓 hello world. Scheduled on: {{workflow.scheduledTime}}"])

cron = workflow("hello-world-cron", hello_with_time, schedules=["* * * * *"],
                timezone="America/Los_Angeles", starting_deadline=0, concurrency_policy="Replace",
                successful_history=4, failed_history=4, suspend=False)
