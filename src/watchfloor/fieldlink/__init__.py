"""The field link: a TAK-compatible server and the bridge between field devices and Watchfloor."""
