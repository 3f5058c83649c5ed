"""autokg: a knowledge graph of automaker product lines."""
