"""Turn the OpenAPI document into plain lists for the server-rendered reference page."""

from __future__ import annotations

METHODS = ("get", "post", "put", "patch", "delete")


def type_of(schema: dict) -> str:
    """A short readable type: `string (date)`, `list of CaseOut`, `integer or null`."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " or ".join(type_of(s) for s in schema[key])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def _body(operation: dict) -> list[dict]:
    content = operation.get("requestBody", {}).get("content", {})
    bodies = []
    for media, spec in content.items():
        bodies.append({"media": media, "type": type_of(spec.get("schema", {}))})
    return bodies


def operations(document: dict) -> list[dict]:
    rows = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            rows.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "auth": bool(operation.get("security"))
                    and {} not in operation.get("security", []),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": type_of(p.get("schema", {})),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "bodies": _body(operation),
                    "responses": [
                        {
                            "status": status,
                            "description": spec.get("description", ""),
                            "types": [
                                type_of(c.get("schema", {}))
                                for c in spec.get("content", {}).values()
                            ],
                        }
                        for status, spec in operation.get("responses", {}).items()
                    ],
                }
            )
    return rows


def schemas(document: dict) -> list[dict]:
    rows = []
    for name, schema in sorted(
        document.get("components", {}).get("schemas", {}).items()
    ):
        required = set(schema.get("required", []))
        rows.append(
            {
                "name": name,
                "description": schema.get("description", ""),
                "fields": [
                    {
                        "name": field,
                        "type": type_of(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                    }
                    for field, spec in schema.get("properties", {}).items()
                ],
            }
        )
    return rows
