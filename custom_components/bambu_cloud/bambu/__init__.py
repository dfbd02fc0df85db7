"""An asyncio client for Bambu Lab printers and the Bambu Lab cloud.

Independent of Home Assistant: it takes an ``aiohttp.ClientSession`` from its
caller, speaks MQTT through aiomqtt, and raises the errors in ``errors``.
"""
