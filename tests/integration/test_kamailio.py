"""Kamailio 5.6 with its stock rtpengine module reads rtcgated's replies (issue 11, point 9): rtpengine_query() fills
the module's mos_* variables from the per-SSRC quality section of rtcgated's query reply, for the whole call and
for each side named by its ng "label", exactly as it would from rtpengine's."""

import asyncio

import pytest

from kamailio import Kamailio, kamailio_binary
from ngclient import assert_ok
from test_transcoding import browser_calls_carrier, judge_tones, parties, wait_for_query

from bridged import media_of

pytestmark = pytest.mark.skipif(kamailio_binary() is None, reason="Debian's kamailio is not installed")

SAMPLED = 2  # reports per party before Kamailio asks: the first after 2.5 s, then every 5 s


def decimal(mos_times_ten):
    """How the module prints a MOS (avp_print_decimal)."""
    return f"{mos_times_ten // 10}.{mos_times_ten % 10}"


def expected(entries, created):
    """What the module makes of these SSRC entries: the mean of their averages, the lowest lowest, the highest
    highest (integer arithmetic, as the module's)."""
    averages = [entry["average MOS"] for entry in entries]
    lowest = min((entry["lowest MOS"] for entry in entries), key=lambda sample: sample["MOS"])
    highest = max((entry["highest MOS"] for entry in entries), key=lambda sample: sample["MOS"])

    def at(sample):
        seconds = sample["reported at"] - created
        return f"{seconds // 60}:{seconds % 60:02d}"

    return {
        "average": decimal(sum(a["MOS"] for a in averages) // len(averages)),
        "average_packetloss": str(sum(a["packet loss"] for a in averages) // len(averages)),
        "average_jitter": str(sum(a["jitter"] for a in averages) // len(averages)),
        "average_samples": str(sum(a["samples"] for a in averages) // len(averages)),
        "min": decimal(lowest["MOS"]),
        "min_at": at(lowest),
        "max": decimal(highest["MOS"]),
        "max_at": at(highest),
    }


def test_rtpengine_query_of_kamailio_reads_the_mos_of_a_transcoded_call(rtcgated, ng, tmp_path):
    call_id = "kamailio-mos"

    def sampled(query):
        entries = query.get("SSRC", {}).values()
        return len(entries) == 2 and all(entry["average MOS"]["samples"] >= SAMPLED for entry in entries)

    async def scenario(proxy):
        async with parties({"codec": "audio/opus"}, {"law": "PCMU"}) as (browser, carrier):
            await browser_calls_carrier(ng, call_id, browser, carrier, offer_keys={"label": "caller"},
                                        answer_keys={"label": "callee"})
            await judge_tones(browser, carrier)
            query = await wait_for_query(ng, call_id, sampled, timeout=15)
            assert sampled(query), query.get("SSRC")
            # The module's view, taken between two of rtcgated's own: a report in between changes the figures,
            # so it is asked again (each try is one SIP request, answered at once).
            for _ in range(3):
                before = assert_ok(ng("query", **{"call-id": call_id}))
                read = await asyncio.to_thread(proxy.query, call_id, "browser", "carrier", "caller", "callee")
                after = assert_ok(ng("query", **{"call-id": call_id}))
                if before["SSRC"] == after["SSRC"]:
                    return read, after
            raise AssertionError("rtcgated's figures changed during each of 3 queries")

    with Kamailio(tmp_path, rtcgated.ng_address) as proxy:
        read, query = asyncio.run(scenario(proxy))

    assert query["tags"]["browser"]["label"] == "caller" and query["tags"]["carrier"]["label"] == "callee"
    ssrc_of = {tag: str(media_of(query, tag)["streams"][0]["SSRC"]) for tag in ("browser", "carrier")}
    entries = query["SSRC"]
    assert set(entries) == set(ssrc_of.values()), (entries.keys(), ssrc_of)

    whole = expected(list(entries.values()), query["created"])
    for name, value in whole.items():
        assert read[f"mos_{name}"] == value, (name, read, whole)
    for side, tag in (("A", "browser"), ("B", "carrier")):
        for name, value in expected([entries[ssrc_of[tag]]], query["created"]).items():
            assert read[f"mos_{name}_{side}"] == value, (side, name, read)
    assert 3.0 <= float(read["mos_average"]) <= 4.5, read
