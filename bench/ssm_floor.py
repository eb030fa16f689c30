"""The floor for fetching an SSM path: the emulator answering GetParametersByPath page after
page, timed inside one process (no interpreter or client start-up). Two ways:

  raw    one kept-alive HTTP connection, unsigned (moto does not check signatures): the server alone
  boto3  a real signed client (what the AWS CLI uses), after it is built: the server plus signing

    ssm_floor.py raw|boto3 ENDPOINT PATH   → prints: seconds pages parameters"""
import http.client
import json
import sys
import time
from urllib.parse import urlparse

mode, endpoint, path = sys.argv[1:4]


def raw_pages():
    url = urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AmazonSSM.GetParametersByPath",
        "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ssm/aws4_request, "
        "SignedHeaders=host, Signature=0",
    }
    token = None
    while True:
        body = {"Path": path, "Recursive": True, "WithDecryption": True, "MaxResults": 10}
        if token:
            body["NextToken"] = token
        conn.request("POST", "/", json.dumps(body), headers)
        reply = json.loads(conn.getresponse().read())
        yield len(reply.get("Parameters", []))
        token = reply.get("NextToken")
        if not token:
            return


def boto3_pages(client):
    kwargs = {"Path": path, "Recursive": True, "WithDecryption": True, "MaxResults": 10}
    while True:
        reply = client.get_parameters_by_path(**kwargs)
        yield len(reply["Parameters"])
        if not reply.get("NextToken"):
            return
        kwargs["NextToken"] = reply["NextToken"]


if mode == "boto3":
    import boto3

    client = boto3.client("ssm", endpoint_url=endpoint)
    pages = boto3_pages(client)
else:
    pages = raw_pages()
start = time.perf_counter()
counts = list(pages)
print(f"{time.perf_counter() - start:.4f} {len(counts)} {sum(counts)}")
