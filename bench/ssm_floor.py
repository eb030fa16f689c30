"""The floor for fetching an SSM path: the emulator answering GetParametersByPath page after
page over one kept-alive connection, timed inside the process (no interpreter start-up, no
signing: moto does not check signatures). Prints seconds and the number of pages."""
import http.client
import json
import sys
import time
from urllib.parse import urlparse

endpoint, path = sys.argv[1], sys.argv[2]
url = urlparse(endpoint)
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "AmazonSSM.GetParametersByPath",
    "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0",
}
start = time.perf_counter()
token, pages, count = None, 0, 0
while True:
    body = {"Path": path, "Recursive": True, "WithDecryption": True, "MaxResults": 10}
    if token:
        body["NextToken"] = token
    conn.request("POST", "/", json.dumps(body), headers)
    reply = json.loads(conn.getresponse().read())
    pages += 1
    count += len(reply.get("Parameters", []))
    token = reply.get("NextToken")
    if not token:
        break
print(f"{time.perf_counter() - start:.4f} {pages} {count}")
