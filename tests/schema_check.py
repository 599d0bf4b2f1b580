#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Validate JSON records against tools/osprey.schema.json.

    schema_check.py [--kind event|lookup|stats|any] [FILE...]

Each non-empty line of the files (stdin when none) is one record.  An
event is checked against its module's block (mod_*, found by its "mod";
every block is one of event.oneOf's alternatives), the others against
their definitions.
Prints "N records valid" and exits 0, or prints the first errors (line,
path in the record, message) and exits 1.  Uses Debian's
python3-jsonschema (draft 2020-12).
"""
import argparse
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "tools", "osprey.schema.json")


def module_blocks(schema):
    """mod value -> name of the $defs block that lists its fields; each
    block must be one of the event's alternatives."""
    blocks = {}
    listed = {alt["$ref"] for alt in schema["$defs"]["event"]["oneOf"]}
    for name, block in schema["$defs"].items():
        if name.startswith("mod_"):
            if "#/$defs/" + name not in listed:
                sys.exit("schema: %s is not in event.oneOf" % name)
            for mod in block["properties"]["mod"]["enum"]:
                blocks[mod] = name
    return blocks


_validators = {}


def validator(schema, ref):
    if ref in _validators:
        return _validators[ref]
    sub = {"$ref": "#/$defs/" + ref} if ref != "any" else {"$ref": "#"}
    sub["$defs"] = schema["$defs"]
    cls = jsonschema.Draft202012Validator
    resolver = jsonschema.RefResolver.from_schema(schema)
    v = cls(sub, resolver=resolver, format_checker=jsonschema.FormatChecker())
    _validators[ref] = v
    return v


def check_line(schema, blocks, kind, rec):
    """Error messages for one record ([] if valid)."""
    refs = [kind]
    if kind == "event":
        mod = rec.get("mod") if isinstance(rec, dict) else None
        if mod not in blocks:
            return ["mod %r is in no mod_* block of the schema" % (mod,)]
        refs = [blocks[mod]]
    errs = []
    for ref in refs:
        for e in validator(schema, ref).iter_errors(rec):
            path = "/".join(str(p) for p in e.absolute_path) or "(top)"
            errs.append("%s: %s [%s]" % (path, e.message, ref))
        if errs:
            break
    return errs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kind", default="event",
                    choices=["event", "lookup", "stats", "any"])
    ap.add_argument("--schema", default=SCHEMA)
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    with open(a.schema) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    blocks = module_blocks(schema)
    n = bad = 0
    for name in a.files or ["-"]:
        f = sys.stdin if name == "-" else open(name, encoding="utf-8")
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            n += 1
            try:
                rec = json.loads(line)
            except ValueError as e:
                errs = ["not JSON: %s" % e]
            else:
                errs = check_line(schema, blocks, a.kind, rec)
            for e in errs[:3]:
                print("%s:%d: %s" % (name, lineno, e))
            bad += bool(errs)
            if bad >= 5:
                print("(stopping after 5 bad records)")
                return 1
    if bad:
        return 1
    if not n:
        print("no records")
        return 1
    print("%d records valid" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
