#!/usr/bin/env python3
"""Validates ptcbench --json documents against docs/json-schema.json.

Usage: check_json.py SCHEMA DOCUMENT...   exit 0 when all are valid, 1 naming the first that is
not (with the path inside it), 77 when python3-jsonschema is not installed.
"""

import json
import sys

try:
    import jsonschema
except ImportError:
    print("check_json: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"{path}: /{where}: {error.message}", file=sys.stderr)
        sys.exit(1)
