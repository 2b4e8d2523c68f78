"""The front end: a DSL file's text → the IR (:mod:`tiphys.compiler.ir`), with diagnostics.

Reading and parsing (:mod:`.source`), what the module binds (:mod:`.module_context`,
:mod:`.imports`), the static evaluator (:mod:`.evaluate`, :mod:`.values`, :mod:`.literals`),
one module per family of DSL calls (:mod:`.calls`), option readers (:mod:`.options`) and
Python task scripts (:mod:`.scripts`); :func:`.analyse.analyse` is the entry point. May import
the IR, the strict schema, the validator's parsers and diagnostics; never the lowering.
"""
