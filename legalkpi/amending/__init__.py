"""Amending acts: read their instructions (:mod:`.read`) and apply them to an act's records (:mod:`.apply`).

An amending act ("О внесении изменений в постановление … № 1157" / "… № 1157 қаулысына
өзгерістер енгізу туралы") says in prose what to change in the act it amends: delete a row,
put a row in a new wording, replace figures or words in one column of one row, add rows,
parts or sections. :mod:`.read` turns each such sentence into an :class:`.read.Instruction`;
:mod:`.apply` applies them all to the base act's :class:`legalkpi.model.ActRecord`, or refuses
the whole amending act when any instruction cannot be read or does not fit the base act.
"""
