#!/usr/bin/env python3
"""validate_json.py - JSON files checked against a committed JSON Schema (Draft 2020-12) with
python3-jsonschema: what the tests run on every JSON file the harness writes.

  validate_json.py SCHEMA FILE...                        every FILE must be valid
  validate_json.py --expect-invalid[=PTR] SCHEMA FILE... every FILE must be rejected (at the
                                                         JSON pointer PTR when given)

The files are read as strictly as the harness's reader reads them (RFC 8259: no NaN or
Infinity, no member named twice). Each rejection is one line, "FILE: /json/pointer: why".
Exit 0 when every file came out as expected, 1 when one did not, 2 on a usage error, a file
that cannot be read or parsed, or a schema that is not a valid Draft 2020-12 schema, and 77
(ctest's skip code here) when jsonschema cannot be imported, saying so.
"""
import json
import sys

SKIP = 77


def strict_object(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"member {key!r} named twice")
        obj[key] = value
    return obj


def no_constant(name):
    raise ValueError(f"{name} is not JSON")


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"), object_pairs_hook=strict_object,
                          parse_constant=no_constant)


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def main(argv):
    expect_valid, expect_at = True, None
    if argv and argv[0].startswith("--expect-invalid"):
        expect_valid = False
        if argv[0].startswith("--expect-invalid="):
            expect_at = argv[0][len("--expect-invalid="):]
        elif argv[0] != "--expect-invalid":
            argv = []
        argv = argv[1:]
    if len(argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError as e:
        print(f"SKIP: python3-jsonschema is not available to {sys.executable} ({e})")
        return SKIP
    try:
        schema = load(argv[0])
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.exceptions.SchemaError) as e:
        print(f"{argv[0]}: not a usable Draft 2020-12 schema: {e}", file=sys.stderr)
        return 2
    if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        print(f"{argv[0]}: does not declare Draft 2020-12", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    rc = 0
    for path in argv[1:]:
        try:
            doc = load(path)
        except (OSError, ValueError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if expect_valid:
            for e in errors[:5]:
                print(f"{path}: {pointer(e.absolute_path) or '/'}: {e.message[:300]}",
                      file=sys.stderr)
            if errors:
                rc = 1
        elif errors:
            at = [e for e in errors if expect_at is None or pointer(e.absolute_path) == expect_at]
            if at:
                print(f"{path}: rejected as expected: {pointer(at[0].absolute_path) or '/'}: "
                      f"{at[0].message[:300]}")
            else:
                print(f"{path}: rejected, but not at {expect_at}: "
                      + "; ".join(f"{pointer(e.absolute_path)}: {e.message[:200]}"
                                  for e in errors[:3]), file=sys.stderr)
                rc = 1
        else:
            print(f"{path}: accepted, but it breaks the schema", file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
