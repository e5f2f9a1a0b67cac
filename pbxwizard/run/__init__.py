"""A run: from the inputs to a plan of every file, and carrying that plan out."""
