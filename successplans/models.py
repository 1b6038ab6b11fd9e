"""Success plans and their children (built by the success plans issue)."""
