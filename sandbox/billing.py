"""The sandbox's billing: three months of a FOCUS 1.0 export (CSV.gz, one file a month, AWS's
folder layout) and the Cost Explorer answers for the same months by service, so both of costq's
sources tell the same story. Deterministic for a given day.

    billing.py OUT_DIR TODAY        (TODAY as YYYY-MM-DD, UTC)

Writes OUT_DIR/focus/billing_period=YYYY-MM/casetracker-00001.csv.gz and OUT_DIR/ce.json, a
list of GetCostAndUsage answers in the order `costq --month`, `--last-month`, and the month
before that ask for them (moto answers Cost Explorer requests from such a queue)."""
import csv
import datetime as dt
import gzip
import io
import json
import random
import sys
from decimal import Decimal
from pathlib import Path

HEADER = ["AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
          "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
          "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory",
          "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountStatus", "CommitmentDiscountType",
          "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost",
          "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory", "PricingQuantity", "PricingUnit",
          "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType",
          "ServiceCategory", "Id", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags"]

ACCOUNT = "123456789012"
# (service, category, daily cost in prod; dev and staging run smaller copies). Far enough apart
# that the jitter never reorders them, so the tour shows the same table every day.
SERVICES = [
    ("Amazon Relational Database Service", "Databases", Decimal("41.50")),
    ("Amazon Elastic Compute Cloud", "Compute", Decimal("33.20")),
    ("Amazon Simple Storage Service", "Storage", Decimal("6.10")),
    ("Elastic Load Balancing", "Networking", Decimal("3.40")),
    ("Amazon CloudWatch", "Management and Governance", Decimal("2.25")),
    ("Amazon Simple Email Service", "Business Applications", Decimal("0.85")),
    ("AWS Key Management Service", "Security", Decimal("0.40")),
]
ENVS = [("prod", Decimal("1")), ("staging", Decimal("0.35")), ("dev", Decimal("0.2")), ("demo-42", Decimal("0.1"))]


def months(today):
    first = today.replace(day=1)
    out = [first]
    for _ in range(2):
        out.append((out[-1] - dt.timedelta(days=1)).replace(day=1))
    return out  # this month, last month, the month before


def month_end(first):
    return (first + dt.timedelta(days=32)).replace(day=1)


def main(out_dir, today):
    rng = random.Random(today.isoformat())
    totals = {}  # month -> service -> Decimal
    for first in months(today):
        end = min(month_end(first), today + dt.timedelta(days=1))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(HEADER)
        day, n = first, 0
        sums = totals.setdefault(first, {})
        while day < end:
            growth = Decimal(1) + Decimal((day - first).days) / Decimal(200)
            for service, category, base in SERVICES:
                for env, share in ENVS:
                    if env == "demo-42" and first != months(today)[0]:
                        continue  # the demo environment is new this month
                    jitter = Decimal(rng.randint(970, 1030)) / Decimal(1000)
                    cost = (base * share * growth * jitter).quantize(Decimal("0.0000000001"))
                    n += 1
                    row = dict.fromkeys(HEADER, "")
                    row.update({
                        "BilledCost": cost, "EffectiveCost": cost, "ListCost": cost, "ContractedCost": cost,
                        "BillingAccountId": ACCOUNT, "BillingAccountName": "Casetracker",
                        "BillingCurrency": "USD", "BillingPeriodStart": f"{first} 00:00:00",
                        "BillingPeriodEnd": f"{month_end(first)} 00:00:00", "ChargeCategory": "Usage",
                        "ChargeDescription": f"{service} usage, {env}", "ChargeFrequency": "Usage-Based",
                        "ChargePeriodStart": f"{day} 00:00:00",
                        "ChargePeriodEnd": f"{day + dt.timedelta(days=1)} 00:00:00",
                        "InvoiceIssuerName": "Amazon Web Services, Inc.", "ProviderName": "AWS",
                        "PublisherName": "Amazon Web Services, Inc.", "RegionId": "us-east-1",
                        "RegionName": "US East (N. Virginia)", "ServiceCategory": category, "Id": f"{first}-{n}",
                        "ServiceName": service, "SubAccountId": ACCOUNT, "SubAccountName": "casetracker",
                        "Tags": json.dumps({"app": "casetracker", "env": env}),
                    })
                    w.writerow([row[h] for h in HEADER])
                    sums[service] = sums.get(service, Decimal(0)) + cost
            day += dt.timedelta(days=1)
        if first != months(today)[0]:
            # A credit, as AWS books it: a negative line on the service it applies to.
            credit = Decimal("-25.0000000000")
            row = dict.fromkeys(HEADER, "")
            row.update({"BilledCost": credit, "EffectiveCost": credit, "BillingAccountId": ACCOUNT,
                        "BillingCurrency": "USD", "ChargeCategory": "Credit",
                        "ChargeDescription": "AWS Activate credit", "ChargePeriodStart": f"{first} 00:00:00",
                        "ChargePeriodEnd": f"{month_end(first)} 00:00:00", "ProviderName": "AWS",
                        "ServiceName": SERVICES[1][0], "SubAccountId": ACCOUNT, "Id": f"{first}-credit",
                        "Tags": json.dumps({"app": "casetracker", "env": "prod"})})
            w.writerow([row[h] for h in HEADER])
            sums[SERVICES[1][0]] += credit
        path = Path(out_dir) / "focus" / f"billing_period={first:%Y-%m}" / "casetracker-00001.csv.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())

    answers = []
    this_month = months(today)[0]
    for first in months(today):
        end = today + dt.timedelta(days=1) if first == this_month else month_end(first)
        groups = [{"Keys": [s], "Metrics": {"UnblendedCost": {"Amount": str(a), "Unit": "USD"}}}
                  for s, a in sorted(totals[first].items(), key=lambda kv: -kv[1])]
        answers.append({"ResultsByTime": [{"TimePeriod": {"Start": str(first), "End": str(end)}, "Total": {},
                                           "Groups": groups, "Estimated": first == this_month}],
                        "DimensionValueAttributes": []})
    (Path(out_dir) / "ce.json").write_text(json.dumps(answers, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], dt.date.fromisoformat(sys.argv[2]))
