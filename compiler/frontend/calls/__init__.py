"""What each DSL call means, one module per family: tasks, invocations and composites
(:mod:`.core`), ``workflow(...)`` (:mod:`.workflow`), control flow on invocations
(:mod:`.flow`), the other task kinds (:mod:`.kinds`) and artifacts (:mod:`.artifacts`). Each
turns evaluated arguments into IR values and reports misuse at the argument."""
