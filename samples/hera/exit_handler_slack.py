"""Hera: upstream/exit_handler_slack. When the workflow ends, post its name and status to Slack.

Hera's handler reads {{workflow.name}} and {{workflow.status}} in its command; here they are
the handler's inputs, passed as workflow_name and workflow_status."""

from tiphys import container, workflow, workflow_name, workflow_status

say_hello = container("say-hello", "alpine:latest", command=["sh", "-c"], args=["echo hello"])
exit_handler = container(
    "exit-handler", "curlimages/curl", command=["sh", "-c"],
    args=["curl -X POST --data-urlencode 'payload={ \"text\": \"$(run) finished\", \"blocks\": "
          "[ { \"type\": \"section\", \"text\": { \"type\": \"mrkdwn\", \"text\": "
          "\"Workflow $(run) $(status)\", } } ] }' YOUR_WEBHOOK_URL_HERE"],
    inputs=["run", "status"])

exit_handler_slack = workflow("exit-handler-slack", say_hello,
                              on_exit=exit_handler(run=workflow_name, status=workflow_status))
