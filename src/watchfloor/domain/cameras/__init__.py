"""The camera asset registry: every camera the RTCC can use, where it looks, and who owns it."""
