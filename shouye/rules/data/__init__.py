"""Regulatory tables as data, each with the clause it comes from.

Rule functions take these as defaults; a caller may pass an edited copy where REGULATIONS.md marks a value
[P] or [U] (for example an enterprise's own risk matrix). The GB 18218-2018 tables are JSON
(``gb18218_2018.json``) so that the same file can seed a database table.
"""
