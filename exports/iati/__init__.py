"""IATI 2.03 publication: the activity and organisation files written from the ledger the CRS uses."""
