"""The commands and their run-wide settings: ``compile`` (:mod:`.compile`, with the output
folder in :mod:`.outdir` and the cache in :mod:`.cache`), ``lint`` (:mod:`.lint`,
:mod:`.suppress`), the per-file pipeline (:mod:`.pipeline`), configuration (:mod:`.config`)
and report formats (:mod:`.report`). In: paths and options. Out: YAML, files and reports.
May import every stage below it; nothing below imports it.
"""
