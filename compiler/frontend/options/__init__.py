"""Options of DSL calls, read statically: which options exist (:mod:`.declared`), reading
literal option values (:mod:`.read`, :mod:`.extras`), the helper calls users write inside them
(:mod:`.helpers`, :mod:`.helper_values`) and Kubernetes-shaped fragments checked against the
strict schema (:mod:`.k8s_fragments`). Out: checked IR option values."""
