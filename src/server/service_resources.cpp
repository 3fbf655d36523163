// Tags and activities.
#include "server/detail_names.hpp"
#include "server/detail_page.hpp"
#include "server/detail_service.hpp"

#include <chrono>

namespace sfn::server {

using detail::Table;

namespace {

constexpr std::size_t max_tags = 50;

}  // namespace

// Checks that a taggable resource (state machine or activity) exists. Caller holds mutex_. Versions and aliases
// carry no tags of their own: AWS answers ResourceNotFound for them.
static void require_resource(Service::Impl& s, const std::string& arn) {
    const auto parsed = detail::parse_arn(arn);
    if (!parsed || parsed->service != "states" ||
        (parsed->resource_type != "stateMachine" && parsed->resource_type != "activity")) {
        throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    }
    if (!s.machines.count(arn) && !s.activities.count(arn)) {
        throw ApiError("ResourceNotFound", "Resource not found: '" + arn + "'").with("resourceName", arn);
    }
}

json Service::Impl::tag_resource(const json& r) {
    const std::string arn = r["resourceArn"];
    std::lock_guard lock(mutex_);
    require_resource(*this, arn);
    json record = tags.count(arn) ? tags[arn] : json{{"resourceArn", arn}, {"tags", json::object()}};
    for (const auto& tag : r["tags"]) record["tags"][tag.value("key", "")] = tag.value("value", "");
    if (record["tags"].size() > max_tags) {
        throw ApiError("TooManyTags", "Too many tags: '" + arn + "' would have " +
                                          std::to_string(record["tags"].size()) + " tags, at most 50 are allowed")
            .with("resourceName", arn);
    }
    persist(Table::tags, record, "resourceArn");
    tags[arn] = record;
    return json::object();
}

json Service::Impl::untag_resource(const json& r) {
    const std::string arn = r["resourceArn"];
    std::lock_guard lock(mutex_);
    require_resource(*this, arn);
    auto it = tags.find(arn);
    if (it == tags.end()) return json::object();
    for (const auto& key : r["tagKeys"]) it->second["tags"].erase(key.get<std::string>());
    persist(Table::tags, it->second, "resourceArn");
    return json::object();
}

json Service::Impl::list_tags_for_resource(const json& r) {
    const std::string arn = r["resourceArn"];
    std::lock_guard lock(mutex_);
    require_resource(*this, arn);
    json out = json::array();
    if (auto it = tags.find(arn); it != tags.end()) {
        for (const auto& [k, v] : it->second["tags"].items()) out.push_back({{"key", k}, {"value", v}});
    }
    return {{"tags", out}};
}

json Service::Impl::create_activity(const json& r) {
    const std::string name = r["name"];
    if (!detail::valid_name(name)) throw ApiError("InvalidName", "Invalid Name: '" + name + "'");
    const std::string arn = "arn:aws:states:" + options.region + ":" + options.account + ":activity:" + name;
    std::lock_guard lock(mutex_);
    // Idempotent on the name: a repeat create returns the existing activity (differing tags are ignored).
    if (auto it = activities.find(arn); it != activities.end()) {
        return {{"activityArn", arn}, {"creationDate", it->second["creationDate"]}};
    }
    if (r.contains("tags") && r["tags"].size() > max_tags) {
        throw ApiError("TooManyTags", "Too many tags: at most 50 tags per resource").with("resourceName", arn);
    }
    json doc = {{"activityArn", arn}, {"name", name}, {"creationDate", detail::now_epoch()}};
    persist(Table::activities, doc, "activityArn");
    activities[arn] = doc;
    if (r.contains("tags")) {
        json t = {{"resourceArn", arn}, {"tags", json::object()}};
        for (const auto& tag : r["tags"]) t["tags"][tag.value("key", "")] = tag.value("value", "");
        persist(Table::tags, t, "resourceArn");
        tags[arn] = t;
    }
    return {{"activityArn", arn}, {"creationDate", doc["creationDate"]}};
}

static const json& activity_record(Service::Impl& s, const std::string& arn) {
    const auto parsed = detail::parse_arn(arn);
    if (!parsed || parsed->service != "states" || parsed->resource_type != "activity") {
        throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    }
    auto it = s.activities.find(arn);
    if (it == s.activities.end()) throw ApiError("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
    return it->second;
}

json Service::Impl::describe_activity(const json& r) {
    std::lock_guard lock(mutex_);
    return public_view(activity_record(*this, r["activityArn"]));
}

json Service::Impl::list_activities(const json& r) {
    std::vector<detail::Keyed> items;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [arn, a] : activities) items.emplace_back(a["name"], public_view(a));
    }
    return detail::paginate(std::move(items), false, r, "ListActivities", "activities");
}

json Service::Impl::delete_activity(const json& r) {
    const std::string arn = r["activityArn"];
    const auto parsed = detail::parse_arn(arn);
    if (!parsed || parsed->service != "states" || parsed->resource_type != "activity") {
        throw ApiError("InvalidArn", detail::invalid_arn_message(arn));
    }
    std::lock_guard lock(mutex_);
    if (activities.erase(arn)) store.remove(Table::activities, arn);
    if (tags.erase(arn)) store.remove(Table::tags, arn);
    return json::object();
}

json Service::Impl::get_activity_task(const json& r) {
    const std::string arn = r["activityArn"];
    {
        std::lock_guard lock(mutex_);
        activity_record(*this, arn);
    }
    const std::string worker = r.value("workerName", "");
    // Long poll: AWS holds the request up to 60 seconds and answers without a token when nothing came.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::unique_lock lock(activity_mutex_);
    for (;;) {
        auto& queue = activity_queues[arn];
        if (!activity_cv.wait_until(lock, deadline, [&] { return !queue.empty() || activity_stopping; })) break;
        if (queue.empty()) break;
        ActivityTask task = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        // A task whose execution no longer waits for it (timed out, stopped) goes to no worker.
        if (task.started(worker)) return {{"taskToken", task.token}, {"input", task.input}};
        lock.lock();
    }
    return json::object();
}

engine::TaskOutcome Service::Impl::run_activity(const engine::TaskRequest& request) {
    const std::string arn(request.resource);
    {
        std::lock_guard lock(mutex_);
        // As AWS words it (the state fails with States.Runtime, no activity event).
        if (!activities.count(arn)) return engine::TaskOutcome::not_scheduled("The activity " + arn + " does not exist.");
    }
    // The engine gives every activity request a token and a `started` callback.
    if (!request.task_token || !request.started) {
        return engine::TaskOutcome::failure("States.Runtime", "The activity task for '" + arn + "' has no task token");
    }
    std::lock_guard lock(activity_mutex_);
    if (activity_stopping) return engine::TaskOutcome::failure("States.Runtime", "The local service is shutting down");
    activity_queues[arn].push_back(
        {*request.task_token, request.parameters.dump(), std::string(request.execution_arn), request.started});
    activity_cv.notify_all();
    return engine::TaskOutcome::pending();
}

void Service::Impl::cancel_activities(const std::string& execution_arn) {
    std::lock_guard lock(activity_mutex_);
    for (auto& [arn, queue] : activity_queues) {
        std::erase_if(queue, [&](const ActivityTask& t) { return execution_arn.empty() || t.execution_arn == execution_arn; });
    }
}

}  // namespace sfn::server
