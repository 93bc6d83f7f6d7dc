"""The content model in plain Python: registries, records, letters' labels."""
