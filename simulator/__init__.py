"""A fake Bambu world for the demo and the tests: certificates, broker, printers.

Not shipped with the integration. ``tls`` makes a CA and per-printer
certificates, ``broker`` runs Mosquitto with TLS and per-user topic rights,
``fake_printer`` answers requests the way printer firmware does.
"""
