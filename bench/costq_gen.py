"""Generate a legacy CUR export for benchmarks: the 94 columns of the real sample in
../shared/data/cost, three resourceTags columns, two billing periods, and the quirks real exports
carry (descriptions with quoted commas and newlines, empty costs, scientific notation, negative
credits and refunds, tax lines, tag values with spaces, commas and quotes). Deterministic: the
same arguments give the same bytes.

    costq_gen.py OUT.csv ROWS [--parquet OUT.parquet]

The Parquet file is the same data as AWS writes legacy CUR Parquet: snake_case columns
(line_item_unblended_cost, resource_tags_user_env), costs as DOUBLE, dates as TIMESTAMP."""
import re
import sys
from pathlib import Path

import duckdb

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "cost" / "cur-legacy-sample.csv"

SERVICES = [
    ("Amazon Elastic Compute Cloud", "AmazonEC2"), ("Amazon Simple Storage Service", "AmazonS3"),
    ("Amazon Relational Database Service", "AmazonRDS"), ("AWS Lambda", "AWSLambda"),
    ("Amazon CloudFront", "AmazonCloudFront"), ("Amazon DynamoDB", "AmazonDynamoDB"),
    ("Elastic Load Balancing", "AWSELB"), ("Amazon Virtual Private Cloud", "AmazonVPC"),
    ("AmazonCloudWatch", "AmazonCloudWatch"), ("AWS Key Management Service", "awskms"),
    ("Amazon Simple Queue Service", "AWSQueueService"), ("Amazon Simple Notification Service", "AmazonSNS"),
    ("AWS Glue", "AWSGlue"), ("Amazon Elastic Container Service", "AmazonECS"),
    ("Amazon Elastic Kubernetes Service", "AmazonEKS"), ("Amazon ElastiCache", "AmazonElastiCache"),
    ("Amazon Route 53", "AmazonRoute53"), ("AWS Secrets Manager", "AWSSecretsManager"),
    ("Amazon Athena", "AmazonAthena"), ("Amazon Kinesis", "AmazonKinesis"),
    ("AWS Step Functions", "AmazonStates"), ("Amazon OpenSearch Service", "AmazonES"),
    ("Amazon Elastic File System", "AmazonEFS"), ("AWS Backup", "AWSBackup"),
    ("Amazon API Gateway", "AmazonApiGateway"), ("AWS Config", "AWSConfig"),
    ("AWS CloudTrail", "AWSCloudTrail"), ("Amazon GuardDuty", "AmazonGuardDuty"),
    ("AWS Data Transfer", "AWSDataTransfer"), ("Amazon Redshift", "AmazonRedshift"),
]
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ca-central-1"]
ENVS = ["prod", "staging", "dev", "demo-42", "qa east", ""]
TEAMS = ["platform, core", 'data "lake"', "web team", "payments", "search", ""]


