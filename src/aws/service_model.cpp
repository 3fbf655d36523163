// Loading botocore service models: the search path, the newest API version folder, plain or gzip files (zlib
// reads both), one parse per file per process.
#include "sfn/aws/service_model.hpp"

#include "sfn/aws/errors.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

namespace sfn::aws {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDebianBotocoreData = "/usr/lib/python3/dist-packages/botocore/data";

// The `data` folder of the botocore python3 imports; asked once (a subprocess costs ~100 ms).
const std::string& python_botocore_data() {
    static const std::string dir = [] {
        std::string out;
        FILE* pipe = ::popen("python3 -c 'import os, botocore; print(os.path.dirname(botocore.__file__))' 2>/dev/null",
                             "r");
        if (!pipe) return out;
        char buffer[4096];
        while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
        ::pclose(pipe);
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
        return out.empty() ? out : out + "/data";
    }();
    return dir;
}

std::string read_maybe_gzip(const std::string& path) {
    gzFile file = ::gzopen(path.c_str(), "rb");
    if (!file) throw ConfigError("cannot open AWS service model " + path);
    std::string text;
    char buffer[1 << 16];
    int n = 0;
    while ((n = ::gzread(file, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
    int status = 0;
    const char* message = ::gzerror(file, &status);
    std::string error = n < 0 ? std::string(message ? message : "read error") : std::string();
    ::gzclose(file);
    if (!error.empty()) throw ConfigError("cannot read AWS service model " + path + ": " + error);
    return text;
}

// The service-2 file of the newest API version (folder names are ISO dates, so they sort by name) that has one;
// older folders may hold only examples or endpoint rules.
std::optional<std::string> model_file_in(const std::string& dir, std::string_view service) {
    std::error_code ec;
    fs::path root = fs::path(dir) / std::string(service);
    if (!fs::is_directory(root, ec)) return std::nullopt;
    std::vector<std::string> versions;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        if (entry.is_directory(ec)) versions.push_back(entry.path().filename().string());
    }
    std::sort(versions.rbegin(), versions.rend());
    for (const auto& version : versions) {
        for (const char* name : {"service-2.json", "service-2.json.gz"}) {
            auto file = root / version / name;
            if (fs::is_regular_file(file, ec)) return file.string();
        }
    }
    return std::nullopt;
}

std::string string_member(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}


// The search path; python3 is asked only when `with_python` (load() asks it only when the others lack the service).
std::vector<std::string> search_path(bool with_python) {
    std::vector<std::string> candidates;
    if (const char* dir = std::getenv("SFN_AWS_MODELS"); dir && *dir) candidates.emplace_back(dir);
    candidates.emplace_back(kDebianBotocoreData);
    if (with_python && !python_botocore_data().empty()) candidates.push_back(python_botocore_data());
    std::vector<std::string> out;
    std::error_code ec;
    for (auto& c : candidates) {
        if (fs::is_directory(c, ec) && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

std::vector<std::string> model_search_path() { return search_path(true); }

std::shared_ptr<const ServiceModel> ServiceModel::load(std::string_view service_name) {
    if (service_name.empty() || service_name.find('/') != std::string_view::npos || service_name.starts_with(".")) {
        throw ConfigError("'" + std::string(service_name) + "' is not an AWS service name");
    }
    for (const auto& dir : search_path(false)) {
        if (auto file = model_file_in(dir, service_name)) return load_file(*file, service_name);
    }
    auto path = search_path(true);
    for (const auto& dir : path) {
        if (auto file = model_file_in(dir, service_name)) return load_file(*file, service_name);
    }
    std::string looked;
    for (const auto& dir : path) looked += (looked.empty() ? "" : ", ") + dir;
    throw ConfigError("no AWS service model for '" + std::string(service_name) + "': looked for " +
                      std::string(service_name) + "/<version>/service-2.json[.gz] in " +
                      (looked.empty() ? std::string("no existing directory") : looked) +
                      " (set SFN_AWS_MODELS, or install python3-botocore)");
}

std::shared_ptr<const ServiceModel> ServiceModel::load_file(const std::string& path, std::string_view service_name) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const ServiceModel>> cache;
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(path); it != cache.end()) return it->second;
    }
    auto document = nlohmann::json::parse(read_maybe_gzip(path), nullptr, false);
    if (document.is_discarded()) throw ConfigError("AWS service model " + path + " is not valid JSON");
    auto model = std::const_pointer_cast<ServiceModel>(from_json(std::move(document), service_name));
    model->source_ = path;
    std::lock_guard lock(mutex);
    return cache.try_emplace(path, std::move(model)).first->second;
}

std::shared_ptr<const ServiceModel> ServiceModel::from_json(nlohmann::json document, std::string_view service_name) {
    const std::string name(service_name);
    if (!document.is_object() || !document.contains("metadata") || !document["metadata"].is_object() ||
        !document.contains("operations") || !document["operations"].is_object()) {
        throw ConfigError("the AWS service model of '" + name + "' has no metadata or operations");
    }
    std::shared_ptr<ServiceModel> model(new ServiceModel());
    const auto& meta = document["metadata"];
    model->service_name_ = name;
    model->protocol_ = string_member(meta, "protocol");
    if (model->protocol_.empty() && meta.contains("protocols") && meta["protocols"].is_array() &&
        !meta["protocols"].empty() && meta["protocols"][0].is_string()) {
        model->protocol_ = meta["protocols"][0].get<std::string>();
    }
    model->endpoint_prefix_ = string_member(meta, "endpointPrefix");
    if (model->endpoint_prefix_.empty()) model->endpoint_prefix_ = name;
    model->signing_name_ = string_member(meta, "signingName");
    if (model->signing_name_.empty()) model->signing_name_ = model->endpoint_prefix_;
    model->service_id_ = string_member(meta, "serviceId");
    model->api_version_ = string_member(meta, "apiVersion");
    model->json_version_ = string_member(meta, "jsonVersion");
    model->target_prefix_ = string_member(meta, "targetPrefix");
    model->global_endpoint_ = string_member(meta, "globalEndpoint");
    model->operations_ = std::move(document["operations"]);
    if (document.contains("shapes") && document["shapes"].is_object()) model->shapes_ = std::move(document["shapes"]);
    else model->shapes_ = nlohmann::json::object();
    return model;
}

bool ServiceModel::has_operation(std::string_view name) const { return operations_.contains(name); }

std::vector<std::string> ServiceModel::operation_names() const {
    std::vector<std::string> out;
    out.reserve(operations_.size());
    for (const auto& [name, op] : operations_.items()) out.push_back(name);
    return out;
}

const nlohmann::json& ServiceModel::operation(std::string_view name) const {
    auto it = operations_.find(name);
    if (it == operations_.end()) {
        throw UsageError(service_name_ + " has no operation '" + std::string(name) + "' (in " +
                         (source_.empty() ? std::string("its model") : source_) + ")");
    }
    return *it;
}

std::string ServiceModel::input_shape_name(std::string_view op) const {
    const auto& o = operation(op);
    return o.contains("input") ? string_member(o["input"], "shape") : std::string();
}

std::string ServiceModel::output_shape_name(std::string_view op) const {
    const auto& o = operation(op);
    return o.contains("output") ? string_member(o["output"], "shape") : std::string();
}

std::vector<std::string> ServiceModel::error_shape_names(std::string_view op) const {
    std::vector<std::string> out;
    const auto& o = operation(op);
    if (auto it = o.find("errors"); it != o.end() && it->is_array()) {
        for (const auto& e : *it) out.push_back(string_member(e, "shape"));
    }
    return out;
}

std::string ServiceModel::error_shape_name(std::string_view code) const {
    if (code.empty()) return {};
    for (const auto& [name, shape] : shapes_.items()) {
        auto error = shape.find("error");
        if (error != shape.end() && error->is_object() && string_member(*error, "code") == code) return name;
    }
    auto it = shapes_.find(code);
    if (it != shapes_.end() && it->value("exception", false)) return std::string(code);
    return {};
}

bool ServiceModel::has_shape(std::string_view name) const { return shapes_.contains(name); }

const nlohmann::json& ServiceModel::shape(std::string_view name) const {
    auto it = shapes_.find(name);
    if (it == shapes_.end()) {
        throw ConfigError("the AWS service model of " + service_name_ + " has no shape '" + std::string(name) + "'");
    }
    return *it;
}

}  // namespace sfn::aws
