"""A fake Bambu world for the demo and the tests: certificates, broker, printers.

Not shipped with the integration. ``tls`` makes a CA and per-printer
certificates, ``broker`` runs Mosquitto with TLS and per-user topic rights,
``fake_printer`` answers requests the way printer firmware does.

The simulator keeps its own protocol logic on purpose: a fake that shared the
library's parsing, detection or command building would agree with the
library's bugs instead of catching them. It borrows only the library's printer
catalog (the table of model facts) and never its logic; ``tests/simulator/
test_independence.py`` holds it to that.
"""
