#pragma once
/// \file
/// Execution history events, as GetExecutionHistory returns them. Events are recorded cheaply (shared
/// references to payloads, no serialization); `to_json()` renders the AWS shape on demand.

#include "sfn/core/value.hpp"
#include "sfn/engine/clock.hpp"

#include <nlohmann/json_fwd.hpp>

#include <algorithm>
#include <cstdint>
#include <array>
#include <compare>
#include <cstring>
#include <iterator>
#include <new>
#include <utility>
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

/// The fields of a history event that few event types use: failures, aborts and timeouts (error, cause),
/// and the Task/Activity/Execution details. Kept apart so that the common event (a state entered or exited)
/// stays small: an execution records tens of thousands of them.
struct HistoryEventDetail {
    std::string error;            ///< failures, aborts, timeouts
    std::string cause;
    bool has_error = false;       ///< distinguishes "no error member" from an empty error
    bool has_cause = false;
    std::string_view resource_type;  ///< Task events: e.g. "lambda"
    std::string_view resource;       ///< Task events: e.g. "invoke", or the full Lambda ARN
    std::string_view region;         ///< TaskScheduled (points into the execution's options)
    std::int32_t timeout_seconds = 0;    ///< TaskScheduled / LambdaFunctionScheduled / ActivityScheduled (0 = none)
    std::int32_t heartbeat_seconds = 0;  ///< TaskScheduled / ActivityScheduled (0 = none)
    std::string_view role_arn;       ///< ExecutionStarted (points into the execution's options)
};

/// One history event. Fields that an event type does not use stay empty; `to_json()` picks the right
/// `...EventDetails` member for the type.
struct HistoryEvent {
    std::int64_t id = 0;                 ///< 1-based, strictly increasing
    std::int64_t previous_event_id = 0;  ///< the event that caused this one (0 = none)
    TimePoint timestamp;

    /// The string views point into the compiled machine and the execution's options: valid while the Execution
    /// (and its CompiledMachine) lives. Copy what you keep longer (or keep `to_json()`).
    std::string_view name;        ///< state name (state and Map iteration events); points into the machine
    /// input (Entered/Started/Scheduled), output (Exited/Succeeded), MapRunStarted's ARN, ActivityStarted's
    /// worker name (a string; absent when the worker gave none)
    std::optional<Value> payload;
    std::int64_t index = -1;      ///< Map iteration index; MapStateStarted length
    /// StateExited: the variables assigned by the state, name → value (rendered as JSON text).
    std::shared_ptr<const std::vector<std::pair<std::string, Value>>> assigned;
    EventType type = EventType::ExecutionStarted;

    HistoryEvent() = default;
    /// A copy holds a reference of its own to the payload.
    HistoryEvent(const HistoryEvent& other)
        : id(other.id), previous_event_id(other.previous_event_id), timestamp(other.timestamp), name(other.name),
          payload(other.payload), index(other.index), assigned(other.assigned), type(other.type),
          detail_(other.detail_ ? std::make_unique<HistoryEventDetail>(*other.detail_) : nullptr) {}
    /// A moved event holds a reference of its own too (taken from `other`, or, when `other` shares its
    /// history's reference, a new one).
    HistoryEvent(HistoryEvent&& other) noexcept
        : id(other.id), previous_event_id(other.previous_event_id), timestamp(other.timestamp), name(other.name),
          payload(other.payload_uncounted_ ? other.payload : std::move(other.payload)), index(other.index),
          assigned(std::move(other.assigned)), type(other.type), detail_(std::move(other.detail_)) {}
    HistoryEvent& operator=(const HistoryEvent& other) {
        if (this != &other) *this = HistoryEvent(other);
        return *this;
    }
    HistoryEvent& operator=(HistoryEvent&& other) noexcept {
        if (this != &other) {
            forget_uncounted_payload();
            id = other.id;
            previous_event_id = other.previous_event_id;
            timestamp = other.timestamp;
            name = other.name;
            if (other.payload_uncounted_) payload = other.payload;
            else payload = std::move(other.payload);
            index = other.index;
            assigned = std::move(other.assigned);
            type = other.type;
            detail_ = std::move(other.detail_);
        }
        return *this;
    }
    ~HistoryEvent() { forget_uncounted_payload(); }