def sql_list(values):
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def snake(name):
    """How AWS names a legacy CUR column in Parquet and Athena."""
    name = name.replace("/", "_").replace(":", "_")
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    parquet = sys.argv[sys.argv.index("--parquet") + 1] if "--parquet" in sys.argv else None
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"CREATE TABLE tmpl AS SELECT (row_number() OVER () - 1)::BIGINT AS rn, * FROM read_csv('{SAMPLE}', all_varchar = true, header = true)")
    columns = [d[0] for d in con.execute("SELECT * FROM tmpl LIMIT 0").description][1:]
    n = con.execute("SELECT count(*) FROM tmpl").fetchone()[0]

    def h(k):
        return f"hash(g.i * 7919 + {k})"

    def u(k):
        return f"(({h(k)} % 1000000)::DOUBLE / 1000000.0)"

    svc = f"(1 + floor({len(SERVICES)} * pow({u(4)}, 2))::INT)"
    kind = f"(CASE WHEN {u(5)} < 0.015 THEN 'Credit' WHEN {u(5)} < 0.022 THEN 'Refund' WHEN {u(5)} < 0.06 THEN 'Tax' ELSE 'Usage' END)"
    magnitude = f"({u(6)} * pow(10, ({h(7)} % 6)::INT - 3))"
    signed = f"(CASE WHEN {kind} IN ('Credit', 'Refund') THEN -{magnitude} ELSE {magnitude} END)"
    cost = (f"(CASE WHEN {u(8)} < 0.01 THEN '' WHEN {u(8)} < 0.03 THEN printf('%.4E', {signed}) "
            f"ELSE printf('%.10f', {signed}) END)")
    day = f"(DATE '2026-09-01' + ({h(1)} % 61)::INT)"
    start = f"({day} + INTERVAL (({h(2)} % 24)::INT) HOUR)"
    period_start = f"date_trunc('month', {day})"
    description = (
        f"(CASE WHEN {kind} = 'Credit' THEN 'AWS Credits, promotional (\"startup\")' "
        f"WHEN {kind} = 'Refund' THEN 'Refund for an outage, as agreed' "
        f"WHEN {kind} = 'Tax' THEN 'Tax for product code ' || list_extract({sql_list([s[1] for s in SERVICES])}, {svc}) "
        f"WHEN {u(9)} < 0.01 THEN 'Usage of ' || list_extract({sql_list([s[0] for s in SERVICES])}, {svc}) || chr(10) || 'continued, on a second line' "
        f"ELSE '$0.023 per GB-month, first 50 TB / month of storage used' END)"
    )
    overrides = {
        "identity/LineItemId": f"printf('%016x%016x', {h(11)}, {h(12)})",
        "identity/TimeInterval": f"strftime({start}, '%Y-%m-%dT%H:00:00Z') || '/' || strftime({start} + INTERVAL 1 HOUR, '%Y-%m-%dT%H:00:00Z')",
        "bill/BillingPeriodStartDate": f"strftime({period_start}, '%Y-%m-%dT00:00:00.000Z')",
        "bill/BillingPeriodEndDate": f"strftime({period_start} + INTERVAL 1 MONTH, '%Y-%m-%dT00:00:00.000Z')",
        "lineItem/UsageAccountId": f"printf('%012d', 100000000000 + ({h(3)} % 12) * 1111111)",
        "lineItem/LineItemType": kind,
        "lineItem/UsageStartDate": f"strftime({start}, '%Y-%m-%dT%H:00:00.000Z')",
        "lineItem/UsageEndDate": f"strftime({start} + INTERVAL 1 HOUR, '%Y-%m-%dT%H:00:00.000Z')",
        "lineItem/ProductCode": f"list_extract({sql_list([s[1] for s in SERVICES])}, {svc})",
        "lineItem/UsageType": f"'USE1-' || list_extract({sql_list([s[1] for s in SERVICES])}, {svc}) || '-Usage' || ({h(13)} % 7)::VARCHAR",
        "lineItem/Operation": f"'Op' || ({h(14)} % 9)::VARCHAR",
        "lineItem/UnblendedCost": cost,
        "lineItem/BlendedCost": cost,
        "lineItem/LineItemDescription": description,
        "product/ProductName": f"list_extract({sql_list([s[0] for s in SERVICES])}, {svc})",
        "product/region": f"list_extract({sql_list(REGIONS)}, 1 + ({h(15)} % {len(REGIONS)})::INT)",
        "product/regionCode": f"list_extract({sql_list(REGIONS)}, 1 + ({h(15)} % {len(REGIONS)})::INT)",
    }
    select = [f'{overrides.get(c, "t." + chr(34) + c + chr(34))} AS "{c}"' for c in columns]
    select.append(f"list_extract({sql_list(ENVS)}, 1 + ({h(21)} % {len(ENVS)})::INT) AS \"resourceTags/user:env\"")
    select.append(f"list_extract({sql_list(TEAMS)}, 1 + ({h(22)} % {len(TEAMS)})::INT) AS \"resourceTags/user:team\"")
    select.append(f"'web-' || ({h(23)} % 500)::VARCHAR AS \"resourceTags/user:Name\"")
    query = f"SELECT {', '.join(select)} FROM range({rows}) g(i) JOIN tmpl t ON t.rn = g.i % {n} ORDER BY g.i"
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',', QUOTE '\"')")
    if parquet:
        typed = []
        for c in columns + ["resourceTags/user:env", "resourceTags/user:team", "resourceTags/user:Name"]:
            name = snake(c)
            if c.endswith("Cost") or c.endswith("Rate") or c.endswith("Amount"):
                typed.append(f'TRY_CAST(NULLIF("{c}", \'\') AS DOUBLE) AS "{name}"')
            elif c.endswith("Date"):
                typed.append(f'TRY_CAST(NULLIF("{c}", \'\') AS TIMESTAMP) AS "{name}"')
            else:
                typed.append(f'"{c}" AS "{name}"')
        con.execute(f"COPY (SELECT {', '.join(typed)} FROM read_csv('{out}', all_varchar = true, header = true)) TO '{parquet}' (FORMAT parquet, COMPRESSION snappy)")


main()
