"""Normalise groups and totals to compare costq with DuckDB, to the cent, for bench/costq.sh.

    costq ... -o tsv | costq_groups.py costq
    costq_duckdb.py ... | costq_groups.py duckdb"""
import csv
import decimal
import sys

cent = decimal.Decimal("0.01")
if sys.argv[1] == "costq":
    rows = list(csv.DictReader(sys.stdin, delimiter="\t"))
    key = next(k for k in rows[0] if k.startswith("group."))
    pairs = [(r[key], r["amount"]) for r in rows]
else:
    pairs = [line.rstrip("\n").split("\t") for line in sys.stdin]
for group, total in sorted(pairs):
    print(f"{group}\t{decimal.Decimal(total).quantize(cent)}")
