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
}
BROWSER_CALLS_CARRIER_ANSWER = {"ICE": "force", "transport-protocol": "UDP/TLS/RTP/SAVPF"}

# Carrier calls browser: the offer goes to the browser, the answer back to the carrier.
CARRIER_CALLS_BROWSER_OFFER = {
    "ICE": "force",
    "DTLS": "passive",
    "SDES": ["off"],
    "transport-protocol": "UDP/TLS/RTP/SAVPF",
    "rtcp-mux": ["offer"],
}
CARRIER_CALLS_BROWSER_ANSWER = {"ICE": "remove", "DTLS": "off", "transport-protocol": "RTP/AVP", "rtcp-mux": ["demux"]}
