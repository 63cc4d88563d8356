"""The Jiaxing reward schedule applied to a scenario's files (DESIGN.md `awards/`).

compute.py   read the firm, recognition and platform files; every award earned and every payment
payments.py  the payments table, each payment explained in words (payments.csv)
summary.py   the totals by pay year, award and revenue year (summary.json)

The amounts come from the rules engine, model/rules/jiaxing/; nothing here writes files.
"""