    /// The rarely used fields (all empty when none was set).
    [[nodiscard]] const HistoryEventDetail& detail() const noexcept {
        static const HistoryEventDetail none;
        return detail_ ? *detail_ : none;
    }
    /// The rarely used fields, to set them (made on first use).
    [[nodiscard]] HistoryEventDetail& detail_to_fill() {
        if (!detail_) detail_ = std::make_unique<HistoryEventDetail>();
        return *detail_;
    }
    /// Sets the error member (has_error).
    void set_error(std::string error) {
        auto& d = detail_to_fill();
        d.error = std::move(error);
        d.has_error = true;
    }
    /// Sets the cause member (has_cause).
    void set_cause(std::string cause) {
        auto& d = detail_to_fill();
        d.cause = std::move(cause);
        d.has_cause = true;
    }

    /// The event in GetExecutionHistory's shape: {timestamp, type, id, previousEventId, <x>EventDetails}.
    [[nodiscard]] nlohmann::json to_json() const;
    /// Reads back an event to_json() wrote. Its names (state, resource, region, role ARN) are views: `keep`
    /// stores each and returns a view that outlives the event.
    /// \throws nlohmann::json::exception or sfn::Error when `j` is not such an event.
    [[nodiscard]] static HistoryEvent from_json(const nlohmann::json& j,
                                                const std::function<std::string_view(std::string_view)>& keep);

private:
    friend class History;
    void forget_uncounted_payload() noexcept {
        if (payload_uncounted_ && payload) sfn::detail::UncountedCopy::forget(*payload);
        payload_uncounted_ = false;
    }

    /// The payload took no reference: an earlier event of the same History carries the same node and holds
    /// the counted one (the history destroys its events together). Only a History sets it.
    bool payload_uncounted_ = false;
    std::unique_ptr<HistoryEventDetail> detail_;
};

/// The recorded events in id order. Stored in fixed-size blocks: appending never moves a recorded event (so
/// references stay valid) and costs one allocation per block, not per event. `splice` appends another
/// history by taking over its blocks (no event is moved), so a block other than the last may be partly filled.
class History {
public:
    static constexpr std::size_t block_size = 128;

