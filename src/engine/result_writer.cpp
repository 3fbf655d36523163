// ResultEntries (detail_distributed_map.hpp): a ResultWriter's entries laid out as the children end, then written
// as AWS lays them out: `<prefix>/<run id>/manifest.json` and FAILED_n, PENDING_n, SUCCEEDED_n files (.json
// arrays or .jsonl lines).
#include "engine/detail_distributed_map.hpp"

#include <cerrno>
#include <cstring>

namespace sfn::engine::detail {

namespace {

// AWS splits result files at 5 GB; here at 64 MiB, so that a run's results are never one string in memory.
constexpr std::size_t result_file_bytes = std::size_t{64} << 20;

}  // namespace

ResultEntries::ResultEntries(const ResultWriterSpec& writer) : writer_(writer) {}

ResultEntries::~ResultEntries() {
    if (spill_) std::fclose(spill_);
}

void ResultEntries::add(std::size_t index, Status status, std::vector<Value> entries) {
    Waiting w{status, {}, {}, entries.size()};
    if (writer_.writes) {
        // Rendered on the child's thread; a JSON text holds no raw newline, so a line is one entry.
        for (const auto& e : entries) {
            e.dump_to(w.lines);
            w.lines += '\n';
        }
    } else {
        w.entries = std::move(entries);
    }
    std::lock_guard lock(mutex_);
    if (index != next_) {
        waiting_.emplace(index, std::move(w));
        return;
    }
    emit_locked(w);
    ++next_;
    for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_; it = waiting_.erase(it)) {
        emit_locked(it->second);
        ++next_;
    }
}

void ResultEntries::emit_locked(Waiting& w) {
    const auto at = static_cast<std::size_t>(w.status);
    counts_[at] += static_cast<std::int64_t>(w.count);
    if (!writer_.writes) {
        if (w.status == Status::Pending) return;  // the state's result lists the children that ran
        for (auto& e : w.entries) results_.push_back(std::move(e));
        return;
    }
    std::string_view rest = w.lines;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        append_locked(files_[at], rest.substr(0, nl));
        rest.remove_prefix(nl + 1);
    }
}

void ResultEntries::append_locked(Files& files, std::string_view line) {
    std::string& body = files.body;
    // A file is closed before an entry would take it over the limit; the buffer doubles while small, then is
    // reserved at the limit at once (a last doubling step would hold nearly twice the limit), and keeps its
    // capacity from file to file.
    const std::size_t needed = body.size() + line.size() + 2;
    if (!body.empty() && needed > result_file_bytes) spill_locked(files);
    if (needed > body.capacity() && body.capacity() < result_file_bytes + 2) {
        std::string grown;
        grown.reserve(needed <= (std::size_t{1} << 20) ? std::max(needed, 2 * body.capacity())
                                                        : std::max(needed, result_file_bytes + 2));
        grown.append(body);
        body.swap(grown);
    }
    if (!writer_.jsonl) body += body.empty() ? '[' : ',';
    body.append(line);
    if (writer_.jsonl) body += '\n';
}

void ResultEntries::spill_locked(Files& files) {
    // A full file waits in the temporary file (its key is known only when the run writes its results).
    if (spill_errno_ == 0 && !spill_ && !(spill_ = std::tmpfile())) spill_errno_ = errno;
    if (spill_errno_ == 0) {
        if (!writer_.jsonl) files.body += ']';
        if (std::fwrite(files.body.data(), 1, files.body.size(), spill_) != files.body.size()) {
            spill_errno_ = errno;
        } else {
            files.spilled.emplace_back(spill_size_, files.body.size());
            spill_size_ += files.body.size();
        }
    }
    files.body.clear();
}

Value ResultEntries::take_results() {
    std::lock_guard lock(mutex_);
    return Value::array(std::move(results_));
}

std::int64_t ResultEntries::write(const ObjectStore& store, const std::string& bucket, const std::string& base,
                                  const std::string& map_run_arn) {
    std::lock_guard lock(mutex_);
    if (spill_errno_ != 0)
        throw ObjectError("InternalError",
                          std::string("The results could not be kept in a temporary file: ") + std::strerror(spill_errno_),
                          500);
    if (spill_ && std::fflush(spill_) != 0)
        throw ObjectError("InternalError", std::string("The results could not be kept in a temporary file: ") +
                                               std::strerror(errno),
                          500);
    const char* extension = writer_.jsonl ? ".jsonl" : ".json";
    std::vector<Member> files;
    for (const auto& [status, name] : {std::pair<Status, const char*>{Status::Failed, "FAILED"},
                                       {Status::Pending, "PENDING"},
                                       {Status::Succeeded, "SUCCEEDED"}}) {
        // Numbered from 0 as AWS numbers the parts of a large result.
        const std::string file_name = name;  // (clang 14: no lambda captures of structured bindings)
        Files& f = files_[static_cast<std::size_t>(status)];
        // The part being filled is the last; it is written first, and its buffer then holds each full part read
        // back from the temporary file in turn (one part in memory at a time).
        std::vector<Value> listed(f.spilled.size() + (f.body.empty() ? 0 : 1));
        const auto put = [&](std::size_t number, const std::string& body) {
            const std::string key = base + file_name + "_" + std::to_string(number) + extension;
            store.write(bucket, key, body);
            listed[number] = Value::object({{"Key", Value(key)}, {"Size", Value(static_cast<std::int64_t>(body.size()))}});
        };
        if (!f.body.empty()) {
            if (!writer_.jsonl) f.body += ']';
            put(f.spilled.size(), f.body);
        }
        for (std::size_t k = 0; k < f.spilled.size(); ++k) {
            const auto [offset, size] = f.spilled[k];
            f.body.resize(size);
            if (fseeko(spill_, static_cast<off_t>(offset), SEEK_SET) != 0 || std::fread(f.body.data(), 1, size, spill_) != size)
                throw ObjectError("InternalError", "The results kept in a temporary file could not be read back", 500);
            put(k, f.body);
        }
        f.body = std::string();
        files.emplace_back(file_name, Value::array(std::move(listed)));
    }
    const Value manifest = Value::object({{"DestinationBucket", Value(bucket)},
                                          {"MapRunArn", Value(map_run_arn)},
                                          {"ResultFiles", Value::object(std::move(files))}});
    store.write(bucket, base + "manifest.json", manifest.dump());
    return counts_[static_cast<std::size_t>(Status::Succeeded)];
}

}  // namespace sfn::engine::detail
