"""Templates -> structured drafts."""
