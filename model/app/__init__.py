"""`fundalloc app`: a local web app (Solara) over the same engine as the command line.

One module per page (selection.py, compare.py, stress.py, mesa_view.py), shared widgets and
helpers in common.py, the page list in main.py, the server start in server.py. The pages call
the engine (model/selection/run.py, model/selection/compare.py, model/simulation/); no rule lives here.
"""
