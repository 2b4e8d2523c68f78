"""tiphys.compiler: static front end, IR, lowering to Argo, validation and emission."""
