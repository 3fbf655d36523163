// State machines, versions, aliases and definition validation.
#include "server/detail_names.hpp"
#include "server/detail_page.hpp"
#include "server/detail_service.hpp"

#include <algorithm>
#include <cctype>

namespace sfn::server {

using detail::Table;

namespace {

const json default_logging = {{"level", "OFF"}, {"includeExecutionData", false}};
const json default_tracing = {{"enabled", false}};

void check_name(const std::string& name) {
    if (!detail::valid_name(name)) throw ApiError("InvalidName", "Invalid Name: '" + name + "'");
}

void check_role(const std::string& role) {
    const auto arn = detail::parse_arn(role);
    if (!arn || arn->service != "iam") throw ApiError("InvalidArn", detail::invalid_arn_message(role));
}

void check_tags(const json& tags, const std::string& resource) {
    if (tags.size() > 50) {
        throw ApiError("TooManyTags", "Too many tags: at most 50 tags per resource").with("resourceName", resource);
    }
}

// A logging level other than OFF logs to exactly one destination (AWS allows no more).
void check_logging(const json& r) {
    if (!r.contains("loggingConfiguration")) return;
    const json& logging = r["loggingConfiguration"];
    const std::size_t destinations = logging.contains("destinations") ? logging["destinations"].size() : 0;
    if (destinations > 1 || (logging.value("level", "OFF") != "OFF" && destinations != 1)) {
        throw ApiError("InvalidLoggingConfiguration",
                       "Invalid Logging Configuration: Must specify exactly one Log Destination.");
    }
}

// A version description describes the version a call publishes.
void check_version_description(const json& r) {
    if (r.contains("versionDescription") && !r.value("publish", false)) {
        throw ApiError("ValidationException", "Version description can only be set when publish is true");
    }
}

// The fields that make two CreateStateMachine calls "the same" (idempotent create).
bool same_create(const json& existing, const json& r) {
    return existing["definition"] == r["definition"] && existing["type"] == r.value("type", "STANDARD") &&
           existing["loggingConfiguration"] == r.value("loggingConfiguration", default_logging) &&
           existing["tracingConfiguration"] == r.value("tracingConfiguration", default_tracing);
}

std::string version_arn_of(const std::string& machine_arn, std::int64_t n) {
    return machine_arn + ":" + std::to_string(n);
}

}  // namespace

// Publishes the machine's current revision as its next version. Caller holds mutex_.
static json publish(Service::Impl& s, json& machine, const std::string& description) {
    const std::int64_t n = machine.value("_nextVersion", std::int64_t{1});
    machine["_nextVersion"] = n + 1;
    json version = machine;
    version.erase("_nextVersion");
    version["stateMachineArn"] = version_arn_of(machine["stateMachineArn"], n);
    version["creationDate"] = detail::now_epoch();
    version["_machineArn"] = machine["stateMachineArn"];
    version["_version"] = n;
    if (!description.empty()) version["description"] = description;
    s.persist(Table::machines, machine, "stateMachineArn");
    s.persist(Table::versions, version, "stateMachineArn");
    s.versions[version["stateMachineArn"]] = version;
    return version;
}

// The version that holds `machine`'s current revision (its newest version, when nothing changed since it was
// published), or nullptr. Caller holds mutex_.
static const json* version_of_current_revision(const Service::Impl& s, const json& machine) {
    const json* latest = nullptr;
    for (const auto& [varn, v] : s.versions) {
        if (v["_machineArn"] == machine["stateMachineArn"] && (!latest || v["_version"] > (*latest)["_version"])) latest = &v;
    }
    return latest && (*latest)["revisionId"] == machine["revisionId"] ? latest : nullptr;
}

json Service::Impl::create_state_machine(const json& r) {
    const std::string name = r["name"];
    check_name(name);
    check_role(r["roleArn"]);
    check_logging(r);
    check_version_description(r);
    const std::string definition = r["definition"];
    compile(definition);
    if (r.value("type", "STANDARD") == "EXPRESS") check_express_definition(definition);
    if (r.contains("tags")) check_tags(r["tags"], machine_arn(name));
    const std::string arn = machine_arn(name);
    std::lock_guard lock(mutex_);
    if (auto it = machines.find(arn); it != machines.end()) {
        if (!same_create(it->second, r)) {
            throw ApiError("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        json out = {{"stateMachineArn", arn}, {"creationDate", it->second["creationDate"]}};
        if (r.value("publish", false)) {
            if (const json* version = version_of_current_revision(*this, it->second)) {
                out["stateMachineVersionArn"] = (*version)["stateMachineArn"];
            }
        }
        return out;
    }
    const double now = detail::now_epoch();
    json machine = {{"stateMachineArn", arn},
                    {"name", name},
                    {"status", "ACTIVE"},
                    {"definition", definition},
                    {"roleArn", r["roleArn"]},
                    {"type", r.value("type", "STANDARD")},
                    {"creationDate", now},
                    {"loggingConfiguration", r.value("loggingConfiguration", default_logging)},
                    {"tracingConfiguration", r.value("tracingConfiguration", default_tracing)},
                    {"revisionId", detail::uuid4()},
                    {"_updateDate", now},
                    {"_nextVersion", 1}};
    json out = {{"stateMachineArn", arn}, {"creationDate", now}};
    if (r.value("publish", false)) {
        out["stateMachineVersionArn"] = publish(*this, machine, r.value("versionDescription", ""))["stateMachineArn"];
    }
    persist(Table::machines, machine, "stateMachineArn");
    machines[arn] = machine;
    if (r.contains("tags")) {
        json t = {{"resourceArn", arn}, {"tags", json::object()}};
        for (const auto& tag : r["tags"]) t["tags"][tag.value("key", "")] = tag.value("value", "");
        persist(Table::tags, t, "resourceArn");
        tags[arn] = t;
    }
    return out;
}

json Service::Impl::describe_state_machine(const json& r) {
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    std::lock_guard lock(mutex_);
    const auto missing = [&] { return ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'"); };
    if (ref.version) {
        auto it = versions.find(arn);
        if (it == versions.end()) throw missing();
        return public_view(it->second);
    }
    if (ref.alias) {
        // AWS describes the machine behind an alias like the unqualified machine.
        if (!aliases.count(arn)) throw missing();
    }
    auto it = machines.find(ref.machine_arn);
    if (it == machines.end()) throw missing();
    return public_view(it->second);
}

json Service::Impl::update_state_machine(const json& r) {
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    // A version or alias is not a state machine that can change.
    if (ref.version || ref.alias) throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    if (!r.contains("definition") && !r.contains("roleArn") && !r.contains("loggingConfiguration") &&
        !r.contains("tracingConfiguration") && !r.contains("encryptionConfiguration")) {
        throw ApiError("MissingRequiredParameter",
                       "Either the definition, roleArn, loggingConfiguration, tracingConfiguration or "
                       "encryptionConfiguration must be specified");
    }
    check_logging(r);
    check_version_description(r);
    if (r.contains("definition")) compile(r["definition"]);
    if (r.contains("roleArn")) check_role(r["roleArn"]);
    std::lock_guard lock(mutex_);
    auto it = machines.find(arn);
    if (it == machines.end()) throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    if (r.contains("definition") && it->second.value("type", "STANDARD") == "EXPRESS") check_express_definition(r["definition"]);
    json& machine = it->second;
    bool changed = false;
    for (const char* member : {"definition", "roleArn", "loggingConfiguration", "tracingConfiguration"}) {
        if (r.contains(member) && machine[member] != r[member]) {
            machine[member] = r[member];
            changed = true;
        }
    }
    const double now = detail::now_epoch();
    if (changed) {
        machine["revisionId"] = detail::uuid4();
        machine["_updateDate"] = now;
    }
    json out = {{"updateDate", now}, {"revisionId", machine["revisionId"]}};
    if (r.value("publish", false)) {
        // An update that changed nothing publishes nothing new: the version that holds the revision answers.
        const json* existing = version_of_current_revision(*this, machine);
        out["stateMachineVersionArn"] =
            existing ? (*existing)["stateMachineArn"] : publish(*this, machine, r.value("versionDescription", ""))["stateMachineArn"];
    }
    persist(Table::machines, machine, "stateMachineArn");
    return out;
}

json Service::Impl::delete_state_machine(const json& r) {
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    if (ref.version || ref.alias) {
        throw ApiError("ValidationException", "Use DeleteStateMachineVersion or DeleteStateMachineAlias for '" + arn + "'");
    }
    std::lock_guard lock(mutex_);
    // Deleting is idempotent on AWS: an unknown machine is not an error.
    if (machines.erase(arn) == 0) return json::object();
    store.remove(Table::machines, arn);
    for (auto it = versions.begin(); it != versions.end();) {
        if (it->second["_machineArn"] == arn) {
            store.remove(Table::versions, it->first);
            it = versions.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = aliases.begin(); it != aliases.end();) {
        if (it->second["_machineArn"] == arn) {
            store.remove(Table::aliases, it->first);
            it = aliases.erase(it);
        } else {
            ++it;
        }
    }
    if (tags.erase(arn)) store.remove(Table::tags, arn);
    return json::object();
}

json Service::Impl::list_state_machines(const json& r) {
    std::vector<detail::Keyed> items;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [arn, m] : machines) {
            items.emplace_back(m["name"], json{{"stateMachineArn", arn}, {"name", m["name"]}, {"type", m["type"]},
                                               {"creationDate", m["creationDate"]}});
        }
    }
    return detail::paginate(std::move(items), false, r, "ListStateMachines", "stateMachines");
}

json Service::Impl::publish_state_machine_version(const json& r) {
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    if (ref.version || ref.alias) throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    std::lock_guard lock(mutex_);
    auto it = machines.find(arn);
    if (it == machines.end()) throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    json& machine = it->second;
    if (r.contains("revisionId") && r["revisionId"] != machine["revisionId"]) {
        throw ApiError("ConflictException", "Failed to publish the version: the revisionId '" +
                                                r["revisionId"].get<std::string>() +
                                                "' is not the current revision of '" + arn + "'");
    }
    // Publishing an unchanged revision again returns the version that already holds it.
    if (const json* existing = version_of_current_revision(*this, machine)) {
        return {{"stateMachineVersionArn", (*existing)["stateMachineArn"]}, {"creationDate", (*existing)["creationDate"]}};
    }
    if (std::count_if(versions.begin(), versions.end(), [&](const auto& v) { return v.second["_machineArn"] == arn; }) >=
        1000) {
        throw ApiError("ServiceQuotaExceededException", "A state machine can have at most 1000 versions");
    }
    const json version = publish(*this, machine, r.value("description", ""));
    return {{"stateMachineVersionArn", version["stateMachineArn"]}, {"creationDate", version["creationDate"]}};
}

json Service::Impl::list_state_machine_versions(const json& r) {
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    if (ref.version || ref.alias) throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    std::vector<detail::Keyed> items;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [varn, v] : versions) {
            if (v["_machineArn"] != arn) continue;
            items.emplace_back(detail::number_key(v["_version"]),
                               json{{"stateMachineVersionArn", varn}, {"creationDate", v["creationDate"]}});
        }
    }
    return detail::paginate(std::move(items), true, r, "ListStateMachineVersions:" + arn, "stateMachineVersions");
}

json Service::Impl::delete_state_machine_version(const json& r) {
    const std::string arn = r["stateMachineVersionArn"];
    const auto ref = detail::parse_machine_arn(arn);
    if (!ref.version) throw ApiError("InvalidArn", "Invalid Arn: '" + arn + "' (expected a state machine version ARN)");
    std::lock_guard lock(mutex_);
    std::string referencing;
    for (const auto& [aarn, a] : aliases) {
        for (const auto& route : a["routingConfiguration"]) {
            if (route["stateMachineVersionArn"] != arn) continue;
            referencing += (referencing.empty() ? "" : ", ") + a["name"].get<std::string>();
            break;
        }
    }
    if (!referencing.empty()) {
        throw ApiError("ConflictException",
                       "Version to be deleted must not be referenced by an alias. Current list of aliases referencing "
                       "this version: [" + referencing + "]");
    }
    if (versions.erase(arn)) store.remove(Table::versions, arn);
    return json::object();
}

// Checks a routing configuration: 1 or 2 distinct versions of `machine_arn` whose weights sum to 100.
static void check_routing(Service::Impl& s, const json& routes, const std::string& machine_arn) {
    const auto invalid = [](const std::string& message) {
        return ApiError("ValidationException", message).with("reason", "INVALID_ROUTING_CONFIGURATION");
    };
    // AWS lists what it received: the ARNs, or the weights.
    const auto received = [&](const char* member) {
        std::string list;
        for (const auto& route : routes) {
            const json& v = route.contains(member) ? route[member] : json();
            list += (list.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
        }
        return "[" + list + "]";
    };
    if (routes.empty() || routes.size() > 2) throw invalid("Invalid routing configuration: it must route to one or two versions");
    int total = 0;
    for (const auto& route : routes) {
        const std::string varn = route.value("stateMachineVersionArn", "");
        const auto ref = detail::parse_machine_arn(varn);
        if (!ref.version) {
            throw invalid("Routing configuration must contain state machine version ARNs. Received: " +
                          received("stateMachineVersionArn"));
        }
        if (ref.machine_arn != machine_arn) {
            throw invalid("Invalid routing configuration: version '" + varn + "' belongs to another state machine");
        }
        if (!s.versions.count(varn)) {
            throw ApiError("ResourceNotFound", "Resource not found: '" + varn + "'").with("resourceName", varn);
        }
        total += route.value("weight", 0);
    }
    if (routes.size() == 2 && routes[0]["stateMachineVersionArn"] == routes[1]["stateMachineVersionArn"]) {
        throw invalid("Routing configuration must contain distinct state machine version ARNs. Received: " +
                      received("stateMachineVersionArn"));
    }
    if (total != 100) throw invalid("Sum of routing configuration weights must equal 100. Received: " + received("weight"));
}

json Service::Impl::create_state_machine_alias(const json& r) {
    const std::string name = r["name"];
    // CharacterRestrictedName: letters, digits, '_', '-' and '.', at least one of them not a digit.
    const bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    if (!allowed || std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        throw ApiError("ValidationException",
                       "1 validation error detected: Value '" + name +
                           "' at 'name' failed to satisfy constraint: Member must satisfy regular expression "
                           "pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
    }
    const json& routes = r["routingConfiguration"];
    if (routes.empty()) {
        throw ApiError("ValidationException", "Invalid routing configuration: it must route to one or two versions")
            .with("reason", "INVALID_ROUTING_CONFIGURATION");
    }
    const auto first = detail::parse_machine_arn(routes[0].value("stateMachineVersionArn", ""));
    std::lock_guard lock(mutex_);
    check_routing(*this, routes, first.machine_arn);
    const std::string arn = first.machine_arn + ":" + name;
    if (auto it = aliases.find(arn); it != aliases.end()) {
        if (it->second["routingConfiguration"] == routes && it->second.value("description", "") == r.value("description", "")) {
            return {{"stateMachineAliasArn", arn}, {"creationDate", it->second["creationDate"]}};
        }
        throw ApiError("ConflictException", "Alias '" + arn + "' already exists with a different configuration");
    }
    if (std::count_if(aliases.begin(), aliases.end(),
                      [&](const auto& a) { return a.second["_machineArn"] == first.machine_arn; }) >= 100) {
        throw ApiError("ServiceQuotaExceededException", "A state machine can have at most 100 aliases");
    }
    const double now = detail::now_epoch();
    json alias = {{"stateMachineAliasArn", arn}, {"name", name},       {"routingConfiguration", routes},
                  {"creationDate", now},        {"updateDate", now}, {"_machineArn", first.machine_arn},
                  {"_seq", next_seq++}};
    if (r.contains("description")) alias["description"] = r["description"];
    persist(Table::aliases, alias, "stateMachineAliasArn");
    aliases[arn] = alias;
    return {{"stateMachineAliasArn", arn}, {"creationDate", now}};
}

static json& alias_record(Service::Impl& s, const std::string& arn) {
    const auto ref = detail::parse_machine_arn(arn);
    if (!ref.alias) throw ApiError("InvalidArn", "Invalid Arn: '" + arn + "' (expected a state machine alias ARN)");
    auto it = s.aliases.find(arn);
    if (it == s.aliases.end()) {
        throw ApiError("ResourceNotFound", "Resource not found: '" + arn + "'").with("resourceName", arn);
    }
    return it->second;
}

json Service::Impl::describe_state_machine_alias(const json& r) {
    std::lock_guard lock(mutex_);
    return public_view(alias_record(*this, r["stateMachineAliasArn"]));
}

json Service::Impl::update_state_machine_alias(const json& r) {
    std::lock_guard lock(mutex_);
    json& alias = alias_record(*this, r["stateMachineAliasArn"]);
    if (!r.contains("description") && !r.contains("routingConfiguration")) {
        throw ApiError("ValidationException", "Either the description or the routingConfiguration must be specified")
            .with("reason", "MISSING_REQUIRED_PARAMETER");
    }
    if (r.contains("routingConfiguration")) {
        check_routing(*this, r["routingConfiguration"], alias["_machineArn"]);
        alias["routingConfiguration"] = r["routingConfiguration"];
    }
    if (r.contains("description")) alias["description"] = r["description"];
    alias["updateDate"] = detail::now_epoch();
    persist(Table::aliases, alias, "stateMachineAliasArn");
    return {{"updateDate", alias["updateDate"]}};
}

json Service::Impl::list_state_machine_aliases(const json& r) {
    const std::string arn = r["stateMachineArn"];
    const auto ref = detail::parse_machine_arn(arn);
    if (ref.alias) throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    std::vector<detail::Keyed> items;
    {
        std::lock_guard lock(mutex_);
        if (!machines.count(ref.machine_arn)) {
            throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        for (const auto& [aarn, a] : aliases) {
            if (a["_machineArn"] != ref.machine_arn) continue;
            // A version ARN lists the aliases that route to it.
            if (ref.version && std::none_of(a["routingConfiguration"].begin(), a["routingConfiguration"].end(),
                                            [&](const json& route) { return route["stateMachineVersionArn"] == arn; })) {
                continue;
            }
            items.emplace_back(detail::number_key(a["_seq"]),
                               json{{"stateMachineAliasArn", aarn}, {"creationDate", a["creationDate"]}});
        }
    }
    return detail::paginate(std::move(items), true, r, "ListStateMachineAliases:" + arn, "stateMachineAliases");
}

json Service::Impl::delete_state_machine_alias(const json& r) {
    const std::string arn = r["stateMachineAliasArn"];
    if (!detail::parse_machine_arn(arn).alias) {
        throw ApiError("InvalidArn", "Invalid Arn: '" + arn + "' (expected a state machine alias ARN)");
    }
    std::lock_guard lock(mutex_);
    // As DeleteStateMachine: deleting an alias that is not there (any more) is not an error.
    if (aliases.erase(arn)) store.remove(Table::aliases, arn);
    return json::object();
}

json Service::Impl::validate_state_machine_definition(const json& r) {
    json diagnostics = definition_diagnostics(r["definition"], {.express = r.value("type", "STANDARD") == "EXPRESS"});
    if (r.value("severity", "ERROR") == "ERROR") {
        json errors = json::array();
        for (auto& d : diagnostics) {
            if (d["severity"] == "ERROR") errors.push_back(std::move(d));
        }
        diagnostics = std::move(errors);
    }
    bool failed = false;
    for (const auto& d : diagnostics) failed = failed || d["severity"] == "ERROR";
    const int max_results = r.value("maxResults", 0);
    const std::size_t max = max_results == 0 ? 100 : static_cast<std::size_t>(max_results);
    const bool truncated = diagnostics.size() > max;
    if (truncated) diagnostics.erase(diagnostics.begin() + static_cast<std::ptrdiff_t>(max), diagnostics.end());
    return {{"result", failed ? "FAIL" : "OK"}, {"diagnostics", diagnostics}, {"truncated", truncated}};
}

}  // namespace sfn::server
