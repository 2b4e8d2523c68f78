# mypy: ignore-errors
"""A Flask controller in the style of CloudHarness' samples app: operations are built when a
request comes in, from the request's values.

Values known only at run time become workflow parameters named after their keyword, so the
compiled templates are submitted with, e.g., ``argo submit --from workflowtemplate/... -p a=3``.
"""
from cloudharness.workflows import operations, tasks
from flask import jsonify, request


def submit_sync_with_results(a=1, b=2):
    """Sum a and b in a task image; the result comes back through the shared directory."""
    task = tasks.CustomTask('test-sync-op-', 'samples-sum', a=a, b=b)
    try:
        op = operations.DistributedSyncOperationWithResults('test-sync-op-results-', task)
        result = op.execute()
        return result[0]['result']
    except Exception as e:
        return jsonify(str(e)), 200


def submit_async():
    """Download a file given in the query string, then print it, sharing a volume."""
    url = request.args.get('url')
    shared_directory = '/mnt/shared'
    task_write = tasks.CustomTask('download-file', 'workflows-extract-download',
                                  url=url, shared_directory=shared_directory)
    task_print = tasks.CustomTask('print-file', 'samples-print-file',
                                  file_path=shared_directory + '/README.md')
    op = operations.PipelineOperation('test-custom-connected-op-', (task_write, task_print),
                                      shared_directory=shared_directory, shared_volume_size=100,
                                      on_exit_notify={'queue': 'my-results',
                                                      'payload': request.get_data(as_text=True)})
    workflow = op.execute()
    return 'Submitted: ' + workflow.name, 202
