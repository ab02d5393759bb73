"""The ng flags of the well-known Kamailio WebRTC <-> SIP recipe, as Kamailio's rtpengine module sends them for
rtpengine_offer()/rtpengine_answer(): the browser side speaks ICE, DTLS-SRTP and rtcp-mux, the carrier plain RTP/AVP
with RTCP on port+1. The demo's server plays the proxy with them; the tests drive calls with the same flags."""

# Browser calls carrier: the offer goes to the carrier, the answer back to the browser.
BROWSER_CALLS_CARRIER_OFFER = {
    "ICE": "remove",
    "DTLS": "off",
    "SDES": ["off"],
    "transport-protocol": "RTP/AVP",
    "rtcp-mux": ["demux"],
    # The carrier sees G.711 and telephone-event/8000 only (rtpengine's mask: the browser may still send what it
    # offered, transcoded). A browser that offered PCMU too is passed through on it unless "always transcode".
    # telephone-event in transcode: a carrier that answers without it gets the browser's digits as tones.
    "codec": {"mask": ["all"], "transcode": ["PCMU", "PCMA", "telephone-event"]},
}
BROWSER_CALLS_CARRIER_ANSWER = {"ICE": "force", "transport-protocol": "UDP/TLS/RTP/SAVPF"}

# Carrier calls browser: the offer goes to the browser, the answer back to the carrier.
CARRIER_CALLS_BROWSER_OFFER = {
    "ICE": "force",
    "DTLS": "passive",
    "SDES": ["off"],
    "transport-protocol": "UDP/TLS/RTP/SAVPF",
    "rtcp-mux": ["offer"],
    # The browser is offered Opus first (with in-band FEC), then the carrier's own G.711 (transcode brings codecs
    # back, or adds them, in the order named), and telephone-event at 48000 and 8000: a carrier without it sends
    # its digits as tones, which rtcgated turns into events.
    "codec": {"mask": ["all"], "transcode": ["opus", "PCMU", "PCMA", "telephone-event"]},
}
CARRIER_CALLS_BROWSER_ANSWER = {"ICE": "remove", "DTLS": "off", "transport-protocol": "RTP/AVP", "rtcp-mux": ["demux"]}

# The variant for a browser that may take no telephone-event: it is offered the carrier's own codecs, and
# rtpengine's "accept" keeps the carrier's telephone-event whatever the browser answers; the line is then transcoded
# so that the carrier's events reach the browser as tones and the browser's tones reach the carrier as events.
CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER = {
    **{key: value for key, value in CARRIER_CALLS_BROWSER_OFFER.items() if key != "codec"},
    "codec": {"accept": ["telephone-event"]},
}
