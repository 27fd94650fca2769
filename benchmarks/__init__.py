"""RepairDesk's benchmarks (``make bench``): figures against floors measured in the same run.

Never part of ``make test``; ``python -m benchmarks --help`` lists the options.
"""
