// The rtcgate demo page: one audio call between this browser and the demo's carrier, through rtcgated.
// Signaling is non-trickle: an offer or answer is sent once ICE gathering is complete.
//
// URL parameters (for the browser tests): ?auto=call or ?auto=incoming runs one call by itself; it stays up
// `seconds` (default 4) after it connected while the received audio is recorded, then the page POSTs a report
// to /report and hangs up. With dtmf=DIGITS (dtmfDuration and dtmfGap in ms, default 100 and 70), it then sends
// those digits with insertDTMF once audio flows, waits until they are all played, and reports the tonechange events.
// With noEvents=1 the page answers an incoming call without telephone-event (as a client that takes none).
"use strict";

const params = new URLSearchParams(location.search);
const auto = params.get("auto");
const autoSeconds = Number(params.get("seconds") || 4);
const autoDtmf = params.get("dtmf") || "";
const autoDtmfDuration = Number(params.get("dtmfDuration") || 100);
const autoDtmfGap = Number(params.get("dtmfGap") || 70);
const answerWithoutEvents = params.get("noEvents") === "1";
const DIAL_PAD_DURATION_MS = 100;
const DIAL_PAD_GAP_MS = 70;
const DTMF_SETTLE_MS = 500; // after the last tone: its end packets on their way through rtcgated to the carrier
const GATHERING_TIMEOUT_MS = 5000;
const CONNECT_TIMEOUT_MS = 15000;
const STATE_POLL_MS = 1000;

const $ = (id) => document.getElementById(id);
const remoteAudio = $("remote");

let pc = null;
let localStream = null;
let callId = null;
let statePoller = null;
let connectionHistory = [];
let gatewaySdp = null; // the SDP rtcgated returned, as the page got it (kept for a report when Chromium rejects it)
let toneChanges = []; // the audio sender's tonechange events of this call: {tone, ms}

function log(text) {
    const line = `${new Date().toISOString().slice(11, 23)} ${text}\n`;
    $("log").textContent += line;
    $("log").scrollTop = $("log").scrollHeight;
    console.log(text);
}

function setStatus(text) {
    $("status").textContent = text;
}

function setInCall(inCall) {
    $("call").disabled = inCall;
    $("incoming").disabled = inCall;
    $("hangup").disabled = !inCall;
    document.querySelectorAll("#dialpad button").forEach((button) => (button.disabled = !inCall));
}

function setCell(id, text, good) {
    const cell = $(id);
    cell.textContent = text === undefined || text === null || text === "" ? "\u2013" : String(text);
    cell.className = good === undefined ? "" : good ? "good" : "bad";
}

async function post(path, body) {
    const response = await fetch(path, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body || {}),
    });
    if (!response.ok) {
        throw new Error(`${path}: HTTP ${response.status}: ${await response.text()}`);
    }
    return response.json();
}

// --- the peer connection ---------------------------------------------------------------------------------------

async function microphone() {
    // The tests feed a tone from a file as the microphone: no echo cancellation, noise suppression or gain
    // control may reshape it. A person talking keeps the browser's defaults (echo cancellation matters here:
    // the carrier echoes).
    const audio = auto ? {echoCancellation: false, noiseSuppression: false, autoGainControl: false} : true;
    localStream = await navigator.mediaDevices.getUserMedia({audio, video: false});
    return localStream;
}

function newPeerConnection() {
    // No STUN or TURN server: rtcgated is ICE-lite and lists its own address as a host candidate.
    pc = new RTCPeerConnection({iceServers: []});
    connectionHistory = [pc.connectionState];
    const showStates = () => {
        setCell("pc-connection", pc.connectionState, pc.connectionState === "connected");
        setCell("pc-ice", pc.iceConnectionState,
                pc.iceConnectionState === "connected" || pc.iceConnectionState === "completed");
        setCell("pc-gathering", pc.iceGatheringState);
        setCell("pc-signaling", pc.signalingState);
    };
    pc.addEventListener("connectionstatechange", () => {
        connectionHistory.push(pc.connectionState);
        log(`connection: ${pc.connectionState}`);
        setStatus(`Call ${pc.connectionState}`);
        showStates();
        if (pc.connectionState === "failed") {
            hangUp().catch((error) => log(`hang up: ${error}`));
        }
    });
    pc.addEventListener("iceconnectionstatechange", () => {
        log(`ICE connection: ${pc.iceConnectionState}`);
        showStates();
    });
    pc.addEventListener("icegatheringstatechange", showStates);
    pc.addEventListener("signalingstatechange", showStates);
    pc.addEventListener("track", (event) => {
        log(`remote ${event.track.kind} track`);
        remoteAudio.srcObject = event.streams[0] || new MediaStream([event.track]);
        remoteAudio.play().catch((error) => log(`audio playback: ${error}`));
    });
    showStates();
    return pc;
}

