"""Council modules that live in their own packages (see ARCHITECTURE §2)."""
