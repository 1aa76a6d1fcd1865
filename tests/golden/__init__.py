"""Golden files: small processed outputs kept in the repository and compared part by part."""
