// The AWS client's handling of untrusted HTTP responses: status, headers and body come from the input and are
// returned by a fake transport to a Step Functions client call (every operation of the service model, picked by
// the first byte). Covers retry decisions, the JSON error parser, output JSON parsing and the generated
// from_json of every output shape. Input: byte 0 = operation, bytes 1-2 = status (100-599), then header lines
// `Name: value`, a blank line and the body.
#include "fuzz_support.hpp"

#include "sfn/aws/client.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/aws/sts.hpp"

#include <chrono>
#include <functional>
#include <vector>

namespace {

class FixedTransport final : public sfn::aws::Transport {
public:
    sfn::aws::HttpResponse response;
    sfn::aws::HttpResponse send(const sfn::aws::HttpRequest&) override { return response; }
};

using Call = std::function<void(sfn::aws::SfnClient&)>;

const std::vector<Call>& operations() {
    static const std::vector<Call> calls = {
#define SFN_AWS_OPERATION(Op, method, In, Out, prefix) \
    [](sfn::aws::SfnClient& client) { (void)client.method(sfn::aws::sfn_api::In{}); },
#include "sfn/aws/operations.def"
    };
    return calls;
}

sfn::aws::HttpResponse read_response(std::string_view text) {
    sfn::aws::HttpResponse response;
    response.status = 100 + ((static_cast<unsigned char>(text[0]) << 8) | static_cast<unsigned char>(text[1])) % 500;
    text.remove_prefix(2);
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty()) break;
        const auto colon = line.find(':');
        auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        response.headers.emplace_back(line.substr(0, colon), value);
    }
    response.body = text;
    return response;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    // A new client per input: its retry quota must not carry over from earlier inputs.
    const auto transport = std::make_shared<FixedTransport>();
    transport->response = read_response(sfn::fuzz::as_text(data + 1, size - 1));
    sfn::aws::ClientConfig config;
    config.region = "us-east-1";
    config.retry.max_attempts = 3;
    config.retry.sleep = [](std::chrono::milliseconds) {};
    config.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)); };
    sfn::aws::SfnClient client(transport,
                               sfn::aws::static_credentials({"AKIDEXAMPLE", "secret", "", std::nullopt, "fuzz"}),
                               config);
    const auto& calls = operations();
    try {
        calls[data[0] % calls.size()](client);
    } catch (const sfn::aws::ServiceError&) {
    } catch (const sfn::aws::ProtocolError&) {
        // an error answer or an unreadable body: both surface as typed errors
    }
    (void)sfn::aws::xml_element_text(transport->response.body, "Code");
    return 0;
}
