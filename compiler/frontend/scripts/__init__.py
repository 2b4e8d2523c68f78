"""Python tasks as shipped scripts: the function as written, the module names it uses carried
along (:mod:`.free_names`, :mod:`.symbols`: CPython's own symbol table), and the generated
wrapper that reads inputs from the environment and writes the return value
(:mod:`.python_script`)."""