    History() = default;
    History(const History&) = delete;
    History& operator=(const History&) = delete;
    History(History&& other) noexcept
        : blocks_(std::move(other.blocks_)), size_(other.size_), ragged_(other.ragged_) {
        other.blocks_.clear();
        other.size_ = 0;
        other.ragged_ = false;
    }
    History& operator=(History&& other) noexcept {
        if (this != &other) {
            clear();
            blocks_ = std::move(other.blocks_);
            size_ = other.size_;
            ragged_ = other.ragged_;
            other.blocks_.clear();
            other.size_ = 0;
            other.ragged_ = false;
        }
        return *this;
    }
    ~History() { clear(); }

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] const HistoryEvent& operator[](std::size_t i) const noexcept { return *slot(i); }
    [[nodiscard]] HistoryEvent& operator[](std::size_t i) noexcept { return *slot(i); }
    [[nodiscard]] const HistoryEvent& back() const noexcept { return *last_slot(); }
    [[nodiscard]] HistoryEvent& back() noexcept { return *last_slot(); }
    /// Appends by move-constructing in place (blocks are raw storage: nothing is built twice). An event moved
    /// from another history that shares that history's reference keeps sharing when the last event here
    /// carries the same value (a merge moves each history's events in order), else takes a reference.
    void push_back(HistoryEvent&& e) {
        const bool keep_sharing = e.payload_uncounted_ && carries_last(*e.payload);  // before a new block
        move_into(next_slot(), std::move(e), keep_sharing);
        ++blocks_.back().count;
        ++size_;
    }
    /// Appends a default-constructed event and returns it, for the caller to fill in place.
    HistoryEvent& emplace_back() {
        // Default-initialised: every member has its initialiser, nothing is zeroed twice.
        HistoryEvent* e = ::new (static_cast<void*>(next_slot())) HistoryEvent;
        ++blocks_.back().count;
        ++size_;
        return *e;
    }
    /// As emplace_back(), the event carrying `payload`. A state's output is usually the next state's input, so
    /// consecutive events often carry one value: when the last event carries the same string, array or
    /// object, the new one takes no reference of its own. The reference of the last event (or of the one it
    /// shares) outlives it: a history's events are destroyed together, and are not replaced or moved out one
    /// by one. Saves two atomic operations per event.
    HistoryEvent& emplace_back_carrying(const Value& payload) {
        const bool share = carries_last(payload);
        HistoryEvent& e = emplace_back();
        if (share) {
            e.payload = sfn::detail::UncountedCopy::make(payload);
            e.payload_uncounted_ = true;
        } else {
            e.payload = payload;
        }
        return e;
    }
    /// Appends every event of `other`, in order, by taking over its blocks; `other` is left empty.
    /// Event ids are not changed (renumber them before, if needed).
    void splice(History&& other) {
        if (other.size_ == 0) return;
        if (!blocks_.empty() && blocks_.back().count != block_size) ragged_ = true;
        ragged_ = ragged_ || other.ragged_;
        for (auto& s : other.blocks_) {
            s.start += size_;
            blocks_.push_back(std::move(s));
        }
        size_ += other.size_;
        other.blocks_.clear();
        other.size_ = 0;
        other.ragged_ = false;
    }
private:
    struct Segment;