function gatheringComplete(connection) {
    return new Promise((resolve) => {
        if (connection.iceGatheringState === "complete") {
            resolve();
            return;
        }
        const timer = setTimeout(() => {
            log("ICE gathering not complete after 5 s; sending the candidates gathered so far");
            resolve();
        }, GATHERING_TIMEOUT_MS);
        connection.addEventListener("icegatheringstatechange", () => {
            if (connection.iceGatheringState === "complete") {
                clearTimeout(timer);
                resolve();
            }
        });
    });
}

function connected(connection, timeoutMs) {
    return new Promise((resolve, reject) => {
        const check = () => {
            if (connection.connectionState === "connected") {
                finish(resolve);
            } else if (["failed", "closed"].includes(connection.connectionState)) {
                finish(() => reject(new Error(`connection ${connection.connectionState}`)));
            }
        };
        const timer = setTimeout(() => {
            finish(() => reject(new Error(`not connected after ${timeoutMs} ms: ${connection.connectionState}`)));
        }, timeoutMs);
        const finish = (settle) => {
            clearTimeout(timer);
            connection.removeEventListener("connectionstatechange", check);
            settle();
        };
        connection.addEventListener("connectionstatechange", check);
        check();
    });
}

// --- DTMF: RFC 4733 telephone-event from the audio sender ----------------------------------------------------------

function dtmfSender() {
    const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === "audio");
    return sender ? sender.dtmf : null;
}

// Records the tonechange events of this call's audio sender (a tone as it starts; "" once the buffer is played).
function watchTones() {
    toneChanges = [];
    $("tones").textContent = "\u2013";
    const dtmf = dtmfSender();
    if (!dtmf) {
        return;
    }
    dtmf.addEventListener("tonechange", (event) => {
        toneChanges.push({tone: event.tone, ms: performance.now()});
        if (event.tone) {
            $("tones").textContent = toneChanges.filter((change) => change.tone).map((change) => change.tone).join("");
        }
        log(event.tone ? `DTMF: ${event.tone}` : "DTMF: done");
    });
}

// Queues `tones` after those still to be played (insertDTMF replaces the buffer).
function sendTones(tones, duration, gap) {
    const dtmf = dtmfSender();
    if (!dtmf || !dtmf.canInsertDTMF) {
        throw new Error("this call cannot send DTMF (no audio sender, or telephone-event was not negotiated)");
    }
    dtmf.insertDTMF(dtmf.toneBuffer + tones, duration, gap);
}

// --- the two calls and hanging up -------------------------------------------------------------------------------

async function call() {
    setInCall(true);
    setStatus("Calling the carrier...");
    await microphone();
    newPeerConnection();
    localStream.getTracks().forEach((track) => pc.addTrack(track, localStream));
    watchTones();
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringComplete(pc);
    log(`offer:\n${pc.localDescription.sdp}`);
    const reply = await post("/call", {sdp: pc.localDescription.sdp});
    callId = reply.call_id;
    gatewaySdp = reply.sdp;
    log(`answer from rtcgated (${callId}):\n${reply.sdp}`);
    startStatePolling();
    await pc.setRemoteDescription({type: "answer", sdp: reply.sdp});
}

