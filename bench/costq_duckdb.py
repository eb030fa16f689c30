"""DuckDB doing costq's work on a legacy CUR export, for bench/costq.sh: group the line items'
unblended cost by a dimension, summed in exact decimals, and print the groups.

    costq_duckdb.py FILE service|tag:env          run the query in DuckDB's Python module
    costq_duckdb.py FILE service|tag:env --sql    print it as a script for DuckDB's CLI

FILE is a CSV (plain or gzip: read as text, as costq reads it) or a Parquet file (AWS's legacy CUR
Parquet naming)."""
import sys

import duckdb

path, dim = sys.argv[1], sys.argv[2]
if path.endswith(".parquet"):
    source = f"read_parquet('{path}')"
    cost = "line_item_unblended_cost"
    column = {"service": "COALESCE(NULLIF(product_product_name, ''), line_item_product_code)", "tag:env": "resource_tags_user_env"}[dim]
else:
    source = f"read_csv('{path}', all_varchar = true, header = true)"
    cost = '"lineItem/UnblendedCost"'
    column = {"service": 'COALESCE(NULLIF("product/ProductName", \'\'), "lineItem/ProductCode")', "tag:env": '"resourceTags/user:env"'}[dim]
sql = (
    f"SELECT COALESCE({column}, '') AS g, CAST(SUM(CAST(NULLIF({cost}, '') AS DECIMAL(38, 10))) AS VARCHAR) FROM {source} GROUP BY 1 ORDER BY 1"
    if not path.endswith(".parquet")
    else f"SELECT COALESCE({column}, '') AS g, CAST(SUM(CAST({cost} AS DECIMAL(38, 10))) AS VARCHAR) FROM {source} GROUP BY 1 ORDER BY 1"
)
if "--sql" in sys.argv:
    print(".mode tabs\n.headers off")
    print(sql + ";")
    sys.exit(0)
for group, total in duckdb.connect().execute(sql).fetchall():
    print(f"{group}\t{total}")
