#pragma once
// How the service stores an execution checkpoint (engine/checkpoint.hpp) in its database: a small JSON
// document beside the history event it belongs to. The state's input is not repeated in it: it is the
// payload of that event (StateEntered input, StateExited output), read back from the history on resume.

#include "sfn/engine/checkpoint.hpp"

#include <cstdint>
#include <string>

namespace sfn::server::detail {

/// The format written by this version; a document of a newer one is refused.
inline constexpr int resume_point_format = 1;

/// `offset`: what the service adds to the engine's event ids (a redriven execution's earlier events).
[[nodiscard]] std::string encode_resume_point(const engine::Checkpoint& checkpoint, std::int64_t offset);

/// A stored checkpoint without its input yet: `input_event` is the (stored) id of the event whose payload it is.
struct DecodedResumePoint {
    engine::Checkpoint checkpoint;
    std::int64_t offset = 0;
    std::int64_t input_event = 0;
};
/// `event_id`: the stored id of the checkpoint's event.
/// \throws sfn::Error (sfn.server.E004) saying why the checkpoint cannot be used (corrupt, a newer format).
[[nodiscard]] DecodedResumePoint decode_resume_point(const std::string& doc, std::int64_t event_id);
/// The input of the checkpoint: the payload of its input event (StateEntered input or StateExited output).
/// \throws sfn::Error (sfn.server.E004) when that event is not a state's event with a JSON payload.
[[nodiscard]] Value resume_input(const std::string& event_json, std::int64_t event_id);

}  // namespace sfn::server::detail