public:
    /// Where append_relocated() puts events: slot i is the i-th of the events appended.
    class Slots {
    public:
        /// Moves `e`'s bytes into slot `i` and returns the event there (no constructor runs: every member of an
        /// event, the references it holds included, stays valid at a new address; the source is left as it
        /// was, to be given up with abandon(), not destroyed). An event that shares its payload's reference
        /// with an earlier event of its history keeps sharing it: that event must be relocated into the same
        /// history in the same call.
        HistoryEvent& relocate(std::size_t i, const HistoryEvent& e) const noexcept {
            HistoryEvent* to = at(i);
            std::memcpy(static_cast<void*>(to), static_cast<const void*>(&e), sizeof(HistoryEvent));
            return *to;
        }

    private:
        friend class History;
        Slots(std::vector<Segment>& blocks, std::size_t tail, std::size_t tail_used, std::size_t in_tail,
              std::size_t first_new) noexcept
            : blocks_(&blocks), tail_(tail), tail_used_(tail_used), in_tail_(in_tail), first_new_(first_new) {}
        HistoryEvent* at(std::size_t i) const noexcept {
            if (i < in_tail_) return (*blocks_)[tail_].at(tail_used_ + i);
            i -= in_tail_;
            return (*blocks_)[first_new_ + i / block_size].at(i % block_size);
        }
        std::vector<Segment>* blocks_;
        std::size_t tail_, tail_used_, in_tail_, first_new_;
    };
    /// Appends `count` events that `fill(const Slots&)` moves in from other histories, in any order and from
    /// any threads: it calls `relocate(i, event)` exactly once for every i in [0, count) and does not throw.
    /// Merging whole histories this way keeps the references their events share (see Slots::relocate); the
    /// sources hold the relocated events' old bytes and must be given up with abandon().
    template <class Fill>
    void append_relocated(std::size_t count, Fill&& fill) {
        if (count == 0) return;
        const std::size_t tail = blocks_.empty() ? 0 : blocks_.size() - 1;
        const std::size_t tail_used = blocks_.empty() ? block_size : blocks_.back().count;
        const std::size_t in_tail = std::min(count, block_size - tail_used);
        const std::size_t first_new = blocks_.size();
        blocks_.reserve(blocks_.size() + (count - in_tail + block_size - 1) / block_size);
        for (std::size_t start = size_ + in_tail; start < size_ + count; start += block_size)
            blocks_.push_back(Segment{std::unique_ptr<Block>(new Block), 0, start});
        const Slots slots(blocks_, tail, tail_used, in_tail, first_new);
        fill(slots);
        if (in_tail > 0) blocks_[tail].count += in_tail;
        std::size_t left = count - in_tail;
        for (std::size_t b = first_new; b < blocks_.size(); ++b) {
            blocks_[b].count = std::min(left, block_size);
            left -= blocks_[b].count;
        }
        size_ += count;
    }
    /// Frees the storage of events that Slots::relocate() moved elsewhere, without destroying them: they live
    /// on at their new place. Every event of this history must have been relocated.
    void abandon() noexcept {
        size_ = 0;
        ragged_ = false;
        blocks_.clear();
    }
    void clear() noexcept {
        for (auto& s : blocks_)
            for (std::size_t i = 0; i < s.count; ++i) s.at(i)->~HistoryEvent();
        size_ = 0;
        ragged_ = false;
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
    struct Segment {
        std::unique_ptr<Block> block;
        std::size_t count = 0;  ///< events constructed in this block
        std::size_t start = 0;  ///< index of its first event in the history
        HistoryEvent* at(std::size_t i) const noexcept {
            return std::launder(reinterpret_cast<HistoryEvent*>(block->bytes) + i);
        }
    };
    HistoryEvent* slot(std::size_t i) const noexcept {
        if (!ragged_) return blocks_[i / block_size].at(i % block_size);
        // Spliced histories: find the block by its first index.
        std::size_t lo = 0, hi = blocks_.size();
        while (hi - lo > 1) {
            const std::size_t mid = (lo + hi) / 2;
            if (blocks_[mid].start <= i) lo = mid;
            else hi = mid;
        }
        return blocks_[lo].at(i - blocks_[lo].start);
    }
    /// Constructs `e` in raw storage `slot`, sharing its payload's reference as `e` did when `keep_sharing`
    /// (the event holding the counted one is in this history too) and taking one of its own otherwise.
    static void move_into(void* slot, HistoryEvent&& e, bool keep_sharing) noexcept {
        if (!keep_sharing) {
            ::new (slot) HistoryEvent(std::move(e));
            return;
        }
        Value shared = sfn::detail::UncountedCopy::make(*e.payload);
        e.forget_uncounted_payload();  // moved without taking a reference
        auto* moved = ::new (slot) HistoryEvent(std::move(e));
        *moved->payload = std::move(shared);
        moved->payload_uncounted_ = true;
    }
    HistoryEvent* last_slot() const noexcept { return blocks_.back().at(blocks_.back().count - 1); }
    /// Raw storage for the next event (a new block when the last is full: raw, no zeroing).
    void* next_slot() {
        if (blocks_.empty() || blocks_.back().count == block_size)
            blocks_.push_back(Segment{std::unique_ptr<Block>(new Block), 0, size_});
        Segment& s = blocks_.back();
        return s.at(s.count);
    }
    /// The last event carries `v`, a string, array or object (the same node, not an equal value).
    bool carries_last(const Value& v) const noexcept {
        if (size_ == 0 || v.kind() < Kind::string) return false;
        const HistoryEvent& last = *last_slot();
        return last.payload && last.payload->same_node(v);
    }
    std::vector<Segment> blocks_;
    std::size_t size_ = 0;
    bool ragged_ = false;  ///< some block other than the last is partly filled
};

/// Receives every event as it is recorded (on the thread that records it; calls are serialized per
/// execution). Used by the local service to persist history.
using HistorySink = std::function<void(const HistoryEvent&)>;

}  // namespace sfn::engine
