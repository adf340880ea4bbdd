"""Reading the model out of a document's grid: the interpreter of indicator tables, reports, rules acts, citations and notes, the agency registry."""
