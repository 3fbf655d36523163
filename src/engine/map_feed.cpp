// MapFeed (detail_map_feed.hpp): a Distributed Map's child inputs made one at a time from its items.
#include "engine/detail_map_feed.hpp"

namespace sfn::engine::detail {

MapFeed::MapFeed(Runtime& rt, std::unique_ptr<ItemStream> stream) : rt_(rt), stream_(std::move(stream)) {}

MapFeed::MapFeed(Runtime& rt, const Value& items) : rt_(rt), items_(items) {}

bool MapFeed::read_ahead(Err& err) {
    std::size_t bytes = 0;
    if (!stream_) return true;  // the state's input array is all in memory already
    while (raw_.size() < read_ahead_items && bytes < read_ahead_bytes) {
        Value item;
        if (!stream_->next(item, err)) {
            if (!err.error.empty()) return false;
            raw_ended_ = true;
            break;
        }
        bytes += stream_->last_bytes();
        raw_.push_back(std::move(item));
    }
    return true;
}

bool MapFeed::next_raw(Value& item, Err& err) {
    if (!raw_.empty()) {
        item = std::move(raw_.front());
        raw_.pop_front();
    } else if (stream_) {
        if (raw_ended_ || !stream_->next(item, err)) {
            raw_ended_ = true;
            return false;
        }
    } else {
        if (items_next_ >= items_.size()) {
            raw_ended_ = true;
            return false;
        }
        item = items_[items_next_++];
    }
    ++raw_index_;
    if (!stream_ && items_next_ >= items_.size() && raw_.empty()) raw_ended_ = true;
    return true;
}

bool MapFeed::select_ahead(Select select, Err& err) {
    select_ = std::move(select);
    if (!select_) return true;
    // Only what was read ahead (the state's input array: all of it), in item order: the first failing item
    // decides the error and no child starts.
    const std::size_t ahead = stream_ ? raw_.size() : items_.size();
    for (std::size_t k = 0; k < ahead; ++k) {
        Value item;
        if (!next_raw(item, err)) break;
        Value out;
        if (!select_(raw_index_ - 1, item, out, err)) return false;
        selected_.push_back(std::move(out));
    }
    return true;
}

bool MapFeed::next_selected(Value& item, std::int64_t& bytes, Err& err) {
    if (!selected_.empty()) {
        item = std::move(selected_.front());
        selected_.pop_front();
    } else {
        Value raw;
        if (!next_raw(raw, err)) return false;
        if (select_) {
            if (!select_(raw_index_ - 1, raw, item, err)) return false;
        } else {
            item = std::move(raw);
        }
    }
    bytes = batching_ && batching_->max_bytes > 0 ? static_cast<std::int64_t>(rt_.payload_size(item, 1u << 30)) : 0;
    return true;
}

void MapFeed::batch(Batching batching) { batching_ = std::move(batching); }

void MapFeed::on_input(std::function<void(std::int64_t)> counted) {
    std::lock_guard lock(mutex_);
    counted_ = std::move(counted);
    // Every item read ahead: all the inputs are made now, so that the run knows its size from the start.
    if (counted_ && (raw_ended_ || !stream_) && !complete()) finish_locked();
}

void MapFeed::make_input(ChildInput& out, Value input, std::int64_t items) {
    out.index = made_++;
    out.input = std::move(input);
    out.items = items;
    if (counted_) counted_(items);
}

bool MapFeed::next_input(ChildInput& out, Err& err) {
    if (!batching_) {
        Value item;
        std::int64_t bytes = 0;
        if (!next_selected(item, bytes, err)) return false;
        make_input(out, std::move(item), 1);
        return true;
    }
    // A batch: items while it holds fewer than MaxItemsPerBatch and stays within MaxInputBytesPerBatch (an item
    // that would take it over opens the next one; a batch always holds at least one item).
    std::vector<Value> current;
    std::int64_t size = 0;
    for (;;) {
        Value item;
        std::int64_t bytes = 0;
        if (carried_) {
            item = std::move(carried_->first);
            bytes = carried_->second;
            carried_.reset();
        } else if (!next_selected(item, bytes, err)) {
            if (!err.error.empty()) return false;
            break;
        }
        if (!current.empty() && ((batching_->per_batch > 0 && static_cast<std::int64_t>(current.size()) >= batching_->per_batch) ||
                                 (batching_->max_bytes > 0 && size + bytes > batching_->max_bytes))) {
            carried_.emplace(std::move(item), bytes);
            break;
        }
        current.push_back(std::move(item));
        size += bytes;
    }
    if (current.empty()) return false;
    const auto count = static_cast<std::int64_t>(current.size());
    std::vector<Member> m;
    if (batching_->batch_input) m.emplace_back("BatchInput", *batching_->batch_input);
    m.emplace_back("Items", Value::array(std::move(current)));
    make_input(out, Value::object(std::move(m)), count);
    return true;
}

void MapFeed::finish_locked() {
    // Every item is read: what is left is in memory already, so it is made into inputs at once and the run
    // knows how many children it has (its tolerated failure percentage is then exact).
    for (;;) {
        ChildInput in;
        Err err;
        if (!next_input(in, err)) {
            if (!err.error.empty()) failure_ = std::move(err);
            break;
        }
        ready_.push_back(std::move(in));
    }
    total_.store(made_, std::memory_order_release);
    complete_.store(true, std::memory_order_release);
}

std::size_t MapFeed::take(std::size_t count, std::vector<ChildInput>& out) {
    std::lock_guard lock(mutex_);
    std::size_t taken = 0;
    while (taken < count && !failure_) {
        if (!ready_.empty()) {
            out.push_back(std::move(ready_.front()));
            ready_.pop_front();
            ++taken;
            continue;
        }
        if (complete()) break;
        ChildInput in;
        Err err;
        const bool made = next_input(in, err);
        if (!err.error.empty()) {
            failure_ = std::move(err);
            break;
        }
        if (made) {
            out.push_back(std::move(in));
            ++taken;
        }
        if (raw_ended_ && !complete()) finish_locked();
        else if (!made) break;
    }
    return taken;
}

std::optional<Err> MapFeed::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

}  // namespace sfn::engine::detail
