"""What the tests of bridged browser <-> carrier calls share: the carrier simulator and the recipe's ng flags from
demo/, the two parties' tones, and where query keeps a party's media."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for demo/
from demo.carrier import Carrier  # noqa: E402,F401
from demo.recipe import (  # noqa: E402,F401
    BROWSER_CALLS_CARRIER_ANSWER,
    BROWSER_CALLS_CARRIER_OFFER,
    CARRIER_CALLS_BROWSER_ACCEPT_EVENTS_OFFER,
    CARRIER_CALLS_BROWSER_ANSWER,
    CARRIER_CALLS_BROWSER_OFFER,
)

RATE = 8000  # the carrier's G.711
BROWSER_HZ = 700.0
CARRIER_HZ = 1300.0
SECONDS = 1.5  # of audio each way before the tones are judged


def media_of(query, tag):
    """The first media line of the party `tag` in a query reply."""
    return query["tags"][tag]["medias"][0]
