#pragma once
/// \file
/// Execution history events, as GetExecutionHistory returns them. Events are recorded cheaply (shared
/// references to payloads, no serialization); `to_json()` renders the AWS shape on demand.

#include "sfn/core/value.hpp"
#include "sfn/engine/clock.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <array>
#include <compare>
#include <iterator>
#include <new>
#include <vector>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sfn::engine {

/// Every HistoryEventType of the Step Functions API (service-2.json), in the model's order.
enum class EventType : std::uint8_t {
    ActivityFailed, ActivityScheduled, ActivityScheduleFailed, ActivityStarted, ActivitySucceeded, ActivityTimedOut,
    ChoiceStateEntered, ChoiceStateExited,
    ExecutionAborted, ExecutionFailed, ExecutionStarted, ExecutionSucceeded, ExecutionTimedOut,
    FailStateEntered,
    LambdaFunctionFailed, LambdaFunctionScheduled, LambdaFunctionScheduleFailed, LambdaFunctionStarted,
    LambdaFunctionStartFailed, LambdaFunctionSucceeded, LambdaFunctionTimedOut,
    MapIterationAborted, MapIterationFailed, MapIterationStarted, MapIterationSucceeded,
    MapStateAborted, MapStateEntered, MapStateExited, MapStateFailed, MapStateStarted, MapStateSucceeded,
    ParallelStateAborted, ParallelStateEntered, ParallelStateExited, ParallelStateFailed, ParallelStateStarted,
    ParallelStateSucceeded,
    PassStateEntered, PassStateExited,
    SucceedStateEntered, SucceedStateExited,
    TaskFailed, TaskScheduled, TaskStarted, TaskStartFailed, TaskStateAborted, TaskStateEntered, TaskStateExited,
    TaskSubmitFailed, TaskSubmitted, TaskSucceeded, TaskTimedOut,
    WaitStateAborted, WaitStateEntered, WaitStateExited,
    MapRunAborted, MapRunFailed, MapRunStarted, MapRunSucceeded,
    ExecutionRedriven, MapRunRedriven, EvaluationFailed,
};

/// The API name of an event type, e.g. "PassStateEntered".
[[nodiscard]] std::string_view to_string(EventType type) noexcept;

/// One history event. Fields that an event type does not use stay empty; `to_json()` picks the right
/// `...EventDetails` member for the type.
struct HistoryEvent {
    std::int64_t id = 0;                 ///< 1-based, strictly increasing
    std::int64_t previous_event_id = 0;  ///< the event that caused this one (0 = none)
    TimePoint timestamp;
    EventType type = EventType::ExecutionStarted;

    /// The string views point into the compiled machine and the execution's options: valid while the Execution
    /// (and its CompiledMachine) lives. Copy what you keep longer (or keep `to_json()`).
    std::string_view name;        ///< state name (state and Map iteration events); points into the machine
    std::optional<Value> payload; ///< input (Entered/Started/Scheduled) or output (Exited/Succeeded)
    std::string error;            ///< failures, aborts, timeouts
    std::string cause;
    bool has_error = false;       ///< distinguishes "no error member" from an empty error
    bool has_cause = false;
    std::int64_t index = -1;      ///< Map iteration index; MapStateStarted length
    std::string_view resource_type;  ///< Task events: e.g. "lambda"
    std::string_view resource;       ///< Task events: e.g. "invoke", or the full Lambda ARN
    std::string_view region;         ///< TaskScheduled (points into the execution's options)
    std::int32_t timeout_seconds = 0;    ///< TaskScheduled / LambdaFunctionScheduled (0 = none)
    std::int32_t heartbeat_seconds = 0;  ///< TaskScheduled (0 = none)
    std::string_view role_arn;       ///< ExecutionStarted (points into the execution's options)
    /// StateExited: the variables assigned by the state, name → value (rendered as JSON text).
    std::shared_ptr<const std::vector<std::pair<std::string, Value>>> assigned;

