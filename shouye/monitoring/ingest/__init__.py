"""`shouye ingest`: readings from the MQTT broker into the database, every reading evaluated against its point's
thresholds (issue 13, decision 0014). The wire format is in ``wire.py``; ``directory.py`` knows the points,
``writer.py`` writes a batch in one transaction, ``runner.py`` is the MQTT client and the batching loop that
acknowledges a message only after the transaction holding its readings committed."""
