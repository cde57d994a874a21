"""kubectl's printers: tables, YAML/JSON/name, jsonpath and custom columns, describe."""
