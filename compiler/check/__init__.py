"""Checks on lowered documents before anything is written: tiphys' strict schema and Argo's
rules on each document, mapped back to the Python source (:mod:`.documents`), and run-wide
checks across the files of one run (:mod:`.composition`: ``template_ref`` targets). In: lowered
documents. Out: diagnostics. May import lowering, the IR, the strict schema and the validator.
"""
