"""Built-in import mappings: each ``<name>.json`` here is a preset ``load_mapping(name)`` finds."""