async function incoming() {
    setInCall(true);
    setStatus("The carrier is calling...");
    await microphone();
    const reply = await post("/incoming");
    callId = reply.call_id;
    gatewaySdp = reply.sdp;
    log(`offer from rtcgated (${callId}):\n${reply.sdp}`);
    startStatePolling();
    newPeerConnection();
    await pc.setRemoteDescription({type: "offer", sdp: reply.sdp});
    localStream.getTracks().forEach((track) => pc.addTrack(track, localStream));
    watchTones();
    if (answerWithoutEvents) {
        const codecs = RTCRtpReceiver.getCapabilities("audio").codecs;
        pc.getTransceivers()[0].setCodecPreferences(codecs.filter((codec) => codec.mimeType !== "audio/telephone-event"));
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await gatheringComplete(pc);
    log(`answer:\n${pc.localDescription.sdp}`);
    await post("/answer", {call_id: callId, sdp: pc.localDescription.sdp});
    setStatus("Answered");
}

async function hangUp() {
    const ending = callId;
    callId = null;
    stopStatePolling();
    if (pc) {
        pc.close();
        connectionHistory.push("closed");
        pc = null;
    }
    if (localStream) {
        localStream.getTracks().forEach((track) => track.stop());
        localStream = null;
    }
    remoteAudio.srcObject = null;
    setInCall(false);
    setStatus("Idle");
    setCell("pc-connection", "closed");
    if (ending) {
        await post("/hangup", {call_id: ending});
        log(`hung up ${ending}`);
    }
}

// --- what rtcgated says about the call ---------------------------------------------------------------------------

function startStatePolling() {
    stopStatePolling();
    const poll = async () => {
        if (!callId) {
            return;
        }
        try {
            const response = await fetch(`/state?call_id=${encodeURIComponent(callId)}`);
            if (response.ok) {
                showGatewayState(await response.json());
            }
        } catch (error) {
            log(`state: ${error}`);
        }
    };
    statePoller = setInterval(poll, STATE_POLL_MS);
    poll();
}

function stopStatePolling() {
    if (statePoller !== null) {
        clearInterval(statePoller);
        statePoller = null;
    }
}

function showGatewayState(state) {
    for (const tag of ["browser", "carrier"]) {
        const party = state.parties[tag] || {};
        setCell(`${tag}-protocol`, `${party.protocol || ""}${party.rtcp_mux ? " (rtcp-mux)" : ""}`);
        setCell(`${tag}-ice`, party.ice ? `${party.ice}${party.ice_selected ? " " + party.ice_selected : ""}` : "off",
                party.ice ? party.ice === "connected" || party.ice === "completed" : undefined);
        setCell(`${tag}-dtls`, party.dtls ? `${party.dtls} (${party.dtls_role})` : "off",
                party.dtls ? party.dtls === "connected" : undefined);
        setCell(`${tag}-srtp`, party.srtp_profile || "none");
        setCell(`${tag}-packets`, `${party.packets_from || 0}${party.endpoint ? " from " + party.endpoint : ""}`);
    }
    const carrier = state.carrier;
    setCell("carrier-mode", `${carrier.mode === "echo" ? "echoing what it hears" : `playing ${carrier.tone_hz} Hz`}` +
            `, ${carrier.codec || "?"}, ${carrier.packets_sent} packets sent, ${carrier.packets_received} received`);
}

// --- auto mode: record what is heard, report it ---------------------------------------------------------------------

const RECORDER_WORKLET = `
class Recorder extends AudioWorkletProcessor {
    process(inputs) {
        const channel = inputs[0] && inputs[0][0];
        if (channel) {
            this.port.postMessage({time: currentTime, samples: channel.slice(0)});
        }
        return true;
    }
}
registerProcessor("recorder", Recorder);
`;

// Records the remote audio (mono, at the AudioContext's rate) until stop() is called.
async function startRecording(stream) {
    const context = new AudioContext();
    await context.resume();
    const url = URL.createObjectURL(new Blob([RECORDER_WORKLET], {type: "application/javascript"}));
    await context.audioWorklet.addModule(url);
    const source = context.createMediaStreamSource(stream);
    const recorder = new AudioWorkletNode(context, "recorder", {numberOfInputs: 1, numberOfOutputs: 0});
    const chunks = [];
    let firstTime = null; // the context time of the first sample recorded
    let endTime = null; // ... and of the one after the last
    let endArrivalMs = null; // the wall clock when the last chunk arrived
    recorder.port.onmessage = (event) => {
        const {time, samples} = event.data;
        if (firstTime === null) {
            firstTime = time;
        }
        endTime = time + samples.length / context.sampleRate;
        endArrivalMs = performance.timeOrigin + performance.now();
        chunks.push(samples);
    };
    source.connect(recorder);
    return {
        sampleRate: context.sampleRate,
        async stop() {
            source.disconnect();
            recorder.port.onmessage = null;
            await context.close();
            const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
            const pcm = new Int16Array(length);
            let offset = 0;
            for (const chunk of chunks) {
                for (let i = 0; i < chunk.length; i++) {
                    pcm[offset++] = Math.max(-32768, Math.min(32767, Math.round(chunk[i] * 32767)));
                }
            }
            // The wall clock of the first sample, to line the recording up with the carrier's log: the context's
            // clock for the span, anchored where the last chunk arrived (a render quantum late at most).
            const startedMs = firstTime === null ? null : endArrivalMs - (endTime - firstTime) * 1000;
            return {startedMs, samples: base64(new Uint8Array(pcm.buffer))};
        },
    };
}

function base64(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
}

async function statsOf(connection) {
    const kept = {};
    const wanted = ["inbound-rtp", "outbound-rtp", "transport", "candidate-pair", "local-candidate",
                    "remote-candidate", "codec", "remote-inbound-rtp"];
    (await connection.getStats()).forEach((stats) => {
        if (wanted.includes(stats.type)) {
            kept[stats.id] = stats;
        }
    });
    return kept;
}

function waitForTrack() {
    return new Promise((resolve, reject) => {
        const deadline = Date.now() + CONNECT_TIMEOUT_MS;
        const check = () => {
            const stream = remoteAudio.srcObject;
            if (stream && stream.getAudioTracks().length > 0) {
                resolve(stream);
            } else if (Date.now() > deadline) {
                reject(new Error("no remote audio track"));
            } else {
                setTimeout(check, 50);
            }
        };
        check();
    });
}

// Resolves once the audio sender has sent packets and may send DTMF.
function audioFlowing() {
    return new Promise((resolve, reject) => {
        const deadline = Date.now() + CONNECT_TIMEOUT_MS;
        const check = async () => {
            const stats = pc ? Object.values(await statsOf(pc)) : [];
            const sent = stats.some((s) => s.type === "outbound-rtp" && s.kind === "audio" && s.packetsSent > 0);
            const dtmf = dtmfSender();
            if (sent && dtmf && dtmf.canInsertDTMF) {
                resolve();
            } else if (Date.now() > deadline) {
                reject(new Error(`no DTMF: audio sent ${sent}, canInsertDTMF ${dtmf && dtmf.canInsertDTMF}`));
            } else {
                setTimeout(check, 50);
            }
        };
        check();
    });
}

// Sends `tones` and waits until the last one is played (the tonechange with tone ""); what the sender did.
async function sendAutoDtmf(tones, duration, gap) {
    await audioFlowing();
    const dtmf = dtmfSender();
    const result = {tones, duration, gap, canInsertDTMF: dtmf.canInsertDTMF, complete: false, toneChanges: []};
    const startedMs = performance.now();
    const played = new Promise((resolve) => {
        const timer = setTimeout(resolve, tones.length * (duration + gap) + CONNECT_TIMEOUT_MS);
        dtmf.addEventListener("tonechange", (event) => {
            if (event.tone === "") {
                clearTimeout(timer);
                result.complete = true;
                resolve();
            }
        });
    });
    const firstChange = toneChanges.length;
    dtmf.insertDTMF(tones, duration, gap);
    await played;
    await new Promise((resolve) => setTimeout(resolve, DTMF_SETTLE_MS));
    result.toneChanges = toneChanges.slice(firstChange).map((change) => ({
        tone: change.tone,
        ms: Math.round(change.ms - startedMs),
    }));
    return result;
}

async function runAuto() {
    const report = {direction: auto, seconds: autoSeconds, userAgent: navigator.userAgent};
    let recording = null;
    try {
        await (auto === "call" ? call() : incoming());
        report.call_id = callId;
        report.localSdp = pc.localDescription && pc.localDescription.sdp;
        report.remoteSdp = pc.remoteDescription && pc.remoteDescription.sdp;
        recording = await startRecording(await waitForTrack());
        await connected(pc, CONNECT_TIMEOUT_MS);
        await new Promise((resolve) => setTimeout(resolve, autoSeconds * 1000));
        if (autoDtmf) {
            report.dtmf = await sendAutoDtmf(autoDtmf, autoDtmfDuration, autoDtmfGap);
        }
    } catch (error) {
        report.error = `${error.name || "Error"}: ${error.message || error}`;
        log(`auto ${auto}: ${report.error}`);
    }
    report.call_id = report.call_id || callId;
    report.gatewaySdp = gatewaySdp;
    report.connectionStates = connectionHistory.slice();
    if (pc) {
        report.localSdp = report.localSdp || (pc.localDescription && pc.localDescription.sdp);
        report.remoteSdp = report.remoteSdp || (pc.remoteDescription && pc.remoteDescription.sdp);
        report.stats = await statsOf(pc);
    }
    if (recording) {
        const recorded = await recording.stop();
        report.sampleRate = recording.sampleRate;
        report.captureStartedMs = recorded.startedMs;
        report.samples = recorded.samples;
    }
    try {
        const reply = await post("/report", report);
        log(`report sent; the carrier received ${reply.carrier.packets_received} packets`);
    } catch (error) {
        log(`report: ${error}`);
    }
    await hangUp().catch((error) => log(`hang up: ${error}`));
    setStatus(report.error ? `Done: ${report.error}` : "Done");
    document.title = "rtcgate demo: done";
}

// --- buttons -----------------------------------------------------------------------------------------------------

function run(action) {
    action().catch(async (error) => {
        log(`${error}`);
        await hangUp().catch(() => {});
        setStatus(`Failed: ${error.message || error}`);
    });
}

$("call").addEventListener("click", () => run(call));
$("incoming").addEventListener("click", () => run(incoming));
$("hangup").addEventListener("click", () => run(hangUp));
document.querySelectorAll("#dialpad button").forEach((button) => {
    button.addEventListener("click", () => {
        try {
            sendTones(button.textContent, DIAL_PAD_DURATION_MS, DIAL_PAD_GAP_MS);
        } catch (error) {
            log(`DTMF: ${error.message}`);
        }
    });
});
setInCall(false);
window.addEventListener("pagehide", () => {
    if (callId) {
        navigator.sendBeacon("/hangup", new Blob([JSON.stringify({call_id: callId})], {type: "application/json"}));
    }
});

if (auto === "call" || auto === "incoming") {
    runAuto();
}
