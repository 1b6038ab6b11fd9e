"""Success cases and their playbook (built by the success case playbook issue)."""
