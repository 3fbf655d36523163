// The execution's output as JSON text. A large array or object (a Map's result, say) is printed in pieces on
// the execution's spare worker threads and joined: the text is the same as Value::dump()'s.
#include "engine/detail_runtime.hpp"
#include "engine/detail_worker_pool.hpp"

#include "sfn/core/text.hpp"

namespace sfn::engine::detail {

namespace {
// Below these, printing on one thread is quicker than handing pieces out.
constexpr std::size_t min_parallel_items = 512;
constexpr std::size_t min_parallel_bound = 128 * 1024;  // Value::dump_size_bound(), an overestimate
// Items per piece at least, and pieces per thread: threads that finish early take more.
constexpr std::size_t min_piece_items = 64;
constexpr std::size_t pieces_per_thread = 8;
}  // namespace

std::string Runtime::output_text(const Value& output) {
    const std::size_t n = output.size();
    if (!output.is_container() || n < min_parallel_items || output.dump_size_bound() < min_parallel_bound)
        return output.dump();
    const unsigned claimed = try_claim_workers(static_cast<unsigned>(std::min<std::size_t>(n / min_piece_items, 64)) - 1);
    if (claimed == 0) return output.dump();
    const std::size_t pieces = std::min(n / min_piece_items, (claimed + 1) * pieces_per_thread);
    std::vector<std::string> text(pieces);
    const bool array = output.is_array();
    std::atomic<std::size_t> next{0};
    const std::function<void(unsigned)> print = [&](unsigned) {
        for (;;) {
            const std::size_t p = next.fetch_add(1, std::memory_order_relaxed);
            if (p >= pieces) return;
            const std::size_t begin = n * p / pieces;
            const std::size_t end = n * (p + 1) / pieces;
            std::string& out = text[p];
            // Room for the most the piece can take (pages it does not write are never touched).
            std::size_t bound = end - begin;
            for (std::size_t i = begin; i < end; ++i)
                bound += array ? output[i].dump_size_bound() : output.members()[i].second.dump_size_bound() + 4 + 6 * output.members()[i].first.size();
            out.reserve(bound);
            for (std::size_t i = begin; i < end; ++i) {
                if (i > begin) out += ',';
                if (array) {
                    output[i].dump_to(out);
                } else {
                    const auto& [key, value] = output.members()[i];
                    text::append_json_string(out, key);
                    out += ':';
                    value.dump_to(out);
                }
            }
        }
    };
    WorkerPool::instance().run(claimed, print);
    release_workers(claimed);
    std::size_t size = 2 + pieces;
    for (const auto& t : text) size += t.size();
    std::string out;
    out.reserve(size);
    out += array ? '[' : '{';
    for (std::size_t p = 0; p < pieces; ++p) {
        if (p > 0) out += ',';
        out += text[p];
    }
    out += array ? ']' : '}';
    return out;
}

}  // namespace sfn::engine::detail
