// SIGINT/SIGTERM end a run early but cleanly: the set-up stops, the sending
// stops, and the calls are still deleted.
#pragma once

namespace rtcgate::load {

void installStopHandlers();
bool stopRequested();

} // namespace rtcgate::load
