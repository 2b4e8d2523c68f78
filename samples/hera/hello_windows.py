"""Hera: upstream/hello_windows. A Windows container, placed on a Windows node."""

from tiphys import container, workflow

hello_win = container("hello-win", "mcr.microsoft.com/windows/nanoserver:1809", command=["cmd", "/c"],
                      args=["echo", "Hello from Windows Container!"],
                      node_selector={"kubernetes.io/os": "windows"})

hello_windows = workflow("hello-windows", hello_win)
