"""The libcst analysis kept for what edits source text or is not yet on ``ast``.

The DSL front end (:mod:`tiphys.compiler.frontend`) runs on CPython's ``ast``; libcst is for
*edits*, where a concrete tree keeps comments and layout: the language server's code actions
(:mod:`tiphys.compiler.lsp.fixes`) and the CloudHarness front end
(:mod:`tiphys.compiler.cloudharness`, to be moved to ``ast`` in its turn). These modules are
the libcst versions of the front end's reading, binding and task-script modules, imported
only by those two users, so that compiling or linting a DSL file never imports libcst.
"""
