"""Hera: upstream/cron_workflow_multiple_schedules. A CronWorkflow on two schedules (every
third and every second minute), Los Angeles time; a new run replaces a running one."""

from tiphys import container, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"],
                     args=["🕓 hello world. Scheduled on: {{workflow.scheduledTime}}"])

cron = workflow("hello-world-multiple-schedules", whalesay,
                schedules=["*/3 * * * *", "*/2 * * * *"], timezone="America/Los_Angeles",
                starting_deadline=0, concurrency_policy="Replace",
                successful_history=4, failed_history=4, suspend=False)
