"""Waiting for a Step Functions execution to end, through a boto3 client (any service: sfn serve, AWS)."""
import time


def wait_for_end(sfn, arn, seconds, poll=0.1):
    """describe_execution once the execution has left RUNNING; None when it is still running after `seconds`
    (then it is stopped, error `Runner.Deadline`)."""
    deadline = time.time() + seconds
    while True:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        if time.time() > deadline:
            sfn.stop_execution(executionArn=arn, error="Runner.Deadline", cause="still running after %d s" % seconds)
            return None
        time.sleep(poll)


def history_types(sfn, arn):
    """The execution's history event types, in order (every page)."""
    types = []
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn):
        types += [e["type"] for e in page["events"]]
    return types
