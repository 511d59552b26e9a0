"""The bundled rule files; installed as the data package ``tinyarms_lint.bundled_rules``."""
