"""What every door and the builder must agree on: sheets, headers, formats and tables (pure: imports only addin.core)."""
