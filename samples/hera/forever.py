"""Hera: upstream/forever. A container that counts to 1000, one number a second."""

from tiphys import container, workflow

main = container("main", "busybox",
                 command=["sh", "-c", "for I in $(seq 1 1000) ; do echo $I ; sleep 1s; done"])

forever = workflow("forever", main)
