"""Hera: misc/suspend. Four suspend templates: one waits for `argo resume`, one for 30 seconds,
two supply an `approve` output on resume, one offering YES or NO (NO first).

Hera's workflow defines the four but runs only the first (its entrypoint); tiphys writes the
templates a workflow calls, so this one calls them in turn."""

from tiphys import pipeline, supplied, suspend, workflow

without_duration = suspend("suspend-without-duration")
with_duration = suspend("suspend-with-duration", duration=30)
with_enum = suspend("suspend-with-intermediate-param-enum",
                    outputs=[supplied("approve", default="NO", enum=["YES", "NO"])])
with_param = suspend("suspend-with-intermediate-param", outputs=[supplied("approve")])

suspend_templates = workflow("suspend", pipeline(without_duration(), with_duration(), with_enum(),
                                                  with_param()))