    /// The event in GetExecutionHistory's shape: {timestamp, type, id, previousEventId, <x>EventDetails}.
    [[nodiscard]] nlohmann::json to_json() const;
};

/// The recorded events in id order. Stored in fixed-size blocks: appending never moves a recorded event (so
/// references stay valid) and costs one allocation per block, not per event.
class History {
public:
    static constexpr std::size_t block_size = 128;

    History() = default;
    History(const History&) = delete;
    History& operator=(const History&) = delete;
    History(History&& other) noexcept : blocks_(std::move(other.blocks_)), size_(other.size_) { other.size_ = 0; }
    History& operator=(History&& other) noexcept {
        if (this != &other) {
            clear();
            blocks_ = std::move(other.blocks_);
            size_ = other.size_;
            other.size_ = 0;
        }
        return *this;
    }
    ~History() { clear(); }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] const HistoryEvent& operator[](std::size_t i) const noexcept { return *slot(i); }
    [[nodiscard]] HistoryEvent& operator[](std::size_t i) noexcept { return *slot(i); }
    [[nodiscard]] const HistoryEvent& back() const noexcept { return *slot(size_ - 1); }
    [[nodiscard]] HistoryEvent& back() noexcept { return *slot(size_ - 1); }
    /// Appends by move-constructing in place (blocks are raw storage: nothing is built twice).
    void push_back(HistoryEvent&& e) {
        if (size_ % block_size == 0) blocks_.push_back(std::make_unique<Block>());
        ::new (static_cast<void*>(slot(size_))) HistoryEvent(std::move(e));
        ++size_;
    }
    void clear() noexcept {
        for (std::size_t i = 0; i < size_; ++i) slot(i)->~HistoryEvent();
        size_ = 0;
        blocks_.clear();
    }

    /// Random-access iteration in id order.
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = HistoryEvent;
        using difference_type = std::ptrdiff_t;
        using pointer = const HistoryEvent*;
        using reference = const HistoryEvent&;
        const_iterator() = default;
        const_iterator(const History* h, std::size_t i) : h_(h), i_(i) {}
        reference operator*() const { return (*h_)[i_]; }
        pointer operator->() const { return &(*h_)[i_]; }
        reference operator[](difference_type n) const { return (*h_)[i_ + static_cast<std::size_t>(n)]; }
        const_iterator& operator++() { ++i_; return *this; }
        const_iterator operator++(int) { auto t = *this; ++i_; return t; }
        const_iterator& operator--() { --i_; return *this; }
        const_iterator operator--(int) { auto t = *this; --i_; return t; }
        const_iterator& operator+=(difference_type n) { i_ = static_cast<std::size_t>(static_cast<difference_type>(i_) + n); return *this; }
        const_iterator& operator-=(difference_type n) { return *this += -n; }
        friend const_iterator operator+(const_iterator a, difference_type n) { return a += n; }
        friend const_iterator operator+(difference_type n, const_iterator a) { return a += n; }
        friend const_iterator operator-(const_iterator a, difference_type n) { return a -= n; }
        friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
            return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.i_ == b.i_; }
        friend auto operator<=>(const const_iterator& a, const const_iterator& b) { return a.i_ <=> b.i_; }

    private:
        const History* h_ = nullptr;
        std::size_t i_ = 0;
    };
    [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
    [[nodiscard]] const_iterator end() const noexcept { return {this, size_}; }

private:
    struct Block {
        alignas(HistoryEvent) unsigned char bytes[sizeof(HistoryEvent) * block_size];
    };
    HistoryEvent* slot(std::size_t i) const noexcept {
        return std::launder(reinterpret_cast<HistoryEvent*>(blocks_[i / block_size]->bytes) + i % block_size);
    }
    std::vector<std::unique_ptr<Block>> blocks_;
    std::size_t size_ = 0;
};

/// Receives every event as it is recorded (on the thread that records it; calls are serialized per
/// execution). Used by the local service to persist history.
using HistorySink = std::function<void(const HistoryEvent&)>;

}  // namespace sfn::engine
