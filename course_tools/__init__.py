"""Instructor-side tools for the RNN course kit: reference solutions, check data, grading runs."""
