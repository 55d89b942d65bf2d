"""Rule data for the extractor: gazetteers and patterns as JSON."""
