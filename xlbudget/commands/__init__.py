"""One module per command of ``xlbudget``; each has ``add_parser(subparsers)`` and ``run(args) -> int``.

Exit codes, for people and programs alike: 0 done / no errors, 1 errors found
(check), 2 the input cannot be read (the message says what and where).
"""

COMMANDS = ("export", "check", "report", "new", "fill", "batch", "catalogue")
