#pragma once
// Internal: where a Distributed Map's children get their inputs. The items (an ItemReader's stream, or the
// state's input array) go through ItemSelector and ItemBatcher one at a time, as the run's threads take them,
// so that a run over millions of items holds only the items its children are working on (plus a bounded
// read-ahead), never all of them.

#include "engine/detail_distributed_map.hpp"

#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace sfn::engine::detail {

/// One child's input: the selected item, or a batch {"BatchInput"?, "Items": [...]}.
struct ChildInput {
    std::size_t index = 0;   ///< the child's number in the run (0, 1, ...)
    Value input;
    std::int64_t items = 1;  ///< items in it (a batch: its Items)
};

class MapFeed {
public:
    /// Renders the item at `index` into its child's input (ItemSelector with the Map.Item context); `err` set
    /// on failure, as the state reports it but without recording anything (the caller does, on its thread).
    using Select = std::function<bool(std::size_t index, const Value& item, Value& out, Err& err)>;
    struct Batching {
        std::int64_t per_batch = 0;  ///< MaxItemsPerBatch (0 = no limit)
        std::int64_t max_bytes = 0;  ///< MaxInputBytesPerBatch (0 = no limit)
        std::optional<Value> batch_input;
    };
    /// Items read ahead before the run starts: their failures (the reader's, ItemSelector's) come before
    /// anything of the run is recorded, and a run of no more items knows its size from the start.
    static constexpr std::size_t read_ahead_items = 10'000;
    static constexpr std::size_t read_ahead_bytes = std::size_t{16} << 20;

    MapFeed(Runtime& rt, std::unique_ptr<ItemStream> stream);
    MapFeed(Runtime& rt, const Value& items);

    /// Reads ahead (raw items). False with `err` when the reader fails among them.
    bool read_ahead(Err& err);
    /// Selects the items read ahead. False with `err` (the first failing item's) when ItemSelector fails.
    bool select_ahead(Select select, Err& err);
    /// Batches from now on (call after select_ahead, before taking).
    void batch(Batching batching);
    /// Told of every child input the feed makes, as it makes it (the Map Run's total and pending counts).
    void on_input(std::function<void(std::int64_t items)> counted);

    /// Up to `count` next inputs into `out` (appended); 0 when none is left or the feed failed. Thread-safe.
    std::size_t take(std::size_t count, std::vector<ChildInput>& out);
    /// Whether every item is read and made into inputs: total() is then the number of children.
    [[nodiscard]] bool complete() const noexcept { return complete_.load(std::memory_order_acquire); }
    [[nodiscard]] std::size_t total() const noexcept { return total_.load(std::memory_order_acquire); }
    /// The failure that ended the feed early (the reader's or ItemSelector's), if any.
    [[nodiscard]] std::optional<Err> failure() const;

private:
    bool next_raw(Value& item, Err& err);
    bool next_selected(Value& item, std::int64_t& bytes, Err& err);
    bool next_input(ChildInput& out, Err& err);
    void make_input(ChildInput& out, Value input, std::int64_t items);
    void finish_locked();

    Runtime& rt_;
    std::unique_ptr<ItemStream> stream_;
    Value items_;                  // without a reader: the state's input array
    std::size_t items_next_ = 0;
    std::deque<Value> raw_;        // read ahead, not yet selected
    std::deque<Value> selected_;   // selected ahead, not yet made into inputs
    std::size_t raw_index_ = 0;    // the next item's index (Map.Item.Index)
    bool raw_ended_ = false;
    Select select_;
    std::optional<Batching> batching_;
    std::optional<std::pair<Value, std::int64_t>> carried_;  // an item (and its size) that opens the next batch
    std::deque<ChildInput> ready_; // made, not yet taken (once the reader ended: all the rest)
    std::size_t made_ = 0;
    std::function<void(std::int64_t)> counted_;
    mutable std::mutex mutex_;
    std::optional<Err> failure_;
    std::atomic<bool> complete_{false};
    std::atomic<std::size_t> total_{0};
};

}  // namespace sfn::engine::detail
