"""The rtcgate demo: a browser-to-carrier call through the daemon, and the parties it is made of."""
