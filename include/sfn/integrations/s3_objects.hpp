#pragma once
/// \file
/// The Distributed Map's object store (engine/objects.hpp) over S3 itself: GetObject with a Range per read,
/// ListObjectsV2 pages, PutObject, through aws::ServiceClient (real S3 or any S3-compatible endpoint).

#include "sfn/aws/service_client.hpp"
#include "sfn/engine/objects.hpp"

#include <memory>

namespace sfn::integrations {

/// An object store calling `s3` (a client of the "s3" model). S3's errors become engine::ObjectError with
/// S3's code, message and HTTP status.
[[nodiscard]] std::shared_ptr<engine::ObjectStore> s3_object_store(std::shared_ptr<const aws::ServiceClient> s3);

}  // namespace sfn::integrations
