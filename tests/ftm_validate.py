"""Checks a FollowTheMoney JSON lines file with the `followthemoney` library, for tests/it/ftm_interop.rs.

Reads the file (argv[1]) and parses every line as an entity of FtM's model, uncleaned, so
that each value is checked by FtM's own property types (dates, phone numbers, topics, entity
references). Prints, as JSON: how many entities of each schema were read, and every problem:
a line that is not an entity, an unknown schema or property, a value FtM's type refuses, a
required property missing, or a reference to an entity the file does not hold. Exits 0 either
way; the Rust test asserts on the problems.
"""

import json
import sys

from followthemoney import model
from followthemoney.exc import InvalidData


def main() -> None:
    schemas: dict[str, int] = {}
    problems: list[str] = []
    ids: set[str] = set()
    references: list[tuple[int, str, str]] = []
    with open(sys.argv[1], encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                data = json.loads(line)
                schema = model.get(data["schema"])
                if schema is None:
                    problems.append(f"line {number}: unknown schema {data['schema']!r}")
                    continue
                proxy = model.get_proxy(data, cleaned=False)
            except (InvalidData, KeyError, ValueError) as error:
                problems.append(f"line {number}: {error}")
                continue
            schemas[schema.name] = schemas.get(schema.name, 0) + 1
            ids.add(proxy.id)
            for name, values in data.get("properties", {}).items():
                prop = schema.get(name)
                if prop is None:
                    problems.append(f"line {number}: {schema.name} has no property {name!r}")
                    continue
                for value in values:
                    if prop.type.clean(value, proxy=proxy) is None:
                        problems.append(
                            f"line {number}: {schema.name}.{name} refuses a value ({prop.type.name})"
                        )
                    if prop.type.name == "entity":
                        references.append((number, f"{schema.name}.{name}", value))
            for prop in schema.required:
                if not proxy.get(prop):
                    problems.append(f"line {number}: {schema.name} lacks required {prop}")
    for number, where, target in references:
        if target not in ids:
            problems.append(f"line {number}: {where} names {target}, not in the file")
    print(json.dumps({"schemas": schemas, "problems": problems}))


if __name__ == "__main__":
    main()
