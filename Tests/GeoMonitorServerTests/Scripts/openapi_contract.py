#!/usr/bin/env python3
"""Checks that the server's /api is a valid OpenAPI 3.0 document (openapi-spec-validator) and
that the server does what it promises: every path answers 200 with the media type it declares
and a body valid against its schema (openapi-schema-validator); every value a parameter's enum
lists is accepted; a parameter a path does not list, and an f it does not list, are refused
with 400 and a JSON exception. Prints one JSON object: {"checked": N, "failures": [...]}.

usage: openapi_contract.py BASE_URL FEATURE_IDS_JSON   (loopback only)"""
import json, sys, urllib.error, urllib.parse, urllib.request
from openapi_spec_validator import validate
from openapi_schema_validator import OAS30Validator

base, ids = sys.argv[1].rstrip("/"), json.loads(sys.argv[2])
assert urllib.parse.urlparse(base).hostname in ("127.0.0.1", "localhost"), "loopback only"
failures, checked = [], 0

def get(path):
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, headers={"Accept": "application/json"})) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()

status, ctype, body = get("/api")
doc = json.loads(body)
try:
    validate(doc)
except Exception as e:
    failures.append("not a valid OpenAPI document: %s" % str(e).split("\n")[0])

def deref(node):
    if isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        return deref(target)
    return node

def schema_with_components(schema):
    s = dict(schema)
    s["components"] = doc.get("components", {})
    return s

for path, item in doc["paths"].items():
    op = item["get"]
    concrete = path
    if "{featureId}" in path:
        coll = path.split("/")[2]
        concrete = path.replace("{featureId}", urllib.parse.quote(ids[coll], safe=""))
    status, ctype, body = get(concrete)
    checked += 1
    ok = deref(op["responses"]["200"])
    if status != 200:
        failures.append("%s: %d" % (concrete, status)); continue
    media = ctype.split(";")[0].strip()
    declared = {k.split(";")[0]: v for k, v in ok.get("content", {}).items()}
    if media not in declared:
        failures.append("%s: answered %s, /api declares %s" % (concrete, media, list(declared))); continue
    if media != "text/html":
        schema = deref(declared[media].get("schema", {}))
        errors = list(OAS30Validator(schema_with_components(schema)).iter_errors(json.loads(body)))
        if errors:
            failures.append("%s: body does not match its schema: %s" % (concrete, errors[0].message[:200]))
    params = [deref(p) for p in op.get("parameters", []) if deref(p)["in"] == "query"]
    names = {p["name"] for p in params}
    sep = "&" if "?" in concrete else "?"
    for p in params:
        enum = p["schema"].get("enum") or p["schema"].get("items", {}).get("enum") or []
        for v in enum:
            s, _, b = get(concrete + sep + urllib.parse.urlencode({p["name"]: v}))
            checked += 1
            # f=html on "/" answers the page; everything listed must be accepted.
            if s not in (200, 301):
                failures.append("%s %s=%s: %d %s" % (concrete, p["name"], v, s, b[:120]))
    s, ct, b = get(concrete + sep + "not_a_parameter=1")
    checked += 1
    if s != 400 or not ct.startswith("application/json") or "code" not in json.loads(b):
        failures.append("%s: an unlisted parameter answered %d" % (concrete, s))
    fs = next((p for p in params if p["name"] == "f"), None)
    if fs:
        for v in ("json", "geojson", "html", "xml"):
            if v in fs["schema"]["enum"]: continue
            s, _, _ = get(concrete + sep + "f=" + v)
            checked += 1
            if s != 400:
                failures.append("%s f=%s (not listed): %d" % (concrete, v, s))
print(json.dumps({"checked": checked, "failures": failures}))
