"""Validates custom resources against the OpenAPI v3 schemas of their CRDs.

    python3 tests/support/validate_crd.py CRD.yaml [CRD.yaml ...] -- OBJECTS.yaml

Strict, like kubectl's server-side field validation: an object field the schema
does not declare is an error (unless the schema preserves unknown fields).
CEL rules (x-kubernetes-validations) are not evaluated; the tests check the
few that matter themselves. Prints one line per object; exit status 0 when
every object is valid, 1 when one is not, 2 when an object has no CRD here.
jsonschema and PyYAML come with kubernetes-validate (scripts/setup.sh).
"""
import sys

import jsonschema
import yaml


def strict(schema):
    """The schema with additionalProperties: false wherever properties are declared."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items()}
    if ("properties" in out and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


def schemas(crd_files):
    found = {}
    for path in crd_files:
        with open(path) as f:
            for crd in yaml.safe_load_all(f):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                spec = crd["spec"]
                for version in spec["versions"]:
                    api = f"{spec['group']}/{version['name']}"
                    found[(api, spec["names"]["kind"])] = strict(version["schema"]["openAPIV3Schema"])
    return found


def main(argv):
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    known = schemas(argv[:split])
    status = 0
    for path in argv[split + 1:]:
        with open(path) as f:
            for obj in yaml.safe_load_all(f):
                if not obj:
                    continue
                name = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
                schema = known.get((obj.get("apiVersion"), obj.get("kind")))
                if schema is None:
                    print(f"{name}: no CRD for {obj.get('apiVersion')} {obj.get('kind')}")
                    status = max(status, 2)
                    continue
                errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(obj), key=lambda e: list(e.path))
                for e in errors:
                    where = ".".join(str(p) for p in e.path) or "(root)"
                    print(f"{name}: {where}: {e.message}")
                if errors:
                    status = max(status, 1)
                else:
                    print(f"{name}: valid")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
