"""The wizard's state, one small object per step; free of Textual so it can be tested alone."""
