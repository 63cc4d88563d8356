"""Enterprise simulation of the Jiaxing reward schedule (DESIGN.md "The simulation").

params.py      scenario section [simulation] → typed parameters
population.py  the firm population (generated from [simulation.population] or read from a file)
shocks.py      the random numbers of one replication, drawn once and shared by both engines
               (with the city-wide and sector-year shocks, from their own streams)
assumptions.py keys given as distributions: parsed, checked, drawn per replication
uncertain.py   replications under drawn assumptions (a world per replication), at centre
sensitivity.py Sobol' sensitivity of the outlay to the assumptions (SALib)
agents.py      firm, cultivation-office, platform and bureau behaviour (Mesa agents)
model.py       the Mesa model: wiring and data collection (the readable reference)
kernel.py      the same dynamics vectorised over firms and replications (what Monte Carlo runs)
montecarlo.py  replications on all cores, seeds by SeedSequence per chunk
world.py       the world of a scenario (population, parameters, policy, readings)
summary.py     a Monte Carlo summarised (summary.json) and its tables
report.py      charts and the HTML page

Award amounts are never computed here: every payment comes from model/rules/jiaxing/.
"""
