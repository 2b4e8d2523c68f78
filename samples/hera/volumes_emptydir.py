"""Hera: upstream/volumes_emptydir. A scratch emptyDir volume mounted at /mnt/vol."""

from tiphys import container, empty_dir, workflow

empty_dir_example = container("volumes-emptydir-example", "debian:latest", command=["/bin/bash", "-c"],
                              args=["vol_found=`mount | grep /mnt/vol` && if [[ -n $vol_found ]]; "
                                    "then echo \"Volume mounted and found\"; else echo \"Not found\"; fi "],
                              volumes={"/mnt/vol": "workdir"})

volumes_emptydir = workflow("volumes-emptydir", empty_dir_example, volumes=[empty_dir("workdir")])
