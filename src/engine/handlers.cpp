// Handler registry: C++ callables by glob, external commands, and Step Functions Local mocks.
#include "sfn/engine/handlers.hpp"

#include "engine/detail_command.hpp"
#include "sfn/engine/error.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

namespace sfn::engine {

bool glob_match(std::string_view glob, std::string_view text) noexcept {
    // Iterative wildcard matching with single-star backtracking: linear in practice, no recursion.
    std::size_t g = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (g < glob.size() && (glob[g] == '?' || glob[g] == text[t])) {
            ++g;
            ++t;
        } else if (g < glob.size() && glob[g] == '*') {
            star = g++;
            mark = t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

namespace {

struct Registration {
    std::string glob;
    TaskHandler handler;
};

// One mocked response name expanded: inclusive invocation ranges, in file order.
struct MockEntry {
    int first = 0;
    int last = 0;
    bool is_throw = false;
    Value value;
    std::string error;
    std::string cause;
};

std::string_view lambda_name_of(std::string_view function) {
    // "arn:aws:lambda:region:acct:function:NAME[:qualifier]" -> NAME; a bare name stays as it is.
    const auto pos = function.find(":function:");
    if (pos == std::string_view::npos) return function;
    auto name = function.substr(pos + 10);
    return name.substr(0, name.find(':'));
}

std::vector<MockEntry> parse_mock_response(const nlohmann::json& response, const std::string& where) {
    if (!response.is_object()) throw UsageError(where + ": a mocked response must be an object");
    std::vector<MockEntry> entries;
    for (const auto& [key, value] : response.items()) {
        MockEntry e;
        const auto dash = key.find('-');
        try {
            std::size_t used = 0;
            e.first = std::stoi(key.substr(0, dash), &used);
            if (used != (dash == std::string::npos ? key.size() : dash)) throw std::invalid_argument(key);
            e.last = dash == std::string::npos ? e.first : std::stoi(key.substr(dash + 1), &used);
            if (dash != std::string::npos && used != key.size() - dash - 1) throw std::invalid_argument(key);
        } catch (const std::logic_error&) {
            throw UsageError(where + "/" + key + ": expected an invocation number or a range \"a-b\"");
        }
        if (e.first < 0 || e.last < e.first) throw UsageError(where + "/" + key + ": invalid invocation range");
        if (!value.is_object() || value.size() != 1 || (!value.contains("Return") && !value.contains("Throw")))
            throw UsageError(where + "/" + key + ": expected exactly one of \"Return\" or \"Throw\"");
        if (value.contains("Return")) {
            e.value = Value::from_json(value["Return"]);
        } else {
            const auto& t = value["Throw"];
            if (!t.is_object()) throw UsageError(where + "/" + key + "/Throw: expected {\"Error\", \"Cause\"}");
            for (const char* field : {"Error", "Cause"}) {
                if (t.contains(field) && !t[field].is_string())
                    throw UsageError(where + "/" + key + "/Throw/" + field + ": expected a string");
            }
            e.is_throw = true;
            e.error = t.value("Error", "");
            e.cause = t.value("Cause", "");
        }
        for (const auto& other : entries) {
            if (e.first <= other.last && other.first <= e.last)
                throw UsageError(where + "/" + key + ": overlaps another invocation range");
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

}  // namespace

struct HandlerRegistry::Impl {
    std::vector<Registration> handlers;
    std::map<std::string, TaskHandler, std::less<>> mocks;  // state name -> mock handler
    TaskHandler fallback;                                    // the integrations, when enabled
};

HandlerRegistry::HandlerRegistry() : impl_(std::make_unique<Impl>()) {}
HandlerRegistry::~HandlerRegistry() = default;
HandlerRegistry::HandlerRegistry(const HandlerRegistry& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
HandlerRegistry& HandlerRegistry::operator=(const HandlerRegistry& other) {
    if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
    return *this;
}
HandlerRegistry::HandlerRegistry(HandlerRegistry&&) noexcept = default;
HandlerRegistry& HandlerRegistry::operator=(HandlerRegistry&&) noexcept = default;

HandlerRegistry& HandlerRegistry::add(std::string glob, TaskHandler handler) {
    impl_->handlers.push_back({std::move(glob), std::move(handler)});
    return *this;
}

HandlerRegistry& HandlerRegistry::set_fallback(TaskHandler handler) {
    impl_->fallback = std::move(handler);
    return *this;
}

bool HandlerRegistry::has_fallback() const noexcept { return static_cast<bool>(impl_->fallback); }

HandlerRegistry& HandlerRegistry::add_command(std::string glob, std::string command) {
    return add(std::move(glob), [command = std::move(command)](const TaskRequest& request) {
        return detail::run_command_handler(command, request);
    });
}

HandlerRegistry& HandlerRegistry::use_mock_config(const nlohmann::json& config, const std::string& state_machine,
                                                  const std::string& test_case) {
    if (!config.is_object() || !config.contains("StateMachines") || !config["StateMachines"].is_object())
        throw UsageError("mock config: missing object \"StateMachines\"");
    const auto& machines = config["StateMachines"];
    if (!machines.contains(state_machine))
        throw UsageError("mock config: no state machine '" + state_machine + "' under /StateMachines");
    if (!machines[state_machine].is_object())
        throw UsageError("mock config: /StateMachines/" + state_machine + ": expected an object with \"TestCases\"");
    const auto& cases = machines[state_machine].value("TestCases", nlohmann::json::object());
    if (!cases.contains(test_case))
        throw UsageError("mock config: no test case '" + test_case + "' under /StateMachines/" + state_machine +
                         "/TestCases");
    const auto responses = config.value("MockedResponses", nlohmann::json::object());
    for (const auto& [state, response_name] : cases[test_case].items()) {
        if (!response_name.is_string())
            throw UsageError("mock config: /StateMachines/" + state_machine + "/TestCases/" + test_case + "/" +
                             state + ": expected the name of a mocked response");
        const auto name = response_name.get<std::string>();
        if (!responses.contains(name))
            throw UsageError("mock config: test case '" + test_case + "' uses mocked response '" + name +
                             "', which /MockedResponses does not define");
        auto entries = std::make_shared<const std::vector<MockEntry>>(
            parse_mock_response(responses[name], "mock config: /MockedResponses/" + name));
        impl_->mocks[state] = [entries, name](const TaskRequest& request) {
            for (const auto& e : *entries) {
                if (request.invocation < e.first || request.invocation > e.last) continue;
                // A mocked `.sync` job or callback was submitted too (its answer is not part of the mock).
                const auto resource = request.resource;
                if (request.submitted && (resource.ends_with(".sync") || resource.ends_with(".sync:2") ||
                                          resource.ends_with(".waitForTaskToken")))
                    request.submitted(Value::object());
                if (e.is_throw) return TaskOutcome::failure(e.error, e.cause);
                return TaskOutcome::raw_result(e.value);
            }
            return TaskOutcome::failure(
                "States.Runtime", "The mocked response '" + name + "' has no entry for invocation " +
                                      std::to_string(request.invocation) + " of state '" +
                                      std::string(request.state_name) + "'.");
        };
    }
    return *this;
}

HandlerRegistry& HandlerRegistry::use_mock_config_file(const std::string& path, const std::string& state_machine,
                                                       const std::string& test_case) {
    std::ifstream in(path);
    if (!in) throw UsageError("cannot read mock config file '" + path + "'");
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw UsageError("mock config file '" + path + "' is not valid JSON: " + e.what());
    }
    return use_mock_config(config, state_machine, test_case);
}

const TaskHandler* HandlerRegistry::find(std::string_view state_name, std::string_view resource,
                                         std::string_view function_name) const {
    if (auto it = impl_->mocks.find(state_name); it != impl_->mocks.end()) return &it->second;
    const auto short_name = lambda_name_of(function_name);
    for (auto it = impl_->handlers.rbegin(); it != impl_->handlers.rend(); ++it) {
        if (glob_match(it->glob, resource)) return &it->handler;
        if (!function_name.empty() && (glob_match(it->glob, function_name) || glob_match(it->glob, short_name)))
            return &it->handler;
    }
    return impl_->fallback ? &impl_->fallback : nullptr;
}

bool HandlerRegistry::is_mocked(std::string_view state_name) const {
    return impl_->mocks.find(state_name) != impl_->mocks.end();
}

}  // namespace sfn::engine
