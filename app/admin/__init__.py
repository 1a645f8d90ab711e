"""Council administration: module switches, neighbourhoods and officers.
Used by a council's administrators."""
